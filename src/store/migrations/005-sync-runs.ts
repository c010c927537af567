/** @module Schema version 5: when each instance last had a full reconcile, and what it found. */
import type { Migration } from './index'

export const syncRuns: Migration = {
  version: 5,
  name: 'sync-runs',
  up(db) {
    db.exec(`
      CREATE TABLE sync_runs (
        instance       TEXT PRIMARY KEY,
        last_full_sync TEXT NOT NULL,
        report         TEXT NOT NULL -- JSON DriftReport
      ) WITHOUT ROWID;
    `)
  },
}
