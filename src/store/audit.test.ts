import { describe, expect, test } from 'bun:test'
import { AuditLog } from './audit'
import { openDatabase } from './db'

describe('audit log pruning', () => {
  test('deletes what is older than the retention, by an index on time (not a read of the whole log)', () => {
    const db = openDatabase(':memory:')
    const audit = new AuditLog(db)
    for (const [instance, time] of [['a', '2026-01-01T00:00:00Z'], ['b', '2026-01-02T00:00:00Z'], ['a', '2026-03-01T00:00:00Z']]) {
      audit.record({ instance, actor: 'key:x', action: 'POST /Users', result: '201', time })
    }
    expect(audit.pruneBefore(new Date('2026-02-01T00:00:00Z'))).toBe(2)
    expect(audit.list('a', new Date(0)).map((entry) => entry.time)).toEqual(['2026-03-01T00:00:00Z'])
    const plan = db.query("EXPLAIN QUERY PLAN DELETE FROM audit_log WHERE time < '2026-02-01'").all() as { detail: string }[]
    expect(plan.map((row) => row.detail)).toEqual(['SEARCH audit_log USING INDEX audit_log_time (time<?)'])
  })
})
