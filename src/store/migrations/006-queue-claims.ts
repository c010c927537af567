/**
 * @module Schema version 6: a claim on each queue entry, so two processes on
 * one database (`scimify serve` and `scimify sync`) never reconcile the same
 * resource at once. A claim lapses by itself if its process dies.
 */
import type { Migration } from './index'

export const queueClaims: Migration = {
  version: 6,
  name: 'queue-claims',
  up(db) {
    db.exec('ALTER TABLE sync_queue ADD COLUMN claimed_until INTEGER') // ms since the epoch; null: free
  },
}
