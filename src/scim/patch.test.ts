import { describe, expect, test } from 'bun:test'
import { ScimError } from './errors'
import { applyPatch } from './patch'
import { parsePatchPath, type PatchPath } from './patch-path'
import { groupResourceType, PATCH_OP, userResourceType } from './schemas'

type Resource = Record<string, unknown>
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const U1 = '2819c223-7f76-453a-919d-413861904646'
const U2 = '902c246b-6245-4190-8e05-00816be7344a'
const U3 = '08e1d05d-121c-4561-8b96-473d93df9210'

/** Frozen, so any mutation of the input by applyPatch throws. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(frozen)
    Object.freeze(value)
  }
  return value
}

const user = (extra: Resource = {}): Resource => frozen({ id: 'u-1', userName: 'bjensen', ...extra })
const group = (members: string[], extra: Resource = {}): Resource =>
  frozen({ id: 'g-1', displayName: 'Admins', members: members.map((value) => ({ value, type: 'User' })), ...extra })

const body = (...operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations })

interface Row {
  name: string
  resource: Resource
  operations: unknown[]
  expected: Resource
  /** Defaults to true. */
  changed?: boolean
}

function run(rows: Row[]) {
  test.each(rows.map((row) => [row.name, row] as const))('%s', (_, row) => {
    const resourceType = 'members' in row.resource || row.resource.id === 'g-1' ? groupResourceType : userResourceType
    const result = applyPatch(row.resource, body(...row.operations), resourceType)
    expect(result.resource).toEqual(row.expected)
    expect(result.changed).toBe(row.changed ?? true)
  })
}

describe('applyPatch: RFC 7644 §3.5.2 examples', () => {
  run([
    {
      name: '§3.5.2.1 add a member',
      resource: group([U2]),
      operations: [{ op: 'add', path: 'members', value: [{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${U1}`, value: U1 }] }],
      expected: { id: 'g-1', displayName: 'Admins', members: [{ value: U2, type: 'User' }, { value: U1, display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${U1}` }] },
    },
    {
      name: '§3.5.2.1 add without path (names in any case)',
      resource: user({ emails: [{ value: 'bjensen@example.com', type: 'work' }] }),
      operations: [{ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } }],
      expected: user({ emails: [{ value: 'bjensen@example.com', type: 'work' }, { value: 'babs@jensen.org', type: 'home' }], nickName: 'Babs' }),
    },
    {
      name: '§3.5.2.2 remove one member',
      resource: group([U1, U2]),
      operations: [{ op: 'remove', path: `members[value eq "${U1}"]` }],
      expected: group([U2]),
    },
    {
      name: '§3.5.2.2 remove all members',
      resource: group([U1, U2]),
      operations: [{ op: 'remove', path: 'members' }],
      expected: { id: 'g-1', displayName: 'Admins' },
    },
    {
      name: '§3.5.2.2 remove values matching a filter',
      resource: user({ emails: [{ value: 'b@example.com', type: 'work' }, { value: 'b@jensen.org', type: 'work' }] }),
      operations: [{ op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' }],
      expected: user({ emails: [{ value: 'b@jensen.org', type: 'work' }] }),
    },
    {
      name: '§3.5.2.2 remove all members, then add one',
      resource: group([U1, U2]),
      operations: [{ op: 'remove', path: 'members' }, { op: 'add', path: 'members', value: [{ display: 'James Smith', value: U3 }] }],
      expected: { id: 'g-1', displayName: 'Admins', members: [{ value: U3, display: 'James Smith' }] },
    },
    {
      name: '§3.5.2.3 replace all members',
      resource: group([U1, U2]),
      operations: [{ op: 'replace', path: 'members', value: [{ value: U3 }, { value: U1 }] }],
      expected: { id: 'g-1', displayName: 'Admins', members: [{ value: U3 }, { value: U1 }] },
    },
    {
      name: '§3.5.2.3 replace the work address',
      resource: user({ addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood' }, { type: 'home', locality: 'LA' }] }),
      operations: [{
        op: 'replace',
        path: 'addresses[type eq "work"]',
        value: { type: 'work', streetAddress: '911 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'US', primary: true },
      }],
      expected: user({
        addresses: [
          { type: 'work', streetAddress: '911 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'US', primary: true },
          { type: 'home', locality: 'LA' },
        ],
      }),
    },
    {
      name: '§3.5.2.3 replace a sub-attribute of the work address',
      resource: user({ addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza' }] }),
      operations: [{ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' }],
      expected: user({ addresses: [{ type: 'work', streetAddress: '1010 Broadway Ave' }] }),
    },
    {
      name: '§3.5.2.3 replace several attributes without path',
      resource: user({ nickName: 'B', emails: [{ value: 'old@example.com', type: 'work' }] }),
      operations: [{ op: 'replace', value: { emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } }],
      expected: user({ nickName: 'Babs', emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@jensen.org', type: 'home' }] }),
    },
  ])
})

describe('applyPatch: identity providers', () => {
  run([
    {
      name: 'Entra: capitalised op and "False" string',
      resource: user({ active: true }),
      operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      expected: user({ active: false }),
    },
    {
      name: 'Entra: no-path replace with dotted and schema-qualified keys',
      resource: user({ name: { givenName: 'Barbara', familyName: 'Jensen' } }),
      operations: [{ op: 'Replace', value: { 'name.givenName': 'Babs', [`${ENTERPRISE}:department`]: 'Sales', [`${ENTERPRISE}:manager.value`]: 'm-1' } }],
      expected: user({ name: { givenName: 'Babs', familyName: 'Jensen' }, [ENTERPRISE]: { department: 'Sales', manager: { value: 'm-1' } } }),
    },
    {
      name: 'Entra: add a work email that does not exist yet',
      resource: user({ emails: [{ value: 'home@example.com', type: 'home' }] }),
      operations: [{ op: 'Add', path: 'emails[type eq "work"].value', value: 'work@example.com' }],
      expected: user({ emails: [{ value: 'home@example.com', type: 'home' }, { type: 'work', value: 'work@example.com' }] }),
    },
    {
      name: 'Entra: replace the value of an existing work email',
      resource: user({ emails: [{ value: 'old@example.com', type: 'work', primary: true }] }),
      operations: [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }],
      expected: user({ emails: [{ value: 'new@example.com', type: 'work', primary: true }] }),
    },
    {
      name: 'Entra: remove members by value array',
      resource: group([U1, U2, U3]),
      operations: [{ op: 'Remove', path: 'members', value: [{ value: U1 }, { value: U3 }] }],
      expected: group([U2]),
    },
    {
      name: 'Entra: remove a member by filter path',
      resource: group([U1, U2]),
      operations: [{ op: 'Remove', path: `members[value eq "${U2}"]` }],
      expected: group([U1]),
    },
    {
      name: 'Entra: add members that are already there changes nothing',
      resource: group([U1, U2]),
      operations: [{ op: 'Add', path: 'members', value: [{ value: U1 }, { value: U2.toUpperCase() }] }],
      expected: group([U1, U2]),
      changed: false,
    },
    {
      name: 'Entra: removing a member that is not there changes nothing',
      resource: group([U1]),
      operations: [{ op: 'Remove', path: `members[value eq "${U2}"]` }, { op: 'Remove', path: 'members', value: [{ value: U3 }] }],
      expected: group([U1]),
      changed: false,
    },
    {
      name: 'Entra: re-sending unchanged values changes nothing',
      resource: user({ active: true, displayName: 'Babs', name: { givenName: 'Barbara' }, emails: [{ value: 'b@example.com', type: 'work' }], [ENTERPRISE]: { department: 'Sales' } }),
      operations: [
        { op: 'Replace', path: 'active', value: 'True' },
        { op: 'Replace', value: { displayName: 'Babs', 'name.givenName': 'Barbara', [`${ENTERPRISE}:department`]: 'Sales' } },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'b@example.com' },
      ],
      expected: user({ active: true, displayName: 'Babs', name: { givenName: 'Barbara' }, emails: [{ value: 'b@example.com', type: 'work' }], [ENTERPRISE]: { department: 'Sales' } }),
      changed: false,
    },
    {
      name: 'Saviynt: member filter without a space before the value',
      resource: group([U1, U2]),
      operations: [{ op: 'remove', path: `members[value eq"${U1}"]` }],
      expected: group([U2]),
    },
    {
      name: 'Okta: deactivate without path',
      resource: user({ active: true }),
      operations: [{ op: 'replace', value: { active: false } }],
      expected: user({ active: false }),
    },
    {
      name: 'Okta: group rename sends the group id back',
      resource: group([U1]),
      operations: [{ op: 'replace', value: { id: 'g-1', displayName: 'Operators' } }],
      expected: group([U1], { displayName: 'Operators' }),
    },
    {
      name: 'Okta: replace all members',
      resource: group([U1, U2]),
      operations: [{ op: 'replace', path: 'members', value: [{ value: U2, display: 'b' }, { value: U3, display: 'c' }] }],
      expected: { id: 'g-1', displayName: 'Admins', members: [{ value: U2, display: 'b' }, { value: U3, display: 'c' }] },
    },
    {
      name: 'Okta: replace members with []',
      resource: group([U1, U2]),
      operations: [{ op: 'replace', path: 'members', value: [] }],
      expected: { id: 'g-1', displayName: 'Admins' },
    },
    {
      name: 'Okta: replace members with the same set in another order changes nothing',
      resource: frozen({ id: 'g-1', displayName: 'Admins', members: [{ value: U1 }, { value: U2 }] }),
      operations: [{ op: 'replace', path: 'members', value: [{ value: U2 }, { value: U1 }] }],
      expected: { id: 'g-1', displayName: 'Admins', members: [{ value: U1 }, { value: U2 }] },
      changed: false,
    },
    {
      name: 'Okta: a single member object where an array is meant',
      resource: group([U1]),
      operations: [{ op: 'add', path: 'members', value: { value: U2 } }],
      expected: { id: 'g-1', displayName: 'Admins', members: [{ value: U1, type: 'User' }, { value: U2 }] },
    },
    {
      name: 'SailPoint: partial complex replaces keep the other sub-attributes',
      resource: user({ name: { formatted: 'Barbara Jensen' } }),
      operations: [{ op: 'replace', value: { name: { familyName: 'Jensen' } } }, { op: 'replace', value: { name: { givenName: 'Barbara' } } }],
      expected: user({ name: { formatted: 'Barbara Jensen', familyName: 'Jensen', givenName: 'Barbara' } }),
    },
    {
      name: 'sub-attribute names and booleans canonicalised',
      resource: user(),
      operations: [{ op: 'add', path: 'Emails', value: [{ Value: 'x@example.com', Type: 'work', Primary: 'True' }] }],
      expected: user({ emails: [{ value: 'x@example.com', type: 'work', primary: true }] }),
    },
  ])
})

describe('applyPatch: semantics', () => {
  run([
    {
      name: 'empty Operations changes nothing',
      resource: user({ active: true }),
      operations: [],
      expected: user({ active: true }),
      changed: false,
    },
    {
      name: 'a new primary value clears the old one',
      resource: user({ emails: [{ value: 'a@example.com', primary: true }, { value: 'b@example.com' }] }),
      operations: [{ op: 'add', path: 'emails', value: { value: 'c@example.com', primary: true } }],
      expected: user({ emails: [{ value: 'a@example.com', primary: false }, { value: 'b@example.com' }, { value: 'c@example.com', primary: true }] }),
    },
    {
      name: 'primary set through a filter path clears the others',
      resource: user({ emails: [{ value: 'a@example.com', type: 'work', primary: true }, { value: 'b@example.com', type: 'home' }] }),
      operations: [{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }],
      expected: user({ emails: [{ value: 'a@example.com', type: 'work', primary: false }, { value: 'b@example.com', type: 'home', primary: true }] }),
    },
    {
      name: 'add of an existing value merges into it',
      resource: user({ emails: [{ value: 'a@example.com', type: 'work' }] }),
      operations: [{ op: 'add', path: 'emails', value: [{ value: 'A@example.com', primary: true }] }],
      expected: user({ emails: [{ value: 'a@example.com', type: 'work', primary: true }] }),
    },
    {
      name: 'replace with a filter creates the value it describes (several equalities)',
      resource: user(),
      operations: [{ op: 'replace', path: 'phoneNumbers[type eq "mobile" and primary eq true].value', value: '+1 555 0100' }],
      expected: user({ phoneNumbers: [{ type: 'mobile', primary: true, value: '+1 555 0100' }] }),
    },
    {
      name: 'add with a filter and no sub-attribute merges into matching values',
      resource: user({ emails: [{ value: 'a@example.com', type: 'work' }] }),
      operations: [{ op: 'add', path: 'emails[type eq "work"]', value: { display: 'Work' } }],
      expected: user({ emails: [{ value: 'a@example.com', type: 'work', display: 'Work' }] }),
    },
    {
      name: 'remove a sub-attribute of matching values',
      resource: user({ emails: [{ value: 'a@example.com', type: 'work', display: 'A' }, { value: 'b@example.com', type: 'home', display: 'B' }] }),
      operations: [{ op: 'remove', path: 'emails[type eq "work"].display' }],
      expected: user({ emails: [{ value: 'a@example.com', type: 'work' }, { value: 'b@example.com', type: 'home', display: 'B' }] }),
    },
    {
      name: 'remove a sub-attribute of a complex attribute; an emptied complex disappears',
      resource: user({ name: { givenName: 'B' }, [ENTERPRISE]: { manager: { value: 'm-1' } } }),
      operations: [{ op: 'remove', path: 'name.givenName' }, { op: 'remove', path: `${ENTERPRISE}:manager.value` }],
      expected: user(),
    },
    {
      name: 'remove of something absent changes nothing',
      resource: user(),
      operations: [{ op: 'remove', path: 'title' }, { op: 'remove', path: 'emails[type eq "work"]' }, { op: 'remove', path: `${ENTERPRISE}:department` }],
      expected: user(),
      changed: false,
    },
    {
      name: 'replace with null unassigns; add with null does nothing',
      resource: user({ title: 'Boss', nickName: 'B' }),
      operations: [{ op: 'replace', path: 'title', value: null }, { op: 'add', path: 'nickName', value: null }],
      expected: user({ nickName: 'B' }),
    },
    {
      name: 'replace of an absent attribute adds it; single-valued add replaces',
      resource: user({ title: 'Guide' }),
      operations: [{ op: 'replace', path: 'displayName', value: 'Babs' }, { op: 'add', path: 'title', value: 'Boss' }],
      expected: user({ displayName: 'Babs', title: 'Boss' }),
    },
    {
      name: 'extension URN as a no-path key, and as a path',
      resource: user(),
      operations: [
        { op: 'add', value: { [ENTERPRISE]: { employeeNumber: '42', Manager: { Value: 'm-1' } } } },
        { op: 'replace', path: ENTERPRISE, value: { department: 'Sales' } },
      ],
      expected: user({ [ENTERPRISE]: { employeeNumber: '42', manager: { value: 'm-1' }, department: 'Sales' } }),
    },
    {
      name: 'remove a whole extension',
      resource: user({ [ENTERPRISE]: { department: 'Sales' } }),
      operations: [{ op: 'remove', path: ENTERPRISE }],
      expected: user(),
    },
    {
      name: 'schema-qualified core path and the legacy core URN',
      resource: user(),
      operations: [
        { op: 'add', path: 'urn:ietf:params:scim:schemas:core:2.0:User:name.familyName', value: 'Jensen' },
        { op: 'add', path: 'urn:scim:schemas:core:2.0:title', value: 'Guide' },
      ],
      expected: user({ name: { familyName: 'Jensen' }, title: 'Guide' }),
    },
    {
      name: 'no-path values skip id, meta, schemas and readOnly attributes',
      resource: user(),
      operations: [{ op: 'replace', value: { id: 'other', schemas: ['x'], meta: { version: 'x' }, groups: [{ value: 'g' }], externalId: 'ext-1' } }],
      expected: user({ externalId: 'ext-1' }),
    },
    {
      name: 'members display and $ref are kept as given',
      resource: group([]),
      operations: [{ op: 'add', path: 'members', value: [{ value: U1, display: 'Babs', $ref: `../Users/${U1}`, type: 'User' }] }],
      expected: { id: 'g-1', displayName: 'Admins', members: [{ value: U1, display: 'Babs', $ref: `../Users/${U1}`, type: 'User' }] },
    },
    {
      name: 'an immutable sub-attribute may be set when absent or to its current value',
      resource: group([U1]),
      operations: [{ op: 'replace', path: `members[value eq "${U1}"].type`, value: 'User' }, { op: 'add', path: `members[value eq "${U1}"].$ref`, value: `../Users/${U1}` }],
      expected: { id: 'g-1', displayName: 'Admins', members: [{ value: U1, type: 'User', $ref: `../Users/${U1}` }] },
    },
    {
      name: 'a sub-attribute path on a multi-valued attribute sets every value',
      resource: user({ emails: [{ value: 'a@example.com' }, { value: 'b@example.com' }] }),
      operations: [{ op: 'replace', path: 'emails.type', value: 'work' }],
      expected: user({ emails: [{ value: 'a@example.com', type: 'work' }, { value: 'b@example.com', type: 'work' }] }),
    },
    {
      name: 'operation members are matched without regard to case',
      resource: user(),
      operations: [{ OP: 'ADD', Path: 'title', VALUE: 'Guide' }],
      expected: user({ title: 'Guide' }),
    },
  ])

  test('does not mutate its input and returns it when nothing changed', () => {
    const resource = group([U1])
    const unchanged = applyPatch(resource, body({ op: 'add', path: 'members', value: [{ value: U1 }] }), groupResourceType)
    expect(unchanged.resource).toBe(resource)
    const changed = applyPatch(resource, body({ op: 'add', path: 'members', value: [{ value: U2 }] }), groupResourceType)
    expect(changed.resource).not.toBe(resource)
    expect(resource).toEqual(group([U1]))
  })
})

describe('applyPatch: errors', () => {
  const rows: [name: string, request: unknown, scimType: string, resource?: Resource][] = [
    ['body is not an object', [], 'invalidSyntax'],
    ['body is null', null, 'invalidSyntax'],
    ['schemas missing', { Operations: [] }, 'invalidSyntax'],
    ['schemas without PatchOp', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [] }, 'invalidSyntax'],
    ['schemas is a string', { schemas: PATCH_OP, Operations: [] }, 'invalidSyntax'],
    ['Operations missing', { schemas: [PATCH_OP] }, 'invalidSyntax'],
    ['Operations is an object', { schemas: [PATCH_OP], Operations: { op: 'add' } }, 'invalidSyntax'],
    ['an operation is not an object', body('add'), 'invalidSyntax'],
    ['unknown op', body({ op: 'update', path: 'title', value: 'x' }), 'invalidSyntax'],
    ['op missing', body({ path: 'title', value: 'x' }), 'invalidSyntax'],
    ['add without value', body({ op: 'add', path: 'title' }), 'invalidSyntax'],
    ['path is not a string', body({ op: 'add', path: 5, value: 'x' }), 'invalidPath'],
    ['unbalanced [', body({ op: 'replace', path: 'emails[type eq "work".value', value: 'x' }), 'invalidPath'],
    ['unbalanced ]', body({ op: 'replace', path: 'emails]', value: 'x' }), 'invalidPath'],
    ['junk after ]', body({ op: 'replace', path: 'emails[type eq "work"]value', value: 'x' }), 'invalidPath'],
    ['unknown attribute', body({ op: 'add', path: 'nope', value: 'x' }), 'invalidPath'],
    ['unknown sub-attribute', body({ op: 'add', path: 'name.nope', value: 'x' }), 'invalidPath'],
    ['unknown sub-attribute after a filter', body({ op: 'add', path: 'emails[type eq "work"].nope', value: 'x' }), 'invalidPath'],
    ['filter on a simple attribute', body({ op: 'add', path: 'title[value eq "x"]', value: 'x' }), 'invalidPath'],
    ['unknown key in a no-path value', body({ op: 'replace', value: { nope: 1 } }), 'invalidPath'],
    ['malformed filter in a path', body({ op: 'remove', path: 'emails[type eq]' }), 'invalidFilter'],
    ['unknown attribute in a path filter', body({ op: 'remove', path: 'emails[nope eq "x"]' }), 'invalidFilter'],
    ['remove without path', body({ op: 'remove' }), 'noTarget'],
    ['filter that matches nothing and describes no value', body({ op: 'replace', path: 'emails[value co "zzz"].type', value: 'work' }), 'noTarget'],
    ['filter with or that matches nothing', body({ op: 'replace', path: 'emails[type eq "a" or type eq "b"].value', value: 'x' }), 'noTarget'],
    ['filter on a single-valued complex that matches nothing', body({ op: 'replace', path: 'name[givenName eq "x"].familyName', value: 'y' }), 'noTarget'],
    ['path to id', body({ op: 'replace', path: 'id', value: 'x' }), 'mutability'],
    ['path to meta.created', body({ op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' }), 'mutability'],
    ['path to groups', body({ op: 'add', path: 'groups', value: [{ value: 'g' }] }), 'mutability'],
    ['path to a readOnly sub-attribute', body({ op: 'replace', path: `${ENTERPRISE}:manager.displayName`, value: 'x' }), 'mutability'],
    ['no-path value that is not an object', body({ op: 'add', value: 'x' }), 'invalidValue'],
    ['boolean from a non-boolean string', body({ op: 'replace', path: 'active', value: 'yes' }), 'invalidValue'],
    ['string from a number', body({ op: 'replace', path: 'userName', value: 5 }), 'invalidValue'],
    ['array for a single-valued attribute', body({ op: 'replace', path: 'title', value: ['x'] }), 'invalidValue'],
    ['string for a complex attribute', body({ op: 'replace', path: 'name', value: 'Babs' }), 'invalidValue'],
    ['string for a multi-valued complex attribute', body({ op: 'add', path: 'emails', value: 'a@example.com' }), 'invalidValue'],
    ['unknown sub-attribute in a value', body({ op: 'add', path: 'emails', value: [{ value: 'a', nope: 1 }] }), 'invalidValue'],
    ['extension value that is not an object', body({ op: 'add', value: { [ENTERPRISE]: 'x' } }), 'invalidValue'],
  ]
  test.each(rows)('%s', (_, request, scimType, resource = user({ emails: [{ value: 'a@example.com', type: 'home' }] })) => {
    let error: unknown
    try {
      applyPatch(resource, request, userResourceType)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ScimError)
    expect((error as ScimError).scimType).toBe(scimType as never)
    expect((error as ScimError).status).toBe(400)
  })

  test('changing an assigned immutable sub-attribute is a mutability error', () => {
    const request = body({ op: 'replace', path: `members[value eq "${U1}"].type`, value: 'Group' })
    expect(() => applyPatch(group([U1]), request, groupResourceType)).toThrow(expect.objectContaining({ scimType: 'mutability' }))
  })

  test('the error names the failing operation, and nothing is applied', () => {
    const resource = user()
    const request = body({ op: 'add', path: 'title', value: 'Guide' }, { op: 'add', path: 'nope', value: 1 })
    expect(() => applyPatch(resource, request, userResourceType)).toThrow(/^Operations\[1\]: .*nope/)
    expect(resource).toEqual(user())
  })
})

describe('parsePatchPath (RFC 7644 Figure 7)', () => {
  const rows: [string, PatchPath][] = [
    ['members', { attribute: { attribute: 'members' } }],
    ['name.familyName', { attribute: { attribute: 'name', subAttribute: 'familyName' } }],
    [`${ENTERPRISE}:manager.value`, { attribute: { schema: ENTERPRISE, attribute: 'manager', subAttribute: 'value' } }],
    [
      'members[value eq "2819c223"]',
      { attribute: { attribute: 'members' }, filter: { kind: 'compare', op: 'eq', path: { attribute: 'value' }, value: '2819c223' } },
    ],
    [
      'emails [type eq "w]ork"].value',
      { attribute: { attribute: 'emails' }, filter: { kind: 'compare', op: 'eq', path: { attribute: 'type' }, value: 'w]ork' }, subAttribute: 'value' },
    ],
    [
      'members[value eq "x"].$ref',
      { attribute: { attribute: 'members' }, filter: { kind: 'compare', op: 'eq', path: { attribute: 'value' }, value: 'x' }, subAttribute: '$ref' },
    ],
  ]
  test.each(rows)('%s', (text, expected) => {
    expect(parsePatchPath(text)).toEqual(expected)
  })
})

describe('applyPatch: robustness', () => {
  test('random operations throw nothing but ScimErrors', () => {
    const ops = ['add', 'replace', 'remove', 'Remove', 'bogus', 5, null]
    const paths = [undefined, '', 'members', 'emails', 'emails[type eq "work"].value', 'name', 'name.givenName', 'active', 'id', 'meta',
      ENTERPRISE, `${ENTERPRISE}:manager`, 'emails[', 'emails[type eq]', 'x509Certificates[value pr]', 'groups', 'addresses.primary', 7]
    const values = [undefined, null, 'x', 'True', 1, 1.5, true, [], [{}], [{ value: 'v', primary: 'true' }], { value: 'v' }, { givenName: 'g' },
      { active: 'False', 'name.familyName': 'f', [ENTERPRISE]: { department: 'd' } }, [null, 'x'], { nope: 1 }]
    let seed = 7
    const pick = <T>(list: T[]): T => list[(seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % list.length]!
    const resource = user({ name: { givenName: 'a' }, emails: [{ value: 'a@example.com', type: 'work', primary: true }], addresses: [{ locality: 'x' }] })
    for (let i = 0; i < 5000; i++) {
      const operation: Record<string, unknown> = { op: pick(ops) }
      const path = pick(paths)
      const value = pick(values)
      if (path !== undefined) operation.path = path
      if (value !== undefined) operation.value = value
      for (const resourceType of [userResourceType, groupResourceType]) {
        try {
          applyPatch(resource, body(operation), resourceType)
        } catch (error) {
          if (!(error instanceof ScimError)) throw new Error(`${JSON.stringify(operation)} on ${resourceType.id}: ${String(error)}`)
        }
      }
    }
  })
})
