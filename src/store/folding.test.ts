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
import { openDatabase } from './db'
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
