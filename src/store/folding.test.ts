/**
 * Case-insensitive filters in SQL against the in-memory evaluator, on random
 * documents that mix ASCII-only ones and ones with non-ASCII letters
 * ("Ärztin" must match "ärztin"; SQLite's own lower() folds ASCII only).
 * FC_RUNS=<n> soaks with at least n runs and random seeds, as the other property tests.
 */
import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { readAttributePath } from '../scim/filter/attribute-path'
import { matchesFilter } from '../scim/filter/evaluate'
import { parseFilter } from '../scim/filter/parse'
import { userResourceType } from '../scim/schemas/resource-types'
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../scim/schemas/urns'
import { Database } from 'bun:sqlite'
import { openDatabase } from './db'
import { foldStrings } from './fold'
import { migrate, migrations } from './migrations'
import { ResourceStore } from './resources'

const SOAK = Number(process.env.FC_RUNS ?? 0) || 0
const params = (ciRuns: number) => ({
  numRuns: Math.max(ciRuns, SOAK),
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : SOAK ? undefined : 20261129,
})

/** Letters whose case folds in ASCII and beyond it (ß has no upper case of its own here; ẞ folds to it). */
const letter = fc.constantFrom('a', 'A', 'z', 'Z', 'ä', 'Ä', 'é', 'É', 'ß', 'ẞ', ' ', '@')
const text = fc.array(letter, { minLength: 0, maxLength: 4 }).map((letters) => letters.join(''))
/** Mostly ASCII-only documents, as most directories hold; some with a non-ASCII letter. */
const asciiText = fc.array(fc.constantFrom('a', 'A', 'z', 'Z', ' ', '@'), { minLength: 0, maxLength: 4 }).map((letters) => letters.join(''))
const value = fc.oneof(asciiText, text)

const person = (index: number) =>
  fc
    .record(
      {
        title: value,
        nickName: value,
        name: fc.record({ familyName: value, givenName: value }, { requiredKeys: [] }),
        emails: fc.array(fc.record({ value, type: value }), { maxLength: 2 }),
        [ENTERPRISE_USER_SCHEMA]: fc.record({ department: value }),
      },
      { requiredKeys: [] },
    )
    .map((attributes) => ({ schemas: [USER_SCHEMA], userName: `user${index}`, ...attributes }))

const people = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => person(i))))

const ATTRIBUTES = ['title', 'nickName', 'name.familyName', 'emails.type', 'emails.value', 'emails', `${ENTERPRISE_USER_SCHEMA}:department`]
const quoted = (operand: string) => JSON.stringify(operand)
const filter = fc.oneof(
  fc
    .tuple(fc.constantFrom(...ATTRIBUTES), fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'), text)
    .map(([attribute, op, operand]) => `${attribute} ${op} ${quoted(operand)}`),
  fc.tuple(text, fc.constantFrom('eq', 'co', 'sw')).map(([operand, op]) => `emails[type ${op} ${quoted(operand)}]`),
  fc.constantFrom(...ATTRIBUTES, 'name').map((attribute) => `${attribute} pr`),
)

describe('case-insensitive filters in SQL', () => {
  test('property: the users SQLite finds are those the in-memory evaluator finds, for ASCII and non-ASCII documents', () => {
    fc.assert(
      fc.property(people, fc.array(filter, { minLength: 1, maxLength: 4 }), (documents, filters) => {
        const store = new ResourceStore(openDatabase(':memory:'))
        for (const data of documents) store.create('t', 'User', { data })
        const page = { kind: 'index', startIndex: 1, count: 100 } as const
        const all = store.list('t', 'User', { resourceType: userResourceType, paging: page }).resources
        for (const text of filters) {
          const parsed = parseFilter(text)
          const fromSql = store.list('t', 'User', { filter: parsed, resourceType: userResourceType, paging: page })
          const inMemory = all.filter((r) => matchesFilter(parsed, { ...r.data, id: r.id }, userResourceType))
          expect({ filter: text, users: fromSql.resources.map((r) => r.data.userName) }).toEqual({ filter: text, users: inMemory.map((r) => r.data.userName) })
        }
      }),
      params(150),
    )
  }, SOAK ? 60 * 60_000 : 20_000)

  test('sorting folds like filtering: "ärztin" after "Zed", "Äb" beside "äb"', () => {
    const store = new ResourceStore(openDatabase(':memory:'))
    for (const [userName, title] of [['u1', 'Zed'], ['u2', 'ärztin'], ['u3', 'Apple'], ['u4', 'ÄB'], ['u5', 'zebra']]) {
      store.create('t', 'User', { data: { schemas: [USER_SCHEMA], userName, title } })
    }
    const sorted = store.list('t', 'User', {
      resourceType: userResourceType,
      sort: { path: readAttributePath('title')!, descending: false },
      paging: { kind: 'index', startIndex: 1, count: 10 },
    })
    expect(sorted.resources.map((r) => r.data.title)).toEqual(['Apple', 'zebra', 'Zed', 'ÄB', 'ärztin'])
  })
})

describe('schema version 11 (folded names, no copy for ASCII documents)', () => {
  test("a database of version 10 gets each document's new folded copy, and its filters find the same users", () => {
    const db = new Database(':memory:', { strict: true })
    db.exec('CREATE TABLE _migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)')
    for (const migration of migrations.filter((m) => m.version <= 10)) {
      migration.up(db)
      db.query('INSERT INTO _migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, 'x')
    }
    // As version 10 stored them: strings folded, member names as they are.
    const insert = db.query(
      "INSERT INTO resources (instance, type, id, user_name_key, data, data_lc, version, created, last_modified) VALUES ('t', 'User', ?, ?, ?, ?, 1, 'x', 'x')",
    )
    for (const [id, data] of [
      ['1', { schemas: [USER_SCHEMA], userName: 'ann', title: 'Engineer', name: { familyName: 'Lee' } }],
      ['2', { schemas: [USER_SCHEMA], userName: 'eva', title: 'Ärztin', name: { familyName: 'ÖZ' } }],
    ] as const) {
      insert.run(id, data.userName, JSON.stringify(data), JSON.stringify(foldStrings(data)))
    }

    migrate(db)

    const copies = db.query<{ id: string; data_lc: string }, []>('SELECT id, data_lc FROM resources ORDER BY id').all()
    expect(copies).toEqual([
      { id: '1', data_lc: '' },
      { id: '2', data_lc: JSON.stringify({ schemas: [USER_SCHEMA.toLowerCase()], username: 'eva', title: 'ärztin', name: { familyname: 'öz' } }) },
    ])
    const store = new ResourceStore(db)
    const found = (filter: string) =>
      store.list('t', 'User', { filter: parseFilter(filter), resourceType: userResourceType, paging: { kind: 'index', startIndex: 1, count: 10 } }).resources.map((r) => r.id)
    expect(found('title eq "ÄRZTIN"')).toEqual(['2'])
    expect(found('name.familyName eq "öz"')).toEqual(['2'])
    expect(found('title sw "eng"')).toEqual(['1'])
    expect(found('name.familyName eq "LEE"')).toEqual(['1'])
  })
})
