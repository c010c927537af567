/**
 * Property-based tests of the PATCH engine (RFC 7644 §3.5.2): random PatchOp
 * bodies (ops in any case, paths from the User and Group schemas with value
 * filters and sub-attributes, values of right and wrong types, and bodies
 * that are not PatchOps at all) applied to random valid resources.
 *
 * - `applyPatch` returns `{ resource, changed }` (with `resource` the input
 *   itself when nothing changed) or throws a ScimError whose scimType is one
 *   of RFC 7644 §3.12 Table 9 with the status that goes with it; nothing else.
 * - It never mutates its inputs: neither the resource nor the request body
 *   (checked on deep-frozen inputs, where any write throws, and on unfrozen
 *   inputs against a structuredClone taken before).
 *
 * Runs: FC_RUNS=<n> raises every property to at least n runs (soak runs).
 */
import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { ScimError } from './errors'
import { applyPatch } from './patch'
import { normalizeResource } from './resource'
import { applySimplePatch } from './simple-patch'
import { groupResourceType, userResourceType, type ResourceTypeDefinition } from './schemas'

const SOAK = Number(process.env.FC_RUNS ?? 0) || 0
/**
 * fast-check parameters. In CI each property also stops after a time budget
 * (shrinking included), so the suite stays fast on a slow machine and when a
 * property fails; a failure found within the budget is still reported, with
 * its counterexample. Hangs are caught per call (see the time bounds below).
 */
const params = (ciRuns: number) => ({
  numRuns: Math.max(ciRuns, SOAK),
  // A fixed seed keeps CI reproducible (a red run fails the same way again);
  // FC_RUNS soak runs take random seeds to explore further. FC_SEED overrides.
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : SOAK ? undefined : 20261129,
  plugins: SOAK ? [] : [fc.interruptAfterTimeLimit(5_000, { failOnInterrupt: false })],
})
const TEST_TIMEOUT = SOAK ? 60 * 60_000 : 20_000

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

/** RFC 7644 §3.12, Table 9: every scimType and the HTTP status it is used with. */
const RFC_7644_SCIM_TYPES: Record<string, number> = {
  invalidFilter: 400,
  tooMany: 400,
  uniqueness: 409,
  mutability: 400,
  invalidSyntax: 400,
  invalidPath: 400,
  noTarget: 400,
  invalidValue: 400,
  invalidVers: 400,
  sensitive: 400,
}

type Resource = Record<string, unknown>

// ---------------------------------------------------------------------------
// Helpers

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const item of Object.values(value)) deepFreeze(item)
  }
  return value
}

/** `word` in a random mix of upper and lower case. */
const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join(''))

/** Mostly `word` as written, sometimes in random case. */
const usuallyAsWritten = (word: string) => fc.oneof({ weight: 3, arbitrary: fc.constant(word) }, { weight: 1, arbitrary: anyCase(word) })

const shortString = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('work', 'home', 'other', 'Work', 'True', 'false', '', ' ', 'a@example.com', 'User', 'Group', '2024-05-13T04:42:34Z'),
)

// ---------------------------------------------------------------------------
// Valid resources, in the canonical form applyPatch receives (as ResourceService.patchable builds it)

const IDS = ['2819c223-7f76-453a-919d-413861904646', '902c246b-6245-4190-8e05-00816be7344a', '08e1d05d-121c-4561-8b96-473d93df9210', 'u-1', 'g-1']
const idArb = fc.oneof(fc.constantFrom(...IDS), fc.uuid())

const multiValue = (valueArb: fc.Arbitrary<string>, types: string[]) =>
  fc.array(
    fc.record(
      { value: valueArb, type: fc.oneof(fc.constantFrom(...types, 'other'), shortString), primary: fc.boolean(), display: shortString },
      { requiredKeys: ['value'] },
    ),
    { maxLength: 3 },
  ).map((items) => {
    // At most one primary value (RFC 7643 §2.4), as a stored resource has.
    let seen = false
    return items.map((item) => {
      if (item.primary !== true) return item
      if (seen) return { ...item, primary: false }
      seen = true
      return item
    })
  })

const emailValue = fc.oneof(fc.emailAddress(), fc.constantFrom('a@example.com', 'b@example.org', 'A@EXAMPLE.COM'))

const userBody = fc.record(
  {
    userName: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ''), fc.constantFrom('bjensen', 'ann@example.com')),
    externalId: shortString,
    name: fc.record(
      { formatted: shortString, familyName: shortString, givenName: shortString, middleName: shortString, honorificPrefix: shortString, honorificSuffix: shortString },
      { requiredKeys: [] },
    ),
    displayName: shortString,
    nickName: shortString,
    profileUrl: fc.webUrl(),
    title: shortString,
    userType: shortString,
    preferredLanguage: shortString,
    locale: shortString,
    timezone: shortString,
    active: fc.boolean(),
    emails: multiValue(emailValue, ['work', 'home']),
    phoneNumbers: multiValue(fc.stringMatching(/^\+?[0-9 -]{3,12}$/), ['work', 'mobile']),
    ims: multiValue(shortString, ['xmpp', 'skype']),
    photos: multiValue(fc.webUrl(), ['photo', 'thumbnail']),
    addresses: fc.array(
      fc.record(
        { formatted: shortString, streetAddress: shortString, locality: shortString, region: shortString, postalCode: shortString, country: shortString, type: fc.constantFrom('work', 'home', 'other'), primary: fc.constant(false) },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
    entitlements: multiValue(shortString, ['x']),
    roles: multiValue(shortString, ['x']),
    x509Certificates: multiValue(fc.base64String({ maxLength: 12 }), ['x']),
    [ENTERPRISE]: fc.record(
      {
        employeeNumber: shortString,
        costCenter: shortString,
        organization: shortString,
        division: shortString,
        department: shortString,
        manager: fc.record({ value: idArb, $ref: fc.webUrl() }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['userName'] },
)

const userResource: fc.Arbitrary<Resource> = fc.tuple(userBody, idArb).map(([body, id]) => ({
  ...normalizeResource({ schemas: [USER, ENTERPRISE], ...body }, userResourceType),
  id,
}))

const groupResource: fc.Arbitrary<Resource> = fc
  .tuple(
    fc.record({ displayName: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ''), fc.constant('Admins')), externalId: shortString }, { requiredKeys: ['displayName'] }),
    fc.uniqueArray(fc.record({ value: idArb, type: fc.constantFrom('User', 'Group') }), { selector: (m) => m.value, maxLength: 4 }),
    idArb,
  )
  .map(([body, members, id]) => {
    const resource: Resource = { ...normalizeResource({ schemas: [GROUP], ...body }, groupResourceType), id }
    // As ResourceService.patchable: members come from the membership table as { value, type }.
    resource.members = members
    return resource
  })

// ---------------------------------------------------------------------------
// PATCH paths

/** Paths to writable attributes (plus the schema URNs as paths). */
const USER_WRITABLE_PATHS = [
  'userName', 'name', 'name.givenName', 'name.familyName', 'name.formatted', 'displayName', 'nickName', 'title', 'userType', 'active',
  'profileUrl', 'locale', 'timezone', 'preferredLanguage', 'externalId', 'emails', 'emails.value', 'emails.type', 'emails.primary',
  'emails.display', 'phoneNumbers', 'phoneNumbers.value', 'ims', 'photos', 'photos.value', 'addresses', 'addresses.locality',
  'addresses.primary', 'entitlements', 'roles', 'roles.value', 'x509Certificates', 'x509Certificates.value',
  ENTERPRISE, `${ENTERPRISE}:department`, `${ENTERPRISE}:employeeNumber`, `${ENTERPRISE}:manager`, `${ENTERPRISE}:manager.value`,
  `${ENTERPRISE}:manager.$ref`, USER, `${USER}:userName`, `${USER}:name.givenName`, `${USER}:emails`, 'urn:scim:schemas:core:2.0',
  'department', 'manager.value',
]
/** readOnly, writeOnly, unknown and misplaced paths. */
const USER_OTHER_PATHS = [
  'password', 'id', 'meta', 'meta.created', 'meta.version', 'schemas', 'groups', 'groups.value', 'groups.display',
  `${ENTERPRISE}:manager.displayName`, `${GROUP}:displayName`, 'unknownAttribute', 'name.unknown', 'userName.x', 'members',
]
const USER_MULTI = ['emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'entitlements', 'roles', 'x509Certificates', 'groups', 'name', `${ENTERPRISE}:manager`, 'userName']
const USER_SUB = ['value', 'type', 'primary', 'display', 'locality', 'givenName', '$ref', 'displayName', 'nope']

const GROUP_WRITABLE_PATHS = ['displayName', 'externalId', 'members', 'members.value', 'members.type', 'members.$ref', GROUP, `${GROUP}:displayName`, `${GROUP}:members`]
const GROUP_OTHER_PATHS = ['id', 'meta', 'meta.lastModified', 'schemas', 'members.display', USER, `${USER}:userName`, ENTERPRISE, 'userName', 'unknownAttribute']
const GROUP_MULTI = ['members', 'displayName']
const GROUP_SUB = ['value', 'type', 'display', '$ref', 'nope']

/** A filter inside brackets: mostly sensible, sometimes malformed. */
const bracketFilter = (values: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom('value', 'value', 'type', 'primary', 'display', 'locality'), anyCase('eq'), fc.constantFrom(...values.map((v) => JSON.stringify(v)), '"work"', '"home"', 'true', '"User"')).map((parts) => parts.join(' ')) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'type eq "work" and value co "@"', 'not (type eq "home")', 'type pr', 'primary eq true', 'value sw "a" or type eq "work"',
        'value gt "m"', 'primary gt true', 'type eq', 'type eq "work', '(type eq "work"', 'emails[type eq "work"]', '', ' ', 'value eq 1e999',
        'TYPE EQ "WORK"', 'type eq "work" and type eq "home"', 'value ew ".com" and not(primary pr)', 'nope eq 1', 'urn:x:value eq 1', 'value.sub pr',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  )

/** Values present in a resource, so that value filters sometimes match. */
const valuesIn = (resource: Resource) =>
  [...JSON.stringify(resource).matchAll(/"value":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string)

const pathArb = (resourceType: ResourceTypeDefinition, resource: Resource): fc.Arbitrary<string> => {
  const isUser = resourceType === userResourceType
  const valueFilterPath = fc
    .tuple(fc.constantFrom(...(isUser ? USER_MULTI : GROUP_MULTI)), bracketFilter(valuesIn(resource)), fc.option(fc.constantFrom(...(isUser ? USER_SUB : GROUP_SUB)), { nil: undefined }))
    .map(([attribute, filter, sub]) => `${attribute}[${filter}]${sub === undefined ? '' : `.${sub}`}`)
  const known = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...(isUser ? USER_WRITABLE_PATHS : GROUP_WRITABLE_PATHS)) },
    { weight: 1, arbitrary: fc.constantFrom(...(isUser ? USER_OTHER_PATHS : GROUP_OTHER_PATHS)) },
    { weight: 4, arbitrary: valueFilterPath },
  )
  return fc.oneof(
    { weight: 12, arbitrary: known.chain((path) => fc.oneof({ weight: 4, arbitrary: fc.constant(path) }, { weight: 1, arbitrary: anyCase(path) })) },
    // Mangled: surrounding spaces, unbalanced brackets, trailing garbage.
    { weight: 1, arbitrary: fc.tuple(known, fc.constantFrom(' ', '[', ']', '.', '.x', '"', '[]', ']]', '..', ':', ' x')).map(([path, junk]) => `${path}${junk}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(' ', '[', ']', '"', '.', ':'), known).map(([junk, path]) => `${junk}${path}`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  )
}

// ---------------------------------------------------------------------------
// Values: right and wrong types

const KEY_NAMES = [
  'value', 'Value', 'type', 'primary', 'display', 'givenName', 'familyName', 'formatted', 'locality', 'department', 'manager', '$ref', 'displayName',
  'userName', 'emails', 'members', 'name', 'active', 'id', 'meta', 'schemas', 'externalId', 'name.givenName', `${ENTERPRISE}:department`,
  `${ENTERPRISE}:manager.value`, ENTERPRISE, USER, GROUP, 'nope', 'password', 'groups', 'x509Certificates',
]
const keyArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KEY_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) })

const scalarValue = fc.oneof(
  shortString,
  fc.boolean(),
  fc.constantFrom('True', 'False', 'TRUE', 'yes'),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.constantFrom(...IDS),
)

const valueArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'value', withCrossShrink: true },
    { weight: 4, arbitrary: scalarValue },
    { weight: 3, arbitrary: fc.dictionary(keyArb, tie('value'), { maxKeys: 4 }) },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  ),
})).value

/** Right-typed values for the common targets, so operations also succeed and chain. */
const plausibleValue = fc.oneof(
  fc.record({ value: fc.oneof(emailValue, fc.constantFrom(...IDS)), type: fc.constantFrom('work', 'home', 'User'), primary: fc.boolean() }, { requiredKeys: ['value'] }),
  fc.array(fc.record({ value: fc.oneof(emailValue, fc.constantFrom(...IDS)), type: fc.constantFrom('work', 'home', 'User'), primary: fc.boolean(), display: shortString }, { requiredKeys: ['value'] }), { maxLength: 3 }),
  fc.record({ givenName: shortString, familyName: shortString }, { requiredKeys: [] }),
  fc.record({ userName: shortString, displayName: shortString, 'name.givenName': shortString, active: fc.boolean(), [`${ENTERPRISE}:department`]: shortString }, { requiredKeys: [] }),
  fc.record({ department: shortString, manager: fc.record({ value: fc.constantFrom(...IDS) }) }, { requiredKeys: [] }),
)

const multiValuedItem = fc.record(
  { value: fc.oneof(emailValue, fc.constantFrom(...IDS)), type: fc.constantFrom('work', 'home', 'User', 'Group'), primary: fc.oneof(fc.boolean(), fc.constantFrom('True', 'False')), display: shortString },
  { requiredKeys: ['value'] },
)

/** A value of the type the path most likely wants (judged from its last name), so that operations also succeed. */
function typedValue(path: string): fc.Arbitrary<unknown> {
  const lower = path.toLowerCase()
  const bracket = lower.lastIndexOf(']')
  const last = (bracket === -1 ? lower : lower.slice(bracket + 1)).split(/[.:]/).pop() ?? ''
  if (bracket !== -1 && last === '') return fc.oneof(multiValuedItem, fc.record({ givenName: shortString }))
  if (lower === ENTERPRISE.toLowerCase() || lower === USER.toLowerCase() || lower === GROUP.toLowerCase() || lower === 'urn:scim:schemas:core:2.0') {
    return fc.record({ department: shortString, userName: shortString, displayName: shortString, manager: fc.record({ value: fc.constantFrom(...IDS) }) }, { requiredKeys: [] })
  }
  switch (last) {
    case 'emails': case 'phonenumbers': case 'ims': case 'photos': case 'roles': case 'entitlements': case 'x509certificates': case 'members': case 'groups':
      return fc.oneof(fc.array(multiValuedItem, { maxLength: 3 }), multiValuedItem)
    case 'addresses':
      return fc.array(fc.record({ locality: shortString, type: fc.constantFrom('work', 'home'), primary: fc.boolean() }, { requiredKeys: [] }), { maxLength: 2 })
    case 'name':
      return fc.record({ givenName: shortString, familyName: shortString, formatted: shortString }, { requiredKeys: [] })
    case 'manager':
      return fc.record({ value: fc.constantFrom(...IDS), $ref: fc.webUrl() }, { requiredKeys: [] })
    case 'active': case 'primary':
      return fc.oneof(fc.boolean(), fc.constantFrom('True', 'False'))
    default:
      return fc.oneof({ weight: 4, arbitrary: shortString }, { weight: 1, arbitrary: fc.constantFrom(...IDS) })
  }
}

// ---------------------------------------------------------------------------
// PATCH bodies

const opName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('add', 'replace', 'remove').chain(usuallyAsWritten) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('delete', 'move', 'copy', 'test', 'ADD ', ''), fc.integer(), fc.constant(null)) },
)

/** An operation that is well-formed as a PatchOp member (it may still not fit the resource). */
const wellFormedOperation = (resourceType: ResourceTypeDefinition, resource: Resource): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom('add', 'replace').chain(usuallyAsWritten), pathArb(resourceType, resource))
        .chain(([op, path]) =>
          fc.oneof({ weight: 6, arbitrary: typedValue(path) }, { weight: 1, arbitrary: scalarValue }, { weight: 1, arbitrary: plausibleValue }, { weight: 2, arbitrary: valueArb })
            .map((value) => ({ op, path, value })),
        ),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(usuallyAsWritten('remove'), pathArb(resourceType, resource), fc.option(fc.oneof(multiValuedItem, fc.array(multiValuedItem, { maxLength: 2 }), valueArb), { nil: undefined, freq: 4 }))
        .map(([op, path, value]) => (value === undefined ? { op, path } : { op, path, value })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom('add', 'replace').chain(usuallyAsWritten), fc.oneof(plausibleValue, fc.dictionary(keyArb, valueArb, { maxKeys: 3 }))).map(([op, value]) => ({ op, value })),
    },
  )

/** Anything in an Operations array: ops in any case, keys in any case, missing or odd members. */
const noisyOperation = (resourceType: ResourceTypeDefinition, resource: Resource): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc
        .record(
          {
            op: opName,
            path: fc.oneof({ weight: 6, arbitrary: pathArb(resourceType, resource) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(null, '', '  ', 42, ['emails'], {}) }),
            value: fc.oneof({ weight: 3, arbitrary: valueArb }, { weight: 2, arbitrary: plausibleValue }),
            opKey: usuallyAsWritten('op'),
            pathKey: usuallyAsWritten('path'),
            valueKey: usuallyAsWritten('value'),
            extra: fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }), { nil: undefined, freq: 4 }),
          },
          { requiredKeys: ['op', 'opKey', 'pathKey', 'valueKey'] },
        )
        .map(({ op, path, value, opKey, pathKey, valueKey, extra }) => {
          const operation: Record<string, unknown> = { ...extra, [opKey]: op }
          if (path !== undefined) operation[pathKey] = path
          if (value !== undefined) operation[valueKey] = value
          return operation
        }),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  )

const schemasArb = fc.oneof(
  { weight: 10, arbitrary: usuallyAsWritten(PATCH_OP).map((urn) => [urn]) },
  { weight: 1, arbitrary: fc.constant([USER, PATCH_OP]) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, PATCH_OP, [], [USER], null, [null], [42], {}) },
)

const patchBody = (resourceType: ResourceTypeDefinition, resource: Resource): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      weight: 24,
      arbitrary: fc
        .tuple(usuallyAsWritten(PATCH_OP), fc.array(wellFormedOperation(resourceType, resource), { minLength: 1, maxLength: 3 }))
        .map(([urn, operations]) => ({ schemas: [urn], Operations: operations })),
    },
    {
      weight: 12,
      arbitrary: fc
        .record({
          schemas: schemasArb,
          operations: fc.oneof({ weight: 10, arbitrary: fc.array(fc.oneof(noisyOperation(resourceType, resource), wellFormedOperation(resourceType, resource)), { minLength: 1, maxLength: 5 }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
          operationsKey: fc.constantFrom('Operations', 'operations', 'OPERATIONS'),
        })
        .map(({ schemas, operations, operationsKey }) => {
          const body: Record<string, unknown> = { [operationsKey]: operations }
          if (schemas !== undefined) body.schemas = schemas
          return body
        }),
    },
    // Not a PatchOp at all.
    { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom<unknown>(undefined, null, '', [], 'add', [{ op: 'add', path: 'userName', value: 'x' }])) },
  )

const scenario = fc
  .constantFrom(userResourceType, groupResourceType)
  .chain((resourceType) =>
    (resourceType === userResourceType ? userResource : groupResource).chain((resource) =>
      patchBody(resourceType, resource).map((body) => ({ resourceType: resourceType.name, resource, body })),
    ),
  )

const typeOf = (name: string) => (name === 'User' ? userResourceType : groupResourceType)

// ---------------------------------------------------------------------------

/** Runs applyPatch and checks the outcome is a result or an RFC 7644 ScimError; returns the result, if any. */
function checkedApply(resource: Resource, body: unknown, resourceType: ResourceTypeDefinition) {
  let result: ReturnType<typeof applyPatch>
  try {
    result = applyPatch(resource, body, resourceType)
  } catch (error) {
    if (!(error instanceof ScimError)) {
      const stack = String((error as Error)?.stack ?? error)
      if (error instanceof TypeError && /read.?only|frozen|not extensible|Attempted to assign|Unable to delete|cannot delete/i.test(stack)) {
        throw new Error(`applyPatch tried to mutate its (frozen) input: ${stack}`)
      }
      throw new Error(`applyPatch threw a non-ScimError: ${stack}`)
    }
    if (error.scimType === undefined || !(error.scimType in RFC_7644_SCIM_TYPES)) {
      throw new Error(`ScimError with scimType ${String(error.scimType)}, not one of RFC 7644 Table 9: ${error.message}`)
    }
    expect({ scimType: error.scimType, status: error.status }).toEqual({ scimType: error.scimType, status: RFC_7644_SCIM_TYPES[error.scimType]! })
    expect(error.message.length).toBeGreaterThan(0)
    return undefined
  }
  expect(typeof result.changed).toBe('boolean')
  expect(result.resource !== null && typeof result.resource === 'object' && !Array.isArray(result.resource)).toBe(true)
  if (!result.changed) expect(result.resource).toBe(resource)
  else expect(result.resource).not.toBe(resource)
  return result
}

/** What ResourceService stores for a PATCH result and hands to the next PATCH; undefined when it would reject it. */
function storedForm(result: Resource, resourceType: ResourceTypeDefinition): Resource | undefined {
  let data: Resource
  try {
    data = normalizeResource(result, resourceType)
  } catch (error) {
    if (error instanceof ScimError) return undefined
    throw error
  }
  if (resourceType !== groupResourceType) return { ...data, id: result.id }
  const members = (Array.isArray(data.members) ? data.members : []) as Resource[]
  if (members.some((m) => typeof m.value !== 'string' || m.value === '')) return undefined
  const unique = [...new Map(members.map((m) => [m.value, { value: m.value, type: m.type === 'Group' ? 'Group' : 'User' }])).values()]
  return { ...data, id: result.id, members: unique }
}

describe('applyPatch on random bodies and resources', () => {
  test('the generated resources are valid (sanity check of the generator)', () => {
    fc.assert(fc.property(fc.oneof(userResource, groupResource), (resource) => {
      expect(typeof resource.id).toBe('string')
    }), params(200))
  }, TEST_TIMEOUT)

  test('returns { resource, changed } or throws a ScimError with an RFC 7644 scimType; never mutates frozen inputs', () => {
    fc.assert(fc.property(scenario, ({ resourceType, resource, body }) => {
      const snapshot = structuredClone({ resource, body })
      deepFreeze(resource)
      deepFreeze(body)
      checkedApply(resource, body, typeOf(resourceType))
      expect({ resource, body }).toEqual(snapshot)
    }), params(800))
  }, TEST_TIMEOUT)

  test('leaves unfrozen inputs deep-equal to a structuredClone taken before', () => {
    fc.assert(fc.property(scenario, ({ resourceType, resource, body }) => {
      const before = structuredClone({ resource, body })
      const result = checkedApply(resource, body, typeOf(resourceType))
      expect({ resource, body }).toEqual(before)
      // The result is data the store can serialise as is.
      if (result) expect(JSON.parse(JSON.stringify(result.resource))).toEqual(result.resource)
    }), params(500))
  }, TEST_TIMEOUT)

  test('chained PATCHes: each result, stored as ResourceService would store it, is patched again (inputs frozen)', () => {
    const chain = fc.constantFrom(userResourceType, groupResourceType).chain((resourceType) =>
      (resourceType === userResourceType ? userResource : groupResource).chain((resource) =>
        fc.array(patchBody(resourceType, resource), { minLength: 2, maxLength: 4 }).map((bodies) => ({ resourceType: resourceType.name, resource, bodies })),
      ),
    )
    fc.assert(fc.property(chain, ({ resourceType, resource, bodies }) => {
      let current = deepFreeze(resource)
      for (const body of bodies) {
        const snapshot = structuredClone(current)
        const result = checkedApply(current, deepFreeze(body), typeOf(resourceType))
        expect(current).toEqual(snapshot)
        if (!result) continue
        const next = storedForm(result.resource, typeOf(resourceType))
        if (next) current = deepFreeze(next)
      }
    }), params(200))
  }, TEST_TIMEOUT)
})

// ---------------------------------------------------------------------------
// The shortcut for plain attribute PATCHes (simple-patch.ts) against the engine

/** Paths the shortcut takes (singular simple attributes and sub-attributes, not required), a few it must decline, in any case. */
const SIMPLE_USER_PATHS = [
  'title', 'displayName', 'nickName', 'userType', 'locale', 'active', 'externalId', 'name.givenName', 'name.familyName',
  'name.formatted', `${ENTERPRISE}:department`, `${ENTERPRISE}:employeeNumber`, `${ENTERPRISE}:manager.value`, 'department',
]
const NEAR_SIMPLE_USER_PATHS = ['userName', 'name', 'emails', 'emails.value', 'emails[type eq "work"].value', 'id', 'meta.created', `${ENTERPRISE}:manager.displayName`, 'groups', 'nope']

/** Mostly the shortcut's own shape (add or replace by path, 1 to 3 times), with values of every kind, or the current one. */
const simpleScenario = fc
  // Mostly users: a group's one plain attribute besides externalId, displayName, is required (declined).
  .oneof({ weight: 3, arbitrary: fc.constant(userResourceType) }, { weight: 1, arbitrary: fc.constant(groupResourceType) })
  .chain((resourceType) => {
    const isUser = resourceType === userResourceType
    const paths = isUser ? SIMPLE_USER_PATHS : ['displayName', 'externalId']
    const others = isUser ? NEAR_SIMPLE_USER_PATHS : ['members', 'members.value', 'id']
    return (isUser ? userResource : groupResource).chain((resource) => {
      const path = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...paths) }, { weight: 1, arbitrary: fc.constantFrom(...others) }).chain(usuallyAsWritten)
      const current = (p: string) => {
        const [head, sub] = p.replace(`${ENTERPRISE}:`, '').split('.')
        const holder = p.startsWith(ENTERPRISE) ? (resource[ENTERPRISE] as Resource | undefined) : resource
        const value = holder?.[head!]
        return sub ? (value as Resource | undefined)?.[sub] : value
      }
      const operation = fc
        .tuple(fc.oneof({ weight: 6, arbitrary: fc.constantFrom('replace', 'add') }, { weight: 1, arbitrary: fc.constant('remove') }).chain(usuallyAsWritten), path)
        .chain(([op, p]) =>
          fc
            .oneof({ weight: 4, arbitrary: typedValue(p) }, { weight: 2, arbitrary: fc.constant(current(p) ?? null) }, { weight: 1, arbitrary: scalarValue })
            .map((value) => ({ op, path: p, value })),
        )
      return fc.array(operation, { minLength: 1, maxLength: 3 }).map((Operations) => ({ resourceType: resourceType.name, resource, body: { schemas: [PATCH_OP], Operations } }))
    })
  })

describe('applySimplePatch: the PATCH engine\'s result for the plain attribute PATCHes it takes', () => {
  /** Checks the shortcut against the engine on frozen inputs; true when the shortcut took the body. */
  function sameAsEngine(resourceType: ResourceTypeDefinition, resource: Resource, body: unknown): boolean {
    deepFreeze(resource)
    deepFreeze(body)
    const shortcut = applySimplePatch(resource, body, resourceType)
    if (!shortcut) return false
    const engine = applyPatch(resource, body, resourceType) // a body the shortcut takes never fails in the engine
    expect(shortcut.changed).toBe(engine.changed)
    // The same document, keys in the same order (the stored text is written around as it is).
    expect(JSON.stringify(shortcut.resource)).toBe(JSON.stringify(engine.resource))
    if (!shortcut.changed) expect(shortcut.resource).toBe(resource)
    return true
  }

  test('property: random plain bodies give the same document, key order and "changed" as the engine; others are declined', () => {
    let taken = 0
    let runs = 0
    fc.assert(fc.property(simpleScenario, ({ resourceType, resource, body }) => {
      runs++
      if (sameAsEngine(typeOf(resourceType), resource, body)) taken++
    }), params(1_000))
    // The shortcut is exercised, not declining everything.
    expect(taken).toBeGreaterThan(runs / 4)
  }, TEST_TIMEOUT)

  test('property: on the engine\'s own random bodies, whatever the shortcut takes it does as the engine', () => {
    fc.assert(fc.property(scenario, ({ resourceType, resource, body }) => {
      sameAsEngine(typeOf(resourceType), resource, body)
    }), params(500))
  }, TEST_TIMEOUT)
})
