/**
 * Property-based tests of the HTTP layer, driving the real app in memory
 * (`app.handle(new Request(…))`, see test/support/app.ts).
 *
 * - Random method × path (resources, ids, discovery, .search, Bulk, garbage
 *   segments, percent-encoding, trailing slashes, query strings with random
 *   filter, startIndex, count, cursor, sortBy, attributes) × headers (auth
 *   present, absent, garbage; content types; If-Match) × bodies (random JSON,
 *   truncated JSON, bytes, SCIM-looking User, Group, PatchOp, SearchRequest
 *   and BulkRequest bodies): the app never throws, never answers 5xx,
 *   answers within 2 s, and every 4xx is an application/scim+json SCIM Error
 *   whose `status` is the HTTP status as a string (so is every failed
 *   operation inside a BulkResponse).
 * - Filters near the parser's length and nesting limits reach the store
 *   without a 5xx.
 * - After a random sequence of valid and invalid operations on one instance,
 *   every user (and group) in GET /Users (/Groups) is returned the same by
 *   GET /Users/<id> (/Groups/<id>) and by a filter on its id.
 * - A user is found by `eq` filters on its own string values.
 *
 * Runs: FC_RUNS=<n> raises every property to at least n runs (soak runs).
 */
import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { ERROR, GROUP, PATCH_OP, testApp, USER } from '../../test/support/app'

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest'
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest'
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse'

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
  plugins: SOAK ? [] : [fc.interruptAfterTimeLimit(3_000, { failOnInterrupt: false })],
})
const TEST_TIMEOUT = SOAK ? 60 * 60_000 : 25_000
const RESPONSE_TIME_BOUND_MS = 2_000

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const SCIM_JSON = 'application/scim+json'

type Env = ReturnType<typeof testApp>

// ---------------------------------------------------------------------------
// Running one request and checking the response

/** Symbolic references to resources created at the start of each run (their ids are only known then). */
type Ref = { ref: 'user' | 'group'; index: number }
type Segment = string | Ref

interface RequestSpec {
  method: string
  /** Path segments after the host; refs are replaced by ids when the request is built. */
  path: Segment[]
  trailingSlash: boolean
  query: string
  auth: AuthChoice
  contentType: string | undefined
  extraHeaders: Record<string, string>
  body: BodySpec | undefined
}

type AuthChoice = 'alpha' | 'beta' | 'none' | 'lowercase-bearer' | 'no-scheme' | 'garbage' | 'basic' | 'alpha-key-extra-spaces' | 'truncated'
type BodySpec = { text: string } | { bytes: number[] } | { json: unknown } | { refs: unknown }

interface World {
  env: Env
  users: string[]
  groups: string[]
}

function resolveRef(world: World, ref: Ref): string {
  const ids = ref.ref === 'user' ? world.users : world.groups
  return ids.length === 0 ? 'no-such-id' : ids[ref.index % ids.length]!
}

/** Replaces `{ ref, index }` objects anywhere in a JSON value by resource ids. */
function withIds(world: World, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => withIds(world, item))
  if (typeof value === 'object' && value !== null) {
    if ('ref' in value && 'index' in value && Object.keys(value).length === 2) return resolveRef(world, value as Ref)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withIds(world, item)]))
  }
  return value
}

function authorization(world: World, auth: AuthChoice): string | undefined {
  const { alpha, beta } = world.env
  switch (auth) {
    case 'alpha': return `Bearer ${alpha.key}`
    case 'beta': return `Bearer ${beta.key}`
    case 'none': return undefined
    case 'lowercase-bearer': return `bearer ${alpha.key}`
    case 'no-scheme': return alpha.key
    case 'garbage': return 'Bearer scimify_nope_nope'
    case 'basic': return 'Basic dXNlcjpwYXNz'
    case 'alpha-key-extra-spaces': return `Bearer \t ${alpha.key}  `
    case 'truncated': return `Bearer ${alpha.key.slice(0, -1)}`
  }
}

function buildRequest(world: World, spec: RequestSpec): Request {
  const path = spec.path.map((segment) => (typeof segment === 'string' ? segment : resolveRef(world, segment))).join('/')
  const url = `http://localhost/${path}${spec.trailingSlash ? '/' : ''}${spec.query ? `?${spec.query}` : ''}`
  const headers: Record<string, string> = { ...spec.extraHeaders }
  const auth = authorization(world, spec.auth)
  if (auth !== undefined) headers.authorization = auth
  if (spec.contentType !== undefined) headers['content-type'] = spec.contentType
  let body: string | Uint8Array | undefined
  if (spec.body && !['GET', 'HEAD'].includes(spec.method.toUpperCase())) {
    if ('text' in spec.body) body = spec.body.text
    else if ('bytes' in spec.body) body = new Uint8Array(spec.body.bytes)
    else if ('json' in spec.body) body = JSON.stringify(spec.body.json) ?? ''
    else body = JSON.stringify(withIds(world, spec.body.refs)) ?? ''
  }
  return new Request(url, { method: spec.method, headers, body })
}

interface Checked {
  status: number
  body: any
}

/**
 * Sends `request` and checks the response: no exception, within the time
 * bound, and (unless `onlyTransport`) no 5xx and every 4xx a SCIM Error.
 * Failures carry the app's logged error (with its stack trace).
 */
async function send(env: Env, request: Request, { onlyTransport = false } = {}): Promise<Checked> {
  const described = `${request.method} ${request.url.length > 300 ? `${request.url.slice(0, 300)}… (${request.url.length} characters)` : request.url}`
  const sent = request.body ? (await request.clone().text()).slice(0, 300) : ''
  const logged = env.logger.lines.length
  const newErrors = () => env.logger.lines.slice(logged).filter((line) => line.includes(' ERROR ')).join('')
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no response within ${RESPONSE_TIME_BOUND_MS} ms: ${described}`)), RESPONSE_TIME_BOUND_MS)
  })
  let response: Response
  let text: string
  try {
    response = await Promise.race([env.app.handle(request), timeout])
    text = await Promise.race([response.text(), timeout])
  } catch (error) {
    throw new Error(`${described} threw: ${String((error as Error)?.stack ?? error)}\nrequest body: ${sent}\n${newErrors()}`)
  } finally {
    clearTimeout(timer)
  }
  const status = response.status
  if (onlyTransport) return { status, body: text === '' ? undefined : safeJson(text) }
  const fail = (reason: string): never => {
    throw new Error(`${described} → ${status}: ${reason}\nrequest body: ${sent}\nresponse body: ${text.slice(0, 500)}\n${newErrors()}`)
  }
  if (status >= 500) fail('a 5xx response')
  let body: any
  if (text !== '') {
    try {
      body = JSON.parse(text)
    } catch {
      if (status >= 400) fail('the error body is not JSON')
    }
  }
  if (body && Array.isArray(body.schemas) && body.schemas.includes(BULK_RESPONSE)) {
    // Each operation of a BulkResponse is answered like a request of its own.
    for (const [index, operation] of (Array.isArray(body.Operations) ? body.Operations : []).entries()) {
      const code = Number(operation?.status)
      if (!(code >= 200 && code < 500)) fail(`Operations[${index}].status is ${JSON.stringify(operation?.status)}`)
      if (code >= 400 && (JSON.stringify(operation.response?.schemas) !== JSON.stringify([ERROR]) || operation.response?.status !== operation.status)) {
        fail(`Operations[${index}] failed without a SCIM Error response`)
      }
    }
  }
  if (status >= 400) {
    if (!(response.headers.get('content-type') ?? '').includes(SCIM_JSON)) fail(`content-type is ${response.headers.get('content-type')}`)
    if (request.method !== 'HEAD') {
      if (!body || JSON.stringify(body.schemas) !== JSON.stringify([ERROR])) fail('not a SCIM Error body')
      if (body.status !== String(status)) fail(`the body's status is ${JSON.stringify(body.status)}`)
    }
  }
  return { status, body }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** A fresh app with a few users and groups in instance alpha (and one user in beta). */
async function freshWorld(): Promise<World> {
  const env = testApp()
  const alpha = env.client(env.alpha)
  const users: string[] = []
  for (const userName of ['ann', 'bob', 'Cé@example.com']) {
    const created = await alpha.post('/Users', {
      schemas: [USER, ENTERPRISE],
      userName,
      name: { givenName: userName, familyName: 'Lee' },
      emails: [{ value: `${userName}@example.com`, type: 'work', primary: true }],
      active: true,
      title: 'Engineer',
      [ENTERPRISE]: { department: 'R&D', manager: { value: 'm-1' } },
    })
    users.push(created.body.id)
  }
  const groups: string[] = []
  for (const [displayName, members] of [['Admins', [users[0]]], ['Everyone', [...users]]] as const) {
    const created = await alpha.post('/Groups', { schemas: [GROUP], displayName, members: members.map((value) => ({ value })) })
    groups.push(created.body.id)
  }
  await env.client(env.beta).post('/Users', { schemas: [USER], userName: 'beta-user' })
  return { env, users, groups }
}

/** Runs `run` on a fresh world and closes its database afterwards. */
async function inFreshWorld(run: (world: World) => Promise<void>): Promise<void> {
  const world = await freshWorld()
  try {
    await run(world)
  } finally {
    world.env.app.close()
  }
}

// ---------------------------------------------------------------------------
// Generators: filters, query strings

const USER_FILTER_PATHS = [
  'userName', 'displayName', 'name.givenName', 'name.familyName', 'title', 'active', 'id', 'externalId', 'emails', 'emails.value',
  'emails.type', 'emails.primary', 'phoneNumbers.value', 'addresses.locality', 'x509Certificates.value', 'groups', 'groups.value',
  'groups.display', 'meta.created', 'meta.lastModified', 'meta.resourceType', 'meta.location', 'meta', 'schemas', 'name', 'password',
  `${ENTERPRISE}:department`, `${ENTERPRISE}:manager.value`, `${ENTERPRISE}:manager`, `${USER}:userName`, 'members', 'members.value',
  'members.display', 'members.type', 'unknown', 'name.nope', 'urn:nope:x',
]
const MULTI_WITH_FILTER = ['emails', 'phoneNumbers', 'addresses', 'members', 'groups', 'name', `${ENTERPRISE}:manager`, 'userName', 'x509Certificates']
const INNER_PATHS = ['value', 'type', 'primary', 'display', 'locality', 'givenName', 'nope', 'value.x', '$ref']
const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Co', 'pr', 'xx']

const filterValue = fc.oneof(
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"ann"', '"ANN"', '"Engineer"', '"work"', '"2024-01-01T00:00:00Z"', '"2011-05-13"', '"R&D"', '"Cé"', '""', '"@"', '"User"'),
  fc.constantFrom('true', 'false', 'null', '0', '-1', '1.5', '1e999', '-1e999', '8640000000000001', '1e-400', '12ab', 'True'),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
)

const filterAtom = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...USER_FILTER_PATHS), fc.constantFrom(...OPERATORS), filterValue).map(([path, op, value]) => (op === 'pr' ? `${path} pr` : `${path} ${op} ${value}`)) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...MULTI_WITH_FILTER), fc.constantFrom(...INNER_PATHS), fc.constantFrom(...OPERATORS), filterValue)
      .map(([path, inner, op, value]) => `${path}[${inner} ${op === 'pr' ? 'pr' : `${op} ${value}`}]`),
  },
)

const filterExpression: fc.Arbitrary<string> = fc.letrec<{ filter: string }>((tie) => ({
  filter: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'http-filter' },
    { weight: 3, arbitrary: filterAtom },
    { weight: 1, arbitrary: fc.tuple(tie('filter'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('filter')).map(([a, op, b]) => `${a} ${op} ${b}`) },
    { weight: 1, arbitrary: tie('filter').map((f) => `not (${f})`) },
    { weight: 1, arbitrary: tie('filter').map((f) => `(${f})`) },
  ),
})).filter

/**
 * Chains of one short term up to and just beyond the parser's 10,000-character
 * limit, optionally inside nots (up to the nesting limit of 50): the largest
 * filters the store has to translate to SQL.
 */
const longFilter = fc
  .tuple(
    fc.constantFrom('id pr', 'id pr', 'id pr', 'id pr', 'title pr', 'id eq "x"', 'active eq true', 'emails.value eq "a@b"', 'emails[type eq "work"]', 'not (id pr)', 'meta.created gt "2020-01-01"', 'members pr'),
    fc.constantFrom(' or ', ' and ', ' OR '),
    fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 26 }) }),
  )
  .chain(([term, join, nots]) => {
    const wrapper = 'not ('.length + ')'.length
    const max = Math.floor((10_100 - nots * wrapper) / (term.length + join.length))
    return fc.integer({ min: Math.max(1, max - 300), max }).map((count) => {
      const chain = Array.from({ length: count }, () => term).join(join)
      return 'not ('.repeat(nots) + chain + ')'.repeat(nots)
    })
  })

const filterParameter = fc.oneof(
  { weight: 5, arbitrary: filterExpression },
  { weight: 1, arbitrary: longFilter },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '(', 'userName eq', '"', 'userName eq "ann" and', '[', ')(', 'not', 'a'.repeat(10_001)) },
)

const integerParameter = fc.oneof(
  fc.integer({ min: -5, max: 20 }).map(String),
  fc.integer().map(String),
  fc.constantFrom('', ' ', '0', '-0', '+1', ' 7 ', '1.5', '1e3', 'abc', '0x10', '99999999999999999999999', '-99999999999999999999999', '9007199254740993', '1000000', '١'),
  fc.stringMatching(/^[0-9]{10,40}$/),
)

const ATTRIBUTE_PATHS = [
  'userName', 'displayName', 'name', 'name.givenName', 'emails', 'emails.value', 'emails.type', 'active', 'id', 'externalId', 'meta',
  'meta.created', 'meta.lastModified', 'members', 'members.value', 'groups', 'groups.display', 'title', 'password', 'schemas',
  `${ENTERPRISE}:department`, `${ENTERPRISE}:manager.value`, ENTERPRISE, `${USER}:userName`, 'urn:nope:x', 'nope', 'name.nope', 'a.b.c',
  'emails[type eq "work"]', '', ' ',
]
/** attributes / excludedAttributes / sortBy: comma-separated attribute paths, some malformed. */
const attributeList = fc.oneof(
  fc.array(fc.constantFrom(...ATTRIBUTE_PATHS), { minLength: 1, maxLength: 3 }).map((paths) => paths.join(',')),
  fc.string({ maxLength: 12 }),
)
/** Cursors: empty, plausible-looking, garbage (RFC 9865 cursors are opaque). */
const cursorValue = fc.oneof(
  fc.constantFrom('', ' ', 'abc', '0', '-1', 'null', 'eyJ9', 'eyJzZXEiOjF9', 'AAAA', '%', '..'),
  fc.base64String({ maxLength: 40 }),
  fc.string({ maxLength: 20 }),
)

/** One query parameter, written percent-encoded (mostly) or raw. */
const queryPair = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.constant('filter'), filterParameter) },
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom('startIndex', 'count'), integerParameter) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('startIndex', 'count', 'itemsPerPage', 'cursor'), integerParameter) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom('attributes', 'excludedAttributes', 'sortBy'), attributeList) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('sortOrder'), fc.constantFrom('ascending', 'descending', 'DESCENDING', '', 'up')) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('cursor'), cursorValue) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('FILTER', 'filter[]', '__proto__', 'constructor', 'count[]', 'cursor[]'), fc.string({ maxLength: 10 })) },
      { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })) },
    ),
    fc.nat({ max: 9 }),
  )
  .map(([[key, value], raw]) => (raw === 0 ? `${key}=${value.replace(/[#\s]/g, '+')}` : `${encodeURIComponent(key)}=${encodeURIComponent(value)}`))

const queryString = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 5, arbitrary: fc.array(queryPair, { minLength: 1, maxLength: 4 }).map((pairs) => pairs.join('&')) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%ZZ', '&&', '=', 'filter', 'filter=%', 'filter=%E0%A4%A', 'count=%FF', '?') },
)

// ---------------------------------------------------------------------------
// Generators: paths, methods, headers, bodies

const garbageSegment = fc.oneof(
  fc.string({ maxLength: 8 }).map(encodeURIComponent),
  fc.constantFrom('..', '.', '%', '%ZZ', '%E0%A4%A', '%2F', '%00', 'Users%2F1', '~', '%20', 'null', 'undefined', '__proto__', 'constructor', '.search', 'Bulk', 'Me', '🙂'),
)
const refSegment = (kind: 'user' | 'group') => fc.nat({ max: 10 }).map((index): Ref => ({ ref: kind, index }))
const idSegment = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(refSegment('user'), refSegment('group')) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: garbageSegment },
)
const SCHEMA_IDS = [USER, GROUP, ENTERPRISE, 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig', 'urn:nope']

const instanceSegment = fc.oneof(
  { weight: 12, arbitrary: fc.constant('alpha') },
  { weight: 1, arbitrary: fc.constantFrom('beta', 'gamma', 'ALPHA', 'al%70ha', '%61lpha', '', '%ZZ', 'alpha%00') },
  { weight: 1, arbitrary: garbageSegment },
)

const resourcePath: fc.Arbitrary<Segment[]> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<Segment[]>(['Users'], ['Groups']) },
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('Users', 'Groups'), idSegment).map((p): Segment[] => p) },
  { weight: 1, arbitrary: fc.constantFrom<Segment[]>(['ServiceProviderConfig'], ['ResourceTypes'], ['ResourceTypes', 'User'], ['ResourceTypes', 'Group'], ['Schemas'], ['Schemas', encodeURIComponent(USER)]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('Schemas', 'ResourceTypes'), fc.oneof(fc.constantFrom(...SCHEMA_IDS), garbageSegment)).map((p): Segment[] => p) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('Users', 'Groups', 'Schemas'), idSegment, garbageSegment).map((p): Segment[] => p) },
  { weight: 1, arbitrary: fc.array(garbageSegment, { minLength: 1, maxLength: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom<Segment[]>(['.search'], ['Users', '.search'], ['Groups', '.search'], ['users', '.SEARCH'], ['Bulk']) },
  { weight: 1, arbitrary: fc.constantFrom<Segment[]>(['users'], ['USERS'], ['Users', ''], ['', 'Users'], []) },
)

const fullPath: fc.Arbitrary<Segment[]> = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(instanceSegment, resourcePath).map(([instance, rest]): Segment[] => ['scim', 'v2', instance, ...rest]) },
  { weight: 1, arbitrary: fc.constantFrom<Segment[]>(['healthz'], [''], ['scim'], ['scim', 'v2'], ['scim', 'v1', 'alpha', 'Users'], ['scim', 'v2', 'alpha']) },
  { weight: 1, arbitrary: fc.array(garbageSegment, { minLength: 1, maxLength: 4 }) },
)

const method = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
  { weight: 2, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'patch', 'get', 'delete', 'PROPFIND', 'FOO', 'M-SEARCH') },
)

const authChoice = fc.oneof(
  { weight: 10, arbitrary: fc.constant<AuthChoice>('alpha') },
  { weight: 3, arbitrary: fc.constantFrom<AuthChoice>('beta', 'none', 'lowercase-bearer', 'no-scheme', 'garbage', 'basic', 'alpha-key-extra-spaces', 'truncated') },
)

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('application/scim+json', 'application/json', 'application/scim+json; charset=utf-8') },
  {
    weight: 2,
    arbitrary: fc.constantFrom<string | undefined>(
      undefined, 'text/plain', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded',
      'application/octet-stream', 'application/xml', 'garbage', '', 'application/json; charset=latin1', 'APPLICATION/JSON',
    ),
  },
)

/** Header values Request accepts: printable ASCII. */
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 20 })
const extraHeaders = fc.oneof(
  { weight: 4, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.constantFrom('accept', 'if-match', 'if-none-match', 'x-forwarded-host', 'x-forwarded-proto', 'accept-encoding', 'x-http-method-override', 'origin', 'accept-charset'),
      fc.oneof(headerValue, fc.constantFrom('W/"1"', 'W/"2"', '"1"', '*', 'W/"1", W/"2"', 'W/', '"', 'W/"99999999999999999999"', 'application/scim+json')),
      { maxKeys: 3 },
    ),
  },
)

const ATTRIBUTE_NAMES = [
  'userName', 'UserName', 'USERNAME', 'name', 'displayName', 'nickName', 'title', 'active', 'emails', 'phoneNumbers', 'addresses', 'groups',
  'members', 'externalId', 'id', 'meta', 'schemas', 'password', 'x509Certificates', 'roles', 'profileUrl', ENTERPRISE, ENTERPRISE.toUpperCase(),
  'givenName', 'value', 'type', 'primary', 'display', '$ref', 'department', 'manager', 'Operations', 'op', 'path',
]
const attributeName = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ATTRIBUTE_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) })

const scalar = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('ann', 'Ann', 'ANN', 'bob', 'x@example.com', 'True', 'false', '', '2024-05-13T04:42:34Z', 'work'),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant(null),
)

/** SCIM-looking JSON: attribute names from the schemas, random values, refs to real ids. */
const scimValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'scim-value' },
    { weight: 4, arbitrary: scalar },
    { weight: 1, arbitrary: fc.oneof(refSegment('user'), refSegment('group')) },
    { weight: 2, arbitrary: fc.dictionary(attributeName, tie('value'), { maxKeys: 4 }) },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
  ),
})).value

const userBody = fc
  .record(
    {
      schemas: fc.constantFrom<unknown>([USER], [USER, ENTERPRISE], [], 'x', [GROUP]),
      userName: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('ann', 'ANN', 'carol', 'dave@example.com'), scalar),
      name: fc.oneof(fc.record({ givenName: scalar, familyName: scalar }, { requiredKeys: [] }), scimValue),
      emails: fc.oneof(fc.array(fc.record({ value: scalar, type: fc.constantFrom('work', 'home'), primary: fc.boolean() }, { requiredKeys: [] }), { maxLength: 3 }), scimValue),
      active: fc.oneof(fc.boolean(), scalar),
      title: scalar,
      [ENTERPRISE]: fc.oneof(fc.record({ department: scalar, manager: fc.record({ value: scalar }) }, { requiredKeys: [] }), scimValue),
      extra: fc.dictionary(attributeName, scimValue, { maxKeys: 2 }),
    },
    { requiredKeys: [] },
  )
  .map(({ extra, ...body }) => ({ ...extra, ...body }))

const memberList = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.oneof(refSegment('user'), refSegment('group')).map((value) => ({ value })) },
    { weight: 1, arbitrary: fc.oneof(fc.record({ value: scalar, display: scalar, type: scalar }, { requiredKeys: [] }), scimValue) },
  ),
  { maxLength: 4 },
)

const groupBody = fc
  .record(
    {
      schemas: fc.constantFrom<unknown>([GROUP], [], [USER]),
      displayName: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('Admins', 'Ops'), scalar),
      members: fc.oneof({ weight: 4, arbitrary: memberList }, { weight: 1, arbitrary: scimValue }),
      extra: fc.dictionary(attributeName, scimValue, { maxKeys: 2 }),
    },
    { requiredKeys: [] },
  )
  .map(({ extra, ...body }) => ({ ...extra, ...body }))

const PATCH_PATHS = [
  'userName', 'name.givenName', 'displayName', 'title', 'active', 'emails', 'emails[type eq "work"].value', 'emails[type eq "work"]',
  'emails[value eq "ann@example.com"]', 'addresses[type eq "home"].locality', `${ENTERPRISE}:department`, `${ENTERPRISE}:manager.value`,
  ENTERPRISE, 'members', 'members[value eq "x"]', 'externalId', 'id', 'meta', 'groups', 'emails[', 'emails[type eq]', 'x.y.z', '',
]
const patchOperation = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        op: fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'Remove', 'REMOVE', 'move'),
        // `{ pathRef }` becomes `members[value eq "<a real id>"]` (see withPathRefs).
        path: fc.oneof({ weight: 4, arbitrary: fc.constantFrom<unknown>(...PATCH_PATHS) }, { weight: 1, arbitrary: refSegment('user').map((pathRef) => ({ pathRef })) }),
        value: fc.oneof(scimValue, memberList, userBody),
      },
      { requiredKeys: ['op'] },
    ),
  },
  { weight: 1, arbitrary: scimValue },
)
/** PatchOps that usually apply: simple replaces and adds, member adds and removes by real id. */
const validPatchOperation = fc.oneof(
  fc.record({ op: fc.constantFrom('replace', 'Replace'), path: fc.constantFrom('displayName', 'title', 'nickName', 'name.givenName', `${ENTERPRISE}:department`), value: fc.string({ maxLength: 8 }) }),
  fc.record({ op: fc.constant('replace'), path: fc.constant('active'), value: fc.oneof(fc.boolean(), fc.constantFrom('True', 'False')) }),
  fc.record({ op: fc.constant('add'), path: fc.constant('emails'), value: fc.array(fc.record({ value: fc.emailAddress(), type: fc.constantFrom('work', 'home') }), { maxLength: 2 }) }),
  fc.record({ op: fc.constant('add'), path: fc.constant('members'), value: fc.array(fc.oneof(refSegment('user'), refSegment('group')).map((value) => ({ value })), { maxLength: 2 }) }),
  fc.record({ op: fc.constant('remove'), path: refSegment('user').map((pathRef) => ({ pathRef })) }),
  fc.record({ op: fc.constantFrom('add', 'replace'), value: fc.record({ displayName: fc.string({ maxLength: 8 }), title: fc.string({ maxLength: 8 }) }, { requiredKeys: [] }) }),
)
const validPatchBody = fc.array(validPatchOperation, { minLength: 1, maxLength: 3 }).map((Operations) => ({ schemas: [PATCH_OP], Operations }))

const anyPatchBody = fc
  .record({ schemas: fc.constantFrom<unknown>([PATCH_OP], [PATCH_OP.toLowerCase()], [], undefined), Operations: fc.oneof({ weight: 5, arbitrary: fc.array(patchOperation, { maxLength: 4 }) }, { weight: 1, arbitrary: scimValue }) }, { requiredKeys: ['Operations'] })
const patchBody = fc.oneof(validPatchBody, anyPatchBody)

/** Turns `{ pathRef }` placeholders into `members[value eq "<id>"]` strings, `{ urlRef }` into `/Users/<id>` (bulk paths). */
function withPathRefs(world: World, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => withPathRefs(world, item))
  if (typeof value === 'object' && value !== null) {
    if ('pathRef' in value && Object.keys(value).length === 1) {
      return `members[value eq ${JSON.stringify(resolveRef(world, (value as { pathRef: Ref }).pathRef))}]`
    }
    if ('urlRef' in value && Object.keys(value).length === 1) {
      const ref = (value as { urlRef: Ref }).urlRef
      return `/${ref.ref === 'user' ? 'Users' : 'Groups'}/${resolveRef(world, ref)}`
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withPathRefs(world, item)]))
  }
  return value
}

const validUserBody = fc
  .record({
    userName: fc.oneof(fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== ''), fc.constantFrom('ann', 'Ann', 'erin', 'Érin', 'x@example.com')),
    displayName: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
    title: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
    active: fc.option(fc.boolean(), { nil: undefined }),
    emails: fc.option(fc.array(fc.record({ value: fc.emailAddress(), type: fc.constantFrom('work', 'home') }), { maxLength: 2 }), { nil: undefined }),
  })
  .map((body) => ({ schemas: [USER], ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) }))

const validGroupBody = fc
  .record({ displayName: fc.oneof(fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== ''), fc.constantFrom('Admins', 'Ops')), members: memberList })
  .map((body) => ({ schemas: [GROUP], ...body }))

/** POST /Bulk bodies (RFC 7644 §3.7): operations on real ids and on bulkIds, with right and wrong members. */
const bulkId = fc.constantFrom('a', 'b', 'c', 'qwerty', '')
const bulkOperation = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record(
        {
          method: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'post', 'Patch', 'GET', 'FOO'),
          path: fc.oneof(
            fc.constantFrom('/Users', '/Groups', '/users', 'Users', '/Users/bulkId:a', '/Groups/bulkId:b', '/Users/bulkId:nope', '/Bulk', '/Users/', '', '/Users/a/b'),
            fc.oneof(refSegment('user'), refSegment('group')).map((urlRef) => ({ urlRef })),
          ),
          bulkId,
          version: fc.constantFrom('W/"1"', 'W/"2"', '"x"'),
          data: fc.oneof(
            validUserBody,
            validGroupBody,
            validPatchBody,
            userBody,
            groupBody,
            fc.record({ schemas: fc.constant([GROUP]), displayName: fc.constant('G'), members: fc.array(fc.constantFrom('bulkId:a', 'bulkId:b', 'bulkId:c', 'bulkId:nope').map((value) => ({ value })), { maxLength: 3 }) }),
            scimValue,
          ),
        },
        { requiredKeys: ['method', 'path'] },
      ),
  },
  { weight: 1, arbitrary: scimValue },
)
const bulkBody = fc.record(
  {
    schemas: fc.constantFrom<unknown>([BULK_REQUEST], [BULK_REQUEST], [BULK_REQUEST.toLowerCase()], [], [PATCH_OP]),
    failOnErrors: fc.oneof(fc.integer({ min: -1, max: 3 }), scalar),
    Operations: fc.oneof({ weight: 8, arbitrary: fc.array(bulkOperation, { maxLength: 6 }) }, { weight: 1, arbitrary: scimValue }),
  },
  { requiredKeys: ['schemas', 'Operations'] },
)

/** POST /.search bodies (RFC 7644 §3.4.3), parameters of right and wrong types. */
const searchBody = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(
      {
        schemas: fc.constant([SEARCH_REQUEST]),
        filter: filterExpression,
        sortBy: fc.constantFrom(...ATTRIBUTE_PATHS),
        sortOrder: fc.constantFrom('ascending', 'descending', 'Descending'),
        startIndex: fc.integer({ min: -3, max: 10 }),
        count: fc.integer({ min: -3, max: 10 }),
        attributes: fc.array(fc.constantFrom(...ATTRIBUTE_PATHS), { maxLength: 3 }),
        excludedAttributes: fc.array(fc.constantFrom(...ATTRIBUTE_PATHS), { maxLength: 3 }),
      },
      { requiredKeys: ['schemas'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        schemas: fc.constantFrom<unknown>([SEARCH_REQUEST], [SEARCH_REQUEST.toUpperCase()], [], SEARCH_REQUEST, [PATCH_OP]),
        filter: fc.oneof(filterExpression, scalar),
        sortBy: fc.oneof(fc.constantFrom(...ATTRIBUTE_PATHS), scalar),
        sortOrder: fc.oneof(fc.constantFrom('ascending', 'descending', 'Descending'), scalar),
        startIndex: fc.oneof(fc.integer({ min: -3, max: 10 }), integerParameter, scalar),
        count: fc.oneof(fc.integer({ min: -3, max: 10 }), integerParameter, scalar),
        cursor: fc.oneof(cursorValue, scalar),
        attributes: fc.oneof(fc.array(fc.constantFrom(...ATTRIBUTE_PATHS), { maxLength: 3 }), attributeList, scimValue),
        excludedAttributes: fc.oneof(fc.array(fc.constantFrom(...ATTRIBUTE_PATHS), { maxLength: 3 }), attributeList, scimValue),
      },
      { requiredKeys: ['schemas'] },
    ),
  },
)

const truncatedJson = fc.tuple(fc.oneof(userBody, groupBody, patchBody), fc.nat()).map(([value, cut]) => {
  const text = JSON.stringify(value)
  return text.slice(0, cut % Math.max(1, text.length))
})

const body: fc.Arbitrary<BodySpec | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.oneof(userBody, groupBody, patchBody, searchBody).map((refs): BodySpec => ({ refs })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((json): BodySpec => ({ json })) },
  { weight: 1, arbitrary: truncatedJson.map((text): BodySpec => ({ text })) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('', ' ', 'null', '[]', '{}', '"x"', '{"schemas":', '\uFEFF{}', '{"a":1}{"b":2}', '[' .repeat(5_000), '{"a":'.repeat(3_000), 'NaN', '1e999'),
    ).map((text): BodySpec => ({ text })),
  },
  { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }).map((bytes): BodySpec => ({ bytes })) },
)

/** Any method with any path and body: mostly 404s, which must be SCIM Errors too. */
const anyRequest: fc.Arbitrary<RequestSpec> = fc.record({
  method,
  path: fullPath,
  trailingSlash: fc.nat({ max: 5 }).map((n) => n === 0),
  query: queryString,
  auth: authChoice,
  contentType,
  extraHeaders,
  body,
})

const scim = (...rest: Segment[]): Segment[] => ['scim', 'v2', 'alpha', ...rest]
const scimBody = (arbitrary: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 5, arbitrary: arbitrary.map((refs): BodySpec => ({ refs })) }, { weight: 1, arbitrary: body })

/** A method, path and body that fit one of the routes, so requests reach the handlers and the store. */
const route: fc.Arbitrary<Pick<RequestSpec, 'method' | 'path' | 'query' | 'body'>> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ method: fc.constantFrom('GET', 'GET', 'HEAD'), path: fc.constantFrom(scim('Users'), scim('Groups')), query: queryString, body: fc.constant(undefined) }) },
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.record({ method: fc.constant('POST'), path: fc.constant(scim('Users')), query: fc.constant(''), body: scimBody(fc.oneof(userBody, validUserBody)) }),
      fc.record({ method: fc.constant('POST'), path: fc.constant(scim('Groups')), query: fc.constant(''), body: scimBody(fc.oneof(groupBody, validGroupBody)) }),
    ),
  },
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.constantFrom<['Users', 'user'] | ['Groups', 'group']>(['Users', 'user'], ['Groups', 'group']), fc.constantFrom('GET', 'PUT', 'PATCH', 'PATCH', 'DELETE'), fc.nat({ max: 10 }), fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryString }))
      .chain(([[endpoint, kind], verb, index, query]) => {
        const payload = verb === 'PATCH' ? patchBody : endpoint === 'Users' ? fc.oneof(userBody, validUserBody) : fc.oneof(groupBody, validGroupBody)
        return fc.record({
          method: fc.constant(verb),
          path: fc.constant(scim(endpoint, { ref: kind, index })),
          query: fc.constant(query),
          body: verb === 'GET' || verb === 'DELETE' ? fc.constant(undefined) : scimBody(payload),
        })
      }),
  },
  { weight: 2, arbitrary: fc.record({ method: fc.constant('POST'), path: fc.constantFrom(scim('.search'), scim('Users', '.search'), scim('Groups', '.search')), query: fc.constant(''), body: scimBody(searchBody) }) },
  { weight: 2, arbitrary: fc.record({ method: fc.constant('POST'), path: fc.constant(scim('Bulk')), query: fc.constant(''), body: scimBody(bulkBody) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      method: fc.constant('GET'),
      path: fc.constantFrom(scim('ServiceProviderConfig'), scim('ResourceTypes'), scim('ResourceTypes', 'User'), scim('Schemas'), scim('Schemas', USER), scim('Schemas', ENTERPRISE)),
      query: fc.oneof(fc.constant(''), queryString),
      body: fc.constant(undefined),
    }),
  },
)

const coherentRequest: fc.Arbitrary<RequestSpec> = fc
  .record({
    route,
    trailingSlash: fc.nat({ max: 9 }).map((n) => n === 0),
    auth: fc.oneof({ weight: 8, arbitrary: fc.constant<AuthChoice>('alpha') }, { weight: 1, arbitrary: authChoice }),
    contentType: fc.oneof({ weight: 6, arbitrary: fc.constant('application/scim+json') }, { weight: 1, arbitrary: contentType }),
    extraHeaders,
  })
  .map(({ route: { method, path, query, body }, ...rest }) => ({ method, path, query, body, ...rest }))

const requestSpec: fc.Arbitrary<RequestSpec> = fc.oneof({ weight: 2, arbitrary: coherentRequest }, { weight: 1, arbitrary: anyRequest })

function build(world: World, spec: RequestSpec): Request {
  const resolved = spec.body && 'refs' in spec.body ? { ...spec, body: { refs: withPathRefs(world, spec.body.refs) } } : spec
  return buildRequest(world, resolved)
}

// ---------------------------------------------------------------------------

describe('HTTP: random requests', () => {
  test('filters near the length and nesting limits reach the store without a 5xx', async () => {
    await inFreshWorld(async (world) => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('Users', 'Groups'), longFilter, async (endpoint, filter) => {
          const request = new Request(`http://localhost/scim/v2/alpha/${endpoint}?filter=${encodeURIComponent(filter)}`, { headers: { authorization: `Bearer ${world.env.alpha.key}` } })
          await send(world.env, request)
        }),
        params(80),
      )
    })
  }, TEST_TIMEOUT)

  test('never a 5xx or an exception, always within 2 s; every 4xx is a SCIM Error with its status as a string', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(requestSpec, { minLength: 1, maxLength: 6 }), (specs) =>
        inFreshWorld(async (world) => {
          for (const spec of specs) await send(world.env, build(world, spec))
        }),
      ),
      params(100),
    )
  }, TEST_TIMEOUT)

  test('list queries: any filter, startIndex and count on /Users and /Groups', async () => {
    const listQuery = fc.record({
      endpoint: fc.constantFrom('Users', 'Groups'),
      pairs: fc.array(
        fc.oneof(
          fc.tuple(fc.constant('filter'), filterParameter),
          fc.tuple(fc.constantFrom('startIndex', 'count'), integerParameter),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    })
    await inFreshWorld(async (world) => {
      await fc.assert(
        fc.asyncProperty(listQuery, async ({ endpoint, pairs }) => {
          const query = pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')
          const request = new Request(`http://localhost/scim/v2/alpha/${endpoint}?${query}`, { headers: { authorization: `Bearer ${world.env.alpha.key}` } })
          const { status, body } = await send(world.env, request)
          if (status === 200) {
            expect(Array.isArray(body.Resources)).toBe(true)
            expect(body.itemsPerPage).toBe(body.Resources.length)
          }
        }),
        params(300),
      )
    })
  }, TEST_TIMEOUT)
})

// ---------------------------------------------------------------------------
// Stateful: random operations, then list and get agree

type Operation =
  | { kind: 'createUser'; body: unknown }
  | { kind: 'createGroup'; body: unknown }
  | { kind: 'replace'; endpoint: 'Users' | 'Groups'; target: Ref; body: unknown }
  | { kind: 'patch'; endpoint: 'Users' | 'Groups'; target: Ref; body: unknown }
  | { kind: 'delete'; endpoint: 'Users' | 'Groups'; target: Ref }
  | { kind: 'random'; spec: RequestSpec }

const endpointAndRef = fc.constantFrom<'Users' | 'Groups'>('Users', 'Groups').chain((endpoint) =>
  fc.oneof({ weight: 5, arbitrary: refSegment(endpoint === 'Users' ? 'user' : 'group') }, { weight: 1, arbitrary: refSegment(endpoint === 'Users' ? 'group' : 'user') }).map((target) => ({ endpoint, target })),
)

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 3, arbitrary: fc.oneof({ weight: 3, arbitrary: validUserBody }, { weight: 1, arbitrary: userBody }).map((body): Operation => ({ kind: 'createUser', body })) },
  { weight: 2, arbitrary: fc.oneof({ weight: 3, arbitrary: validGroupBody }, { weight: 1, arbitrary: groupBody }).map((body): Operation => ({ kind: 'createGroup', body })) },
  {
    weight: 2,
    arbitrary: fc.tuple(endpointAndRef, fc.oneof(validUserBody, validGroupBody, userBody, groupBody)).map(([{ endpoint, target }, body]): Operation => ({ kind: 'replace', endpoint, target, body })),
  },
  { weight: 4, arbitrary: fc.tuple(endpointAndRef, patchBody).map(([{ endpoint, target }, body]): Operation => ({ kind: 'patch', endpoint, target, body })) },
  { weight: 1, arbitrary: endpointAndRef.map(({ endpoint, target }): Operation => ({ kind: 'delete', endpoint, target })) },
  { weight: 1, arbitrary: requestSpec.map((spec): Operation => ({ kind: 'random', spec })) },
  { weight: 1, arbitrary: bulkBody.map((refs): Operation => ({ kind: 'random', spec: { method: 'POST', path: scim('Bulk'), query: '', trailingSlash: false, auth: 'alpha', contentType: 'application/scim+json', extraHeaders: {}, body: { refs } } })) },
)

/**
 * Runs one operation. Only transport is checked here (an answer, in time):
 * statuses are the business of the properties above, and a 5xx they report
 * must not hide what this property checks, the state afterwards.
 */
async function perform(world: World, op: Operation): Promise<void> {
  const lenient = { onlyTransport: true }
  const auth = { authorization: `Bearer ${world.env.alpha.key}`, 'content-type': 'application/scim+json' }
  const url = (path: string) => `http://localhost/scim/v2/alpha/${path}`
  const json = (value: unknown) => JSON.stringify(withIds(world, withPathRefs(world, value))) ?? ''
  switch (op.kind) {
    case 'createUser':
    case 'createGroup': {
      const endpoint = op.kind === 'createUser' ? 'Users' : 'Groups'
      const { status, body } = await send(world.env, new Request(url(endpoint), { method: 'POST', headers: auth, body: json(op.body) }), lenient)
      if (status === 201) (op.kind === 'createUser' ? world.users : world.groups).push(body.id)
      return
    }
    case 'replace':
    case 'patch':
      await send(world.env, new Request(url(`${op.endpoint}/${resolveRef(world, op.target)}`), { method: op.kind === 'replace' ? 'PUT' : 'PATCH', headers: auth, body: json(op.body) }), lenient)
      return
    case 'delete': {
      const id = resolveRef(world, op.target)
      const { status } = await send(world.env, new Request(url(`${op.endpoint}/${id}`), { method: 'DELETE', headers: auth }), lenient)
      if (status === 204) {
        world.users = world.users.filter((u) => u !== id)
        world.groups = world.groups.filter((g) => g !== id)
      }
      return
    }
    case 'random':
      await send(world.env, build(world, op.spec), lenient)
  }
}

describe('HTTP: state stays consistent', () => {
  test('after random valid and invalid operations, every resource listed is returned the same by GET /<type>/<id>', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 15 }), (operations) => inFreshWorld(async (world) => {
        for (const op of operations) await perform(world, op)

        const headers = { authorization: `Bearer ${world.env.alpha.key}` }
        for (const endpoint of ['Users', 'Groups']) {
          const list = await send(world.env, new Request(`http://localhost/scim/v2/alpha/${endpoint}?count=1000`, { headers }))
          expect(list.status).toBe(200)
          expect(list.body.totalResults).toBe(list.body.Resources.length)
          for (const listed of list.body.Resources) {
            const single = await send(world.env, new Request(`http://localhost/scim/v2/alpha/${endpoint}/${listed.id}`, { headers }))
            expect({ status: single.status, body: single.body }).toEqual({ status: 200, body: listed })
            // The store's filter translation finds it by id, too.
            const byId = await send(world.env, new Request(`http://localhost/scim/v2/alpha/${endpoint}?filter=${encodeURIComponent(`id eq ${JSON.stringify(listed.id)}`)}`, { headers }))
            expect(byId.body.Resources).toEqual([listed])
          }
        }
      })),
      params(60),
    )
  }, TEST_TIMEOUT)
})

describe('HTTP: filters find what was stored', () => {
  test('a user is found by an eq filter on each of its own string values (any case and script)', async () => {
    const text = fc.oneof(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
      fc.constantFrom('Ärztin', 'Émile', 'ÖDÖN', 'straße', 'İstanbul', 'Σίσυφος', 'ǅ', 'x@Ex.org', 'plain'),
    ).filter((s) => s.trim() !== '')
    const filters = (userName: string, value: string, email: string): string[] => [
      `userName eq ${JSON.stringify(userName)}`,
      `displayName eq ${JSON.stringify(value)}`,
      `title eq ${JSON.stringify(value)}`,
      `name.givenName eq ${JSON.stringify(value)}`,
      `${ENTERPRISE}:department eq ${JSON.stringify(value)}`,
      `emails.value eq ${JSON.stringify(email)}`,
      `emails[value eq ${JSON.stringify(email)}]`,
      `emails[type eq "work" and value eq ${JSON.stringify(email)}]`,
    ]
    await inFreshWorld(async (world) => {
      const headers = { authorization: `Bearer ${world.env.alpha.key}`, 'content-type': 'application/scim+json' }
      let serial = 0
      await fc.assert(
        fc.asyncProperty(text, async (value) => {
          // userName is unique: a serial number keeps it so; the other attributes take the value as is.
          const userName = `${value}${++serial}`
          const email = `${value}${serial}@example.com`
          const created = await send(world.env, new Request('http://localhost/scim/v2/alpha/Users', {
            method: 'POST',
            headers,
            body: JSON.stringify({ schemas: [USER, ENTERPRISE], userName, displayName: value, title: value, name: { givenName: value }, emails: [{ value: email, type: 'work' }], [ENTERPRISE]: { department: value } }),
          }))
          expect(created.status).toBe(201)
          const missedBy: string[] = []
          for (const filter of filters(userName, value, email)) {
            const found = await send(world.env, new Request(`http://localhost/scim/v2/alpha/Users?count=1000&filter=${encodeURIComponent(filter)}`, { headers }))
            if (found.status !== 200 || !found.body.Resources.some((r: { id: string }) => r.id === created.body.id)) missedBy.push(filter)
          }
          expect(missedBy).toEqual([])
        }),
        params(100),
      )
    })
  }, TEST_TIMEOUT)
})
