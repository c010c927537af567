/** Queries for the `status`, `users`, `groups` and `sync` commands: counts, keys, queue entries, last error, markAllDirty. */
import { describe, expect, test } from 'bun:test'
import { openDatabase } from './db'
import { ResourceStore } from './resources'
import { SyncStore } from './sync'

function fresh() {
  const db = openDatabase(':memory:')
  const sync = new SyncStore(db)
  return { db, sync, store: new ResourceStore(db, sync) }
}

describe('ResourceStore.countByType and keys', () => {
  test('count and list the resources of one instance only', () => {
    const { store } = fresh()
    expect(store.countByType('a')).toEqual({ users: 0, groups: 0 })
    const ann = store.create('a', 'User', { data: { userName: 'ann' } })
    const bob = store.create('a', 'User', { data: { userName: 'bob' } })
    const group = store.create('a', 'Group', { data: { displayName: 'g' }, members: [{ id: ann.id }] })
    store.create('b', 'User', { data: { userName: 'ann' } })

    expect(store.countByType('a')).toEqual({ users: 2, groups: 1 })
    expect(store.countByType('b')).toEqual({ users: 1, groups: 0 })
    expect(store.keys('a')).toEqual([
      { type: 'User', id: ann.id },
      { type: 'User', id: bob.id },
      { type: 'Group', id: group.id },
    ])
    store.delete('a', 'User', bob.id)
    expect(store.countByType('a')).toEqual({ users: 1, groups: 1 })
    expect(store.keys('a').map((key) => key.id)).toEqual([ann.id, group.id])
  })
})

describe('SyncStore queries', () => {
  const key = (id: string) => ({ instance: 'a', type: 'User' as const, id })

  test('queueEntries lists every entry of the instance, due or not, soonest first', () => {
    const { sync } = fresh()
    sync.markDirty(key('later'), 2_000)
    sync.markDirty(key('sooner'), 1_000)
    sync.markDirty({ instance: 'b', type: 'User', id: 'elsewhere' }, 500)
    sync.reschedule(key('later'), 9_000, 'boom', true)
    expect(sync.queueEntries('a')).toEqual([
      { instance: 'a', type: 'User', id: 'sooner', generation: 1, dueAt: 1_000, attempts: 0, lastError: null },
      { instance: 'a', type: 'User', id: 'later', generation: 1, dueAt: 9_000, attempts: 1, lastError: 'boom' },
    ])
    expect(sync.queueEntries('c')).toEqual([])
  })

  test('lastError: the queue entry scheduled last, else a failed link, else null', () => {
    const { sync } = fresh()
    expect(sync.lastError('a')).toBeNull()
    sync.saveLink({ ...key('f'), status: 'failed', lastError: 'link error', syncedAt: null })
    sync.saveLink({ ...key('ok'), status: 'synced', lastError: 'stale text on a synced link', syncedAt: null })
    expect(sync.lastError('a')).toBe('link error')
    sync.markDirty(key('x'), 1_000)
    sync.markDirty(key('y'), 1_000)
    sync.reschedule(key('x'), 5_000, 'older', true)
    sync.reschedule(key('y'), 7_000, 'newer', true)
    expect(sync.lastError('a')).toBe('newer')
    expect(sync.lastError('b')).toBeNull()
  })

  test('markAllDirty queues every resource and orphaned link of the instance, bumping existing entries', () => {
    const { store, sync } = fresh()
    const ann = store.create('a', 'User', { data: { userName: 'ann' } })
    const group = store.create('a', 'Group', { data: { displayName: 'g' } })
    store.create('b', 'User', { data: { userName: 'bob' } })
    // ann's entry is waiting after an error; the group's was done; "gone" has a link but no resource.
    sync.reschedule(key(ann.id), 99_000, 'boom', true)
    sync.complete({ instance: 'a', type: 'Group', id: group.id }, 1)
    sync.saveLink({ ...key('gone'), downstream: { id: 'x' }, applied: { active: true }, status: 'synced', lastError: null, syncedAt: null })
    const before = sync.queueEntry(key(ann.id))!

    expect(sync.markAllDirty('a', 50_000)).toBe(3)
    const entries = new Map(sync.queueEntries('a').map((entry) => [entry.id, entry]))
    expect([...entries.keys()].sort()).toEqual([ann.id, group.id, 'gone'].sort())
    expect(entries.get(ann.id)).toMatchObject({ generation: before.generation + 1, dueAt: Math.min(before.dueAt, 50_000), lastError: 'boom' })
    expect(entries.get(group.id)).toMatchObject({ generation: 1, dueAt: 50_000, attempts: 0 })
    expect(entries.get('gone')).toMatchObject({ type: 'User', generation: 1, dueAt: 50_000 })
    expect(sync.queueLength('b')).toBe(1)
  })
})
