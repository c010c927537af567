/**
 * @module Schema version 2: a member's `display` as the client sent it.
 * RFC 7643 §2.4 makes `display` of a multi-valued attribute immutable, i.e.
 * client-set; without one, the member's own name is shown.
 */
import type { Migration } from './index'

export const memberDisplay: Migration = {
  version: 2,
  name: 'member-display',
  up(db) {
    db.exec('ALTER TABLE group_members ADD COLUMN display TEXT')
  },
}
