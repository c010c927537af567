/**
 * @module The audit log: every SCIM mutation (who, what, result) and every
 * downstream operation, kept for a retention period.
 */
import type { Database } from 'bun:sqlite'
import { isoNow } from '../clock'
import { groupCommitOf, type GroupCommit } from './group-commit'

export interface AuditEntry {
  time: string
  instance: string
  /** `key:<id>` for a SCIM call, `sync` for the engine. */
  actor: string
  action: string
  target?: string
  result: string
}

export class AuditLog {
  private readonly insert
  private readonly since
  private readonly prune
  private readonly writes: GroupCommit

  constructor(db: Database) {
    this.writes = groupCommitOf(db)
    this.insert = db.prepare(
      'INSERT INTO audit_log (time, instance, actor, action, target, result) VALUES ($time, $instance, $actor, $action, $target, $result)',
    )
    this.since = db.prepare('SELECT time, instance, actor, action, target, result FROM audit_log WHERE instance = $instance AND time >= $since ORDER BY seq')
    this.prune = db.prepare('DELETE FROM audit_log WHERE time < $before')
  }

  record(entry: Omit<AuditEntry, 'time'> & { time?: string }): void {
    // In the turn's transaction: an answered write's audit entry is committed with it.
    this.writes.writeOne(() => this.insert.run({ ...entry, time: entry.time ?? isoNow(), target: entry.target ?? null }))
  }

  list(instance: string, since: Date): AuditEntry[] {
    return (this.since.all({ instance, since: since.toISOString() }) as (AuditEntry & { target: string | null })[]).map((row) =>
      row.target === null ? { ...row, target: undefined } : row,
    )
  }

  /** Deletes entries older than `before`; returns how many. */
  pruneBefore(before: Date): number {
    return this.prune.run({ before: before.toISOString() }).changes
  }
}
