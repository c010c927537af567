import { describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { join } from 'node:path'
import { useTempDirs } from '../../test/support/temp-dir'
import { parseFilter } from '../scim/filter/parse'
import { userResourceType } from '../scim/schemas/resource-types'
import { openDatabase } from './db'
import { ResourceStore } from './resources'
import { SyncStore } from './sync'
import type { ListQuery } from './types'

const tempDir = useTempDirs()

/**
 * A store on a database file whose every `db.query(sql)` is recorded, so the
 * test can ask SQLite how it runs the statements a list really used.
 */
function setup(users: number) {
  const dir = tempDir('scimify-paging')
  const path = join(dir, 'scimify.db')
  const db = openDatabase(path)
  const queries: string[] = []
  const bindings = new Map<string, unknown[]>()
  /** The statement, recording the values it is run with (for EXPLAIN with the same bindings). */
  const recorded = (sql: string) => {
    const statement = db.query(sql)
    const run = (method: 'all' | 'get') => (...values: unknown[]) => (bindings.set(sql, values), (statement[method] as (...v: unknown[]) => unknown)(...values))
    return { all: run('all'), get: run('get') }
  }
  const recording = new Proxy(db, {
    get(target, property) {
      if (property === 'query') return (sql: string) => (queries.push(sql), recorded(sql))
      const value = Reflect.get(target, property)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  const store = new ResourceStore(recording, new SyncStore(db), () => false)
  for (let i = 0; i < users; i++) store.create('demo', 'User', { data: { userName: `user${String(i).padStart(4, '0')}` } })
  store.flush()
  const page = (startIndex: number, count = 100, extra: Partial<ListQuery> = {}) =>
    store.list('demo', 'User', { paging: { kind: 'index', startIndex, count }, resourceType: undefined as never, ...extra } as ListQuery)
  /** What a store that remembers nothing answers: plain OFFSET paging. */
  const fresh = (startIndex: number, count = 100) =>
    new ResourceStore(db, new SyncStore(db), () => false).list('demo', 'User', { paging: { kind: 'index', startIndex, count } } as ListQuery)
  const names = (result: { resources: { data: { userName?: unknown } }[] }) => result.resources.map((r) => r.data.userName)
  const plan = (sql: string) => (db.query(`EXPLAIN QUERY PLAN ${sql}`).all(...(bindings.get(sql) as never[])) as { detail: string }[]).map((row) => row.detail)
  return { db, path, store, queries, page, fresh, names, plan }
}

describe('paging through every user with startIndex, as an identity provider imports', () => {
  test('each page after the first continues by keyset on the primary key: no OFFSET over the rows before it, no count over all rows', () => {
    const { queries, page, plan } = setup(350)
    expect(page(1).totalResults).toBe(350)
    queries.length = 0
    const second = page(101)
    expect(second.totalResults).toBe(350)
    expect(second.resources.map((r) => r.data.userName)).toEqual(Array.from({ length: 100 }, (_, i) => `user${String(100 + i).padStart(4, '0')}`))
    expect(queries.length).toBe(1) // the total came from resource_counts, kept by triggers
    expect(queries[0]).not.toContain('OFFSET')
    expect(plan(queries[0])[0]).toMatch(/^SEARCH r USING (INTEGER PRIMARY KEY|INDEX resources_by_type) \(.*rowid>\?\)/)
    expect(plan(queries[0]).filter((line) => line.startsWith('SCAN'))).toEqual([])
  })

  test('pages stay exactly what OFFSET paging gives while users are created and deleted between them', () => {
    const { store, page, fresh, names } = setup(350)
    const seen = [names(page(1)), names(page(101))]
    // A user of the first page leaves and one joins: every position after the first page moves by one.
    const leaving = store.list('demo', 'User', { paging: { kind: 'index', startIndex: 5, count: 1 } } as ListQuery).resources[0]
    store.delete('demo', 'User', leaving.id)
    store.create('demo', 'User', { data: { userName: 'late' } })
    for (const startIndex of [201, 301, 101, 201, 301]) {
      const got = page(startIndex)
      expect(names(got)).toEqual(names(fresh(startIndex)))
      seen.push(names(got))
    }
    expect(seen.at(-1)!.at(-1)).toBe('late')
    expect(page(1).totalResults).toBe(350)
  })

  test("another process's commit (scimify import, restore) makes the store forget where pages end", () => {
    const { path, page, fresh, names } = setup(250)
    page(1)
    const other = new Database(path)
    other.run("DELETE FROM resources WHERE seq = (SELECT min(seq) FROM resources)")
    other.close()
    expect(names(page(101))).toEqual(names(fresh(101)))
    expect(page(1).totalResults).toBe(249)
  })

  test('a filtered list pages by OFFSET (positions there move with any update) and counts what matches; a userName eq filter is an index lookup', () => {
    const { queries, page, plan } = setup(150)
    const filter = (text: string) => ({ filter: parseFilter(text), resourceType: userResourceType }) as Partial<ListQuery>
    queries.length = 0
    const matching = page(6, 10, filter('userName sw "user01"'))
    expect(matching.totalResults).toBe(50) // user0100 … user0149
    expect(matching.resources.map((r) => r.data.userName)).toEqual(Array.from({ length: 10 }, (_, i) => `user01${String(5 + i).padStart(2, '0')}`))
    expect(queries.some((sql) => sql.includes('OFFSET'))).toBe(true)

    queries.length = 0
    const found = page(1, 100, filter('userName eq "user0042"'))
    expect(found.resources.map((r) => r.data.userName)).toEqual(['user0042'])
    // A page that is not full is the end of the results: it is its own total, without a count query.
    expect(found.totalResults).toBe(1)
    expect(queries).toHaveLength(1)
    for (const sql of queries) {
      expect(plan(sql).join('\n')).toMatch(/USING (COVERING )?INDEX resources_user_name \(instance=\? AND user_name_key=\?\)/)
      expect(plan(sql).filter((line) => line.startsWith('SCAN'))).toEqual([])
    }
  })

  // 50 users match `userName sw "user01"`: the total is the same whether a page proves it or the count query gives it.
  test.each([
    [1, 100, 50, 'a first page that is not full: its own total'],
    [1, 10, 10, 'a full page: counted'],
    [41, 10, 10, 'the last full page: counted'],
    [45, 10, 6, 'a last page that is not full: what came before plus what is on it'],
    [51, 10, 0, 'an empty page just past the end: counted'],
    [90, 10, 0, 'an empty page far past the end: counted (fewer matched than were skipped)'],
  ])('filtered totals: startIndex=%d count=%d gives %d resources (%s)', (startIndex, count, onPage) => {
    const { page, queries } = setup(150)
    queries.length = 0
    const result = page(startIndex, count, { filter: parseFilter('userName sw "user01"'), resourceType: userResourceType } as Partial<ListQuery>)
    expect(result.resources).toHaveLength(onPage)
    expect(result.totalResults).toBe(50)
    const countedSeparately = queries.some((sql) => sql.startsWith('SELECT count(*)'))
    expect(countedSeparately).toBe(onPage === 0 || onPage === count)
  })
})
