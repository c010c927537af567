import { describe, expect, test } from 'bun:test'
import { parseProjection, project } from './projection'
import { builtInSchemas } from './schemas/instance'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: 'u1',
  externalId: 'e1',
  userName: 'ann',
  name: { givenName: 'Ann', familyName: 'Lee' },
  emails: [{ value: 'a@x', type: 'work', primary: true }, { value: 'b@x', type: 'home' }],
  password: 'never-returned',
  [ENTERPRISE]: { department: 'R&D', costCenter: 'C1' },
  meta: { resourceType: 'User', version: 'W/"1"', location: 'http://x/Users/u1' },
}
const always = { schemas: user.schemas, id: 'u1' }

// [attributes, excludedAttributes, expected]
const cases: [string | null, string | null, object][] = [
  [null, null, (({ password, ...rest }) => rest)(user)],
  ['userName', null, { ...always, userName: 'ann' }],
  ['USERNAME,Name.GivenName', null, { ...always, userName: 'ann', name: { givenName: 'Ann' } }],
  ['emails.value', null, { ...always, emails: [{ value: 'a@x' }, { value: 'b@x' }] }],
  ['password,id', null, always],
  [`${ENTERPRISE}:department`, null, { ...always, [ENTERPRISE]: { department: 'R&D' } }],
  [ENTERPRISE, null, { ...always, [ENTERPRISE]: user[ENTERPRISE] }],
  ['meta.version', null, { ...always, meta: { version: 'W/"1"' } }],
  ['nosuchattribute', null, always],
  ['emails[type eq "work"]', null, { ...always, emails: user.emails }],
  ['emails[type eq "work"].value', null, { ...always, emails: [{ value: 'a@x' }, { value: 'b@x' }] }],
  [null, 'emails,meta,name', { ...always, externalId: 'e1', userName: 'ann', [ENTERPRISE]: user[ENTERPRISE] }],
  [null, 'id,schemas', (({ password, ...rest }) => rest)(user)],
  [null, `name.familyName,${ENTERPRISE}:costCenter,emails.type,externalId,meta,userName`, { ...always, name: { givenName: 'Ann' }, emails: [{ value: 'a@x', primary: true }, { value: 'b@x' }], [ENTERPRISE]: { department: 'R&D' } }],
  ['userName', 'userName', { ...always, userName: 'ann' }],
]

describe('project (RFC 7644 §3.4.2.5)', () => {
  for (const [attributes, excluded, expected] of cases) {
    test(`attributes=${attributes} excludedAttributes=${excluded}`, () => {
      expect(project(user, builtInSchemas.User, parseProjection(attributes, excluded))).toEqual(expected as never)
    })
  }

  test('parseProjection ignores empty items and empty parameters', () => {
    expect(parseProjection(' userName , ,emails ', '')).toEqual({ attributes: ['userName', 'emails'], excludedAttributes: undefined })
  })
})
