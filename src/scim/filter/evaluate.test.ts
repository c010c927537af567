import { describe, expect, test } from 'bun:test'
import { ScimError } from '../errors'
import { groupResourceType, userResourceType } from '../schemas'
import { parseAttributePath, parseFilter } from './parse'
import { compileFilter, matchesFilter, resolveAttributePath } from './evaluate'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/** Canonical form of RFC 7643 §8.2's full user, trimmed. */
const bjensen = {
  schemas: [USER, ENTERPRISE],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'Bjensen-Ext',
  meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z', version: 'W/"3694e05e9dff591"' },
  userName: 'bjensen@example.com',
  name: { formatted: 'Ms. Barbara J Jensen, III', familyName: "O'Malley", givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  title: 'Tour Guide',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  ims: [{ value: 'someaimhandle', type: 'aim' }],
  addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', primary: true }],
  x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJ' }],
  [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' } },
}

const matches = (filter: string, resource: Record<string, unknown> = bjensen) => matchesFilter(parseFilter(filter), resource, userResourceType)

function scimTypeOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    if (error instanceof ScimError) return error.scimType
    throw error
  }
  return undefined
}

describe('matchesFilter on RFC 7643 §8.2 bjensen', () => {
  const rows: [string, boolean][] = [
    // RFC 7644 §3.4.2.2 examples
    ['userName eq "bjensen@example.com"', true],
    ['name.familyName co "O\'Malley"', true],
    ['userName sw "J"', false],
    ['userName sw "B"', true],
    [`${USER}:userName sw "bjensen"`, true],
    ['title pr', true],
    ['nickName pr', false],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', true],
    ['title pr and userType eq "Employee"', true],
    ['title pr or userType eq "Intern"', true],
    ['nickName pr or userType eq "Intern"', false],
    [`schemas eq "${ENTERPRISE}"`, true],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', true],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', false],
    ['userType eq "Employee" and (emails.type eq "work")', true],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', true],
    ['emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', true],
    ['emails[type eq "home" and value co "@example.com"]', false],
    // caseExact: strings ignore case unless the schema says caseExact (id, externalId are)
    ['userName eq "BJENSEN@EXAMPLE.COM"', true],
    ['externalId eq "Bjensen-Ext"', true],
    ['externalId eq "bjensen-ext"', false],
    ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
    ['meta.resourceType eq "User"', true],
    // dateTimes compare as instants
    ['meta.created eq "2010-01-23T04:56:22.000Z"', true],
    ['meta.created eq "2010-01-23T05:56:22+01:00"', true],
    ['meta.created gt "2010-01-23T04:56:21.999Z"', true],
    // multi-valued: any value matches; complex multi-valued compares "value"
    ['emails eq "babs@jensen.org"', true],
    ['emails ew ".org"', true],
    ['emails.type eq "home"', true],
    ['emails.type eq "other"', false],
    ['emails[primary eq true]', true],
    ['emails[primary eq true and type eq "home"]', false],
    ['emails[not (type eq "work")]', true],
    ['addresses[locality eq "hollywood"]', true],
    ['addresses.streetAddress sw "100"', true],
    // booleans, also from "True"/"False" strings
    ['active eq true', true],
    ['active eq false', false],
    ['active eq "True"', true],
    ['active ne false', true],
    // ne: single-valued absent matches; multi-valued matches when any value differs
    ['nickName ne "x"', true],
    ['title ne "tour guide"', false],
    ['emails.type ne "work"', true],
    ['ims.type ne "aim"', false],
    // null and presence
    ['nickName eq null', true],
    ['title eq null', false],
    ['title ne null', true],
    ['name pr', true],
    ['phoneNumbers pr', false],
    // extension attributes, qualified and (leniently) not
    [`${ENTERPRISE}:department eq "tour operations"`, true],
    [`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
    [`${ENTERPRISE}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
    ['employeeNumber eq "701984"', true],
    [`${ENTERPRISE}:costCenter pr`, false],
    // names and operators in any case; the legacy core URN
    ['USERNAME EQ "bjensen@example.com"', true],
    ['Emails[Type eq "work"]', true],
    ['urn:scim:schemas:core:2.0:userName eq "bjensen@example.com"', true],
    [`${USER.toLowerCase()}:name.givenname eq "barbara"`, true],
    // binary: caseExact
    ['x509Certificates eq "MIIDQzCCAqygAwIBAgICEAAwDQYJ"', true],
    ['x509Certificates eq "miidqzccaqygawibagicEAAwDQYJ"', false],
  ]
  test.each(rows)('%s → %p', (filter, expected) => {
    expect(matches(filter)).toBe(expected)
  })
})

describe('matchesFilter: what the store may hold', () => {
  test('schemas and meta.resourceType default from the resource type', () => {
    const bare = { id: '1', userName: 'a', [ENTERPRISE]: { department: 'x' } }
    expect(matches(`schemas eq "${ENTERPRISE}"`, bare)).toBe(true)
    expect(matches(`schemas eq "${USER}"`, { id: '1', userName: 'a' })).toBe(true)
    expect(matches(`schemas eq "${ENTERPRISE}"`, { id: '1', userName: 'a' })).toBe(false)
    expect(matches('meta.resourceType eq "User"', bare)).toBe(true)
  })

  test('an empty string is not present', () => {
    expect(matches('title pr', { title: '' })).toBe(false)
    expect(matches('name pr', { name: { givenName: '' } })).toBe(false)
    expect(matches('emails pr', { emails: [] })).toBe(false)
  })

  test('group members', () => {
    const group = { id: 'g1', displayName: 'Admins', members: [{ value: 'u1', type: 'User' }, { value: 'u2' }] }
    const run = (filter: string) => matchesFilter(parseFilter(filter), group, groupResourceType)
    expect(run('members[value eq "u2"]')).toBe(true)
    expect(run('members eq "u1"')).toBe(true)
    expect(run('members.value eq "u3"')).toBe(false)
    expect(run('displayName eq "admins"')).toBe(true)
  })

  test('compileFilter gives a reusable predicate', () => {
    const predicate = compileFilter(parseFilter('active eq true'), userResourceType)
    expect([{ active: true }, { active: false }, {}].map(predicate)).toEqual([true, false, false])
  })
})

describe('matchesFilter: invalid filters are an invalidFilter, whatever the data', () => {
  const rows: string[] = [
    'nope eq "x"',
    'name.nope eq "x"',
    'userName.x eq "x"',
    'urn:example:unknown:2.0:User:userName eq "x"',
    `${ENTERPRISE}:userName eq "x"`,
    'name eq "x"',
    'addresses eq "x"',
    'emails[nope eq "x"]',
    'emails[value.x eq "x"]',
    'userName[value eq "x"]',
    'active gt true',
    'active co "t"',
    'active eq "yes"',
    'active eq 1',
    'meta.created gt "yesterday"',
    'meta.created co "2010"',
    'x509Certificates gt "a"',
    'userName gt null',
    'meta.version.x eq "a"',
    'id.x pr',
    'urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x"',
  ]
  test.each(rows)('%s', (filter) => {
    expect(scimTypeOf(() => matches(filter, {}))).toBe('invalidFilter')
    expect(scimTypeOf(() => matches(`title pr and ${filter}`, {}))).toBe('invalidFilter')
  })
})

describe('resolveAttributePath', () => {
  const rows: [string, string, Record<string, unknown>][] = [
    ['userName', 'User', { schema: USER, attribute: 'userName' }],
    ['NAME.GIVENNAME', 'User', { schema: USER, attribute: 'name', subAttribute: 'givenName' }],
    [`${ENTERPRISE}:Manager.Value`, 'User', { schema: ENTERPRISE, attribute: 'manager', subAttribute: 'value' }],
    ['department', 'User', { schema: ENTERPRISE, attribute: 'department' }],
    ['urn:scim:schemas:core:2.0:emails', 'User', { schema: USER, attribute: 'emails' }],
    ['id', 'User', { common: 'id' }],
    ['externalId', 'Group', { common: 'externalId' }],
    ['meta.lastModified', 'User', { common: 'meta.lastModified' }],
    [`${USER}:meta.created`, 'User', { common: 'meta.created' }],
    ['schemas', 'Group', { common: 'schemas' }],
    ['members.value', 'Group', { schema: 'urn:ietf:params:scim:schemas:core:2.0:Group', attribute: 'members', subAttribute: 'value' }],
  ]
  test.each(rows)('%s on %s', (text, type, expected) => {
    const resolved = resolveAttributePath(parseAttributePath(text), type === 'User' ? userResourceType : groupResourceType)
    const summary: Record<string, unknown> =
      'common' in resolved
        ? { common: resolved.common }
        : { schema: resolved.schema.id, attribute: resolved.attribute.name, ...(resolved.subAttribute && { subAttribute: resolved.subAttribute.name }) }
    expect(summary).toEqual(expected)
  })

  test('common attributes carry their RFC 7643 §3.1 definitions', () => {
    const id = resolveAttributePath({ attribute: 'id' }, userResourceType)
    expect(id.attribute).toMatchObject({ name: 'id', caseExact: true, mutability: 'readOnly' })
    expect(resolveAttributePath({ attribute: 'meta', subAttribute: 'created' }, userResourceType).attribute.type).toBe('dateTime')
    expect(resolveAttributePath({ attribute: 'externalId' }, userResourceType).attribute).toMatchObject({ caseExact: true, mutability: 'readWrite' })
  })

  test('throws the scimType asked for', () => {
    expect(scimTypeOf(() => resolveAttributePath({ attribute: 'nope' }, userResourceType))).toBe('invalidFilter')
    expect(scimTypeOf(() => resolveAttributePath({ attribute: 'nope' }, userResourceType, 'invalidPath'))).toBe('invalidPath')
    expect(scimTypeOf(() => resolveAttributePath({ attribute: 'members' }, userResourceType))).toBe('invalidFilter')
  })
})
