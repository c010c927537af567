/** @module When each instance last had a full reconcile, and its report. */
import type { Database } from 'bun:sqlite'

export interface FullSyncRecord {
  at: string
  report: unknown
}

export class SyncRuns {
  private readonly save
  private readonly load

  constructor(db: Database) {
    this.save = db.prepare(`
      INSERT INTO sync_runs (instance, last_full_sync, report) VALUES ($instance, $at, $report)
      ON CONFLICT DO UPDATE SET last_full_sync = excluded.last_full_sync, report = excluded.report`)
    this.load = db.prepare('SELECT last_full_sync, report FROM sync_runs WHERE instance = $instance')
  }

  record(instance: string, at: Date, report: unknown): void {
    this.save.run({ instance, at: at.toISOString(), report: JSON.stringify(report) })
  }

  last(instance: string): FullSyncRecord | undefined {
    const row = this.load.get({ instance }) as { last_full_sync: string; report: string } | null
    return row ? { at: row.last_full_sync, report: JSON.parse(row.report) } : undefined
  }
}
