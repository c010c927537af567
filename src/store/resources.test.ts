import { describe, expect, test } from 'bun:test'
import { openDatabase } from './db'
import { migrate } from './migrations'
import { ResourceStore } from './resources'

function freshStore() {
  const db = openDatabase(':memory:')
  return { db, store: new ResourceStore(db) }
}

describe('ResourceStore', () => {
  test('isWritable is false when the database refuses writes', () => {
    const { db, store } = freshStore()
    expect(store.isWritable()).toBe(true)
    db.exec('PRAGMA query_only = ON')
    expect(store.isWritable()).toBe(false)
  })

  test('update with no change keeps the version and lastModified', () => {
    const { store } = freshStore()
    const created = store.create('a', 'User', { data: { userName: 'ann' } }, new Date('2026-01-01T00:00:00Z'))
    const same = store.update('a', 'User', created.id, () => null, new Date('2026-02-01T00:00:00Z'))!
    expect(same.version).toBe(1)
    expect(same.lastModified).toBe('2026-01-01T00:00:00.000Z')
    const changed = store.update('a', 'User', created.id, () => ({ data: { userName: 'ann', title: 'x' } }), new Date('2026-02-01T00:00:00Z'))!
    expect(changed.version).toBe(2)
    expect(changed.lastModified).toBe('2026-02-01T00:00:00.000Z')
    expect(changed.created).toBe('2026-01-01T00:00:00.000Z')
  })

  test('a failed write inside update leaves the resource as it was', () => {
    const { store } = freshStore()
    const ann = store.create('a', 'User', { data: { userName: 'ann' } })
    const group = store.create('a', 'Group', { data: { displayName: 'g' }, members: [{ id: ann.id }] })
    expect(() => store.update('a', 'Group', group.id, () => ({ data: { displayName: 'renamed' }, members: [{ id: ann.id }, { id: 'missing' }] }))).toThrow()
    const after = store.get('a', 'Group', group.id)!
    expect(after.data.displayName).toBe('g')
    expect(after.members!.map((m) => m.value)).toEqual([ann.id])
    expect(after.version).toBe(1)
  })

  test('migrations are recorded and a database from a newer build is refused', () => {
    const { db } = freshStore()
    expect(db.query('SELECT version, name FROM _migrations').all()).toEqual([{ version: 1, name: 'initial' }, { version: 2, name: 'member-display' }, { version: 3, name: 'sync' }, { version: 4, name: 'folded-data' }, { version: 5, name: 'sync-runs' }, { version: 6, name: 'queue-claims' }, { version: 7, name: 'instance-connectors' }, { version: 8, name: 'resource-counts' }, { version: 9, name: 'plain-user-name-index' }, { version: 10, name: 'audit-time-index' }, { version: 11, name: 'folded-names' }, { version: 12, name: 'normal-form' }])
    db.exec("INSERT INTO _migrations (version, name, applied_at) VALUES (99, 'future', 'x')")
    expect(() => migrate(db)).toThrow(/newer scimify/)
  })
})
