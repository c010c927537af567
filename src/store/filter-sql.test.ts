import { describe, expect, test } from 'bun:test'
import { matchesFilter } from '../scim/filter/evaluate'
import { parseFilter } from '../scim/filter/parse'
import { userResourceType } from '../scim/schemas/resource-types'
import { openDatabase } from './db'
import { filterToSql } from './filter-sql'
import { ResourceStore } from './resources'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

const people = [
  { userName: 'ann', displayName: 'Ann Lee', title: 'Engineer', active: true, externalId: 'E-1', name: { givenName: 'Ann', familyName: 'Lee' }, emails: [{ value: 'ann@corp.example', type: 'work', primary: true }, { value: 'ann@home.example', type: 'home' }], [ENTERPRISE]: { department: 'R&D', employeeNumber: '100' } },
  { userName: 'Bob', displayName: 'Bob Stone', title: 'Manager', active: false, externalId: 'e-2', name: { givenName: 'Bob', familyName: 'Stone' }, emails: [{ value: 'bob@corp.example', type: 'work' }], [ENTERPRISE]: { department: 'Sales' } },
  { userName: 'carol', displayName: 'Carol', active: true, emails: [{ value: 'carol@home.example', type: 'home' }] },
  { userName: 'dave', title: 'engineer' },
]

function seeded() {
  const store = new ResourceStore(openDatabase(':memory:'))
  for (const person of people) store.create('t', 'User', { data: person })
  store.create('other', 'User', { data: { userName: 'ann' } })
  return store
}

// Each filter is run in SQLite and in memory; both must give the expected users.
const cases: [string, string[]][] = [
  ['userName eq "ann"', ['ann']],
  ['userName eq "ANN"', ['ann']],
  ['UserName Eq "bob"', ['Bob']],
  ['userName ne "ann"', ['Bob', 'carol', 'dave']],
  ['userName sw "c"', ['carol']],
  ['userName ew "VE"', ['dave']],
  ['userName co "o"', ['Bob', 'carol']],
  ['userName gt "bob"', ['carol', 'dave']],
  ['userName le "bob"', ['ann', 'Bob']],
  ['externalId eq "E-1"', ['ann']],
  ['externalId eq "e-1"', []],
  ['displayName eq "ann lee"', ['ann']],
  ['title eq "engineer"', ['ann', 'dave']],
  ['title pr', ['ann', 'Bob', 'dave']],
  ['not (title pr)', ['carol']],
  ['active eq true', ['ann', 'carol']],
  ['active eq false', ['Bob']],
  ['name.familyName eq "lee"', ['ann']],
  ['name.givenName sw "B" or name.familyName eq "Lee"', ['ann', 'Bob']],
  ['emails.value eq "BOB@corp.example"', ['Bob']],
  ['emails eq "carol@home.example"', ['carol']],
  ['emails.value co "@home"', ['ann', 'carol']],
  ['emails.type eq "work"', ['ann', 'Bob']],
  ['emails[type eq "work" and value co "@corp"]', ['ann', 'Bob']],
  ['emails[type eq "home"] and active eq true', ['ann', 'carol']],
  ['emails[primary eq true]', ['ann']],
  ['emails pr', ['ann', 'Bob', 'carol']],
  [`${ENTERPRISE}:department eq "r&d"`, ['ann']],
  ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "carol"', ['carol']],
  ['title eq "engineer" and (active eq true or userName eq "dave")', ['ann', 'dave']],
  ['meta.created gt "2000-01-01T00:00:00Z"', ['ann', 'Bob', 'carol', 'dave']],
  ['meta.lastModified lt "2000-01-01T00:00:00+01:00"', []],
]

describe('filter to SQL', () => {
  const store = seeded()
  const all = store.list('t', 'User', { resourceType: userResourceType, paging: { kind: 'index', startIndex: 1, count: 100 } }).resources

  for (const [filter, expected] of cases) {
    test(filter, () => {
      const parsed = parseFilter(filter)
      const fromSql = store.list('t', 'User', { filter: parsed, resourceType: userResourceType, paging: { kind: 'index', startIndex: 1, count: 100 } })
      expect(fromSql.resources.map((r) => r.data.userName)).toEqual(expected)
      expect(fromSql.totalResults).toBe(expected.length)
      const inMemory = all.filter((r) =>
        matchesFilter(parsed, { ...r.data, id: r.id, meta: { created: r.created, lastModified: r.lastModified } }, userResourceType),
      )
      expect(inMemory.map((r) => r.data.userName)).toEqual(expected)
    })
  }

  test('unknown attributes and unsupported comparisons are invalidFilter', () => {
    for (const filter of ['shoeSize eq 9', 'name eq "x"', 'active gt true', 'emails[nope eq "x"]']) {
      expect(() => filterToSql(parseFilter(filter), userResourceType)).toThrow(expect.objectContaining({ scimType: 'invalidFilter' }))
    }
  })

  test('lookups by userName, externalId and email use indexes, not a scan', () => {
    const db = openDatabase(':memory:')
    const plan = (filter: string) => {
      const where = filterToSql(parseFilter(filter), userResourceType)
      const rows = db
        .query(`EXPLAIN QUERY PLAN SELECT r.* FROM resources r WHERE r.instance = ? AND r.type = ? AND (${where.sql}) ORDER BY r.seq LIMIT 10`)
        .all(...(['t', 'User', ...where.params] as never[])) as { detail: string }[]
      return rows.map((row) => row.detail).join('\n')
    }
    expect(plan('userName eq "ann"')).toContain('USING INDEX resources_user_name')
    expect(plan('externalId eq "x"')).toContain('USING INDEX resources_external_id')
    expect(plan('emails.value eq "a@b"')).toContain('USING INDEX resource_values_lookup')
    for (const filter of ['userName eq "ann"', 'externalId eq "x"']) expect(plan(filter)).not.toMatch(/SCAN r\b/)
  })
})
