import { describe, expect, test } from 'bun:test'
import {
  BULK_MAX_OPERATIONS,
  BULK_MAX_PAYLOAD_SIZE,
  BULK_REQUEST,
  bulkProcessingOrder,
  parseBulkRequest,
  processBulkRequest,
  referencedBulkIds,
  substituteBulkIds,
  type BulkOperation,
  type OperationResult,
  type InvalidBulkOperation,
  type ResolvedOperation,
} from '.'
import { ScimError } from '../errors'

const request = (operations: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ schemas: [BULK_REQUEST], Operations: operations, ...extra })
const post = (bulkId: string, data: unknown = {}, path = '/Users') => ({ method: 'POST', path, bulkId, data })
const group = (displayName: string, ...memberValues: string[]) => ({ displayName, members: memberValues.map((value) => ({ value })) })

function thrown(run: () => unknown): ScimError {
  try {
    run()
  } catch (error) {
    if (error instanceof ScimError) return error
    throw error
  }
  throw new Error('expected a ScimError')
}

describe('parseBulkRequest: the whole request', () => {
  const cases: [string, string, number, string | undefined, RegExp][] = [
    ['an empty body', '  ', 400, 'invalidSyntax', /empty/],
    ['invalid JSON', '{"schemas":', 400, 'invalidSyntax', /not valid JSON/],
    ['not an object', '[]', 400, 'invalidSyntax', /schemas/],
    ['no schemas', JSON.stringify({ Operations: [] }), 400, 'invalidSyntax', /schemas/],
    ['another message schema', JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] }), 400, 'invalidSyntax', /BulkRequest/],
    ['no Operations', JSON.stringify({ schemas: [BULK_REQUEST] }), 400, 'invalidSyntax', /Operations/],
    ['Operations not an array', request([]).replace('[]', '{}'), 400, 'invalidSyntax', /Operations/],
    ['failOnErrors 0', request([], { failOnErrors: 0 }), 400, 'invalidValue', /failOnErrors/],
    ['failOnErrors 1.5', request([], { failOnErrors: 1.5 }), 400, 'invalidValue', /failOnErrors/],
    ['failOnErrors as a string', request([], { failOnErrors: '1' }), 400, 'invalidValue', /failOnErrors/],
    ['more than maxOperations', request(Array.from({ length: BULK_MAX_OPERATIONS + 1 }, () => ({}))), 413, undefined, /maxOperations \(1000\)/],
    ['more than maxPayloadSize bytes', request([], { padding: 'x'.repeat(BULK_MAX_PAYLOAD_SIZE) }), 413, undefined, /maxPayloadSize \(1048576\)/],
    ['more than maxPayloadSize bytes in UTF-8, not in characters', request([], { padding: 'é'.repeat(BULK_MAX_PAYLOAD_SIZE / 2) }), 413, undefined, /maxPayloadSize/],
  ]
  test.each(cases)('%s is refused', (_, text, status, scimType, detail) => {
    const error = thrown(() => parseBulkRequest(text))
    expect(error.status).toBe(status)
    expect(error.scimType).toBe(scimType as never)
    expect(error.message).toMatch(detail)
  })

  test('exactly maxOperations operations are accepted', () => {
    expect(parseBulkRequest(request(Array.from({ length: BULK_MAX_OPERATIONS }, () => ({})))).operations).toHaveLength(BULK_MAX_OPERATIONS)
  })

  test('attribute names in any case; failOnErrors absent means no limit', () => {
    const parsed = parseBulkRequest(JSON.stringify({ SCHEMAS: [BULK_REQUEST], operations: [{ METHOD: 'delete', Path: '/users/1' }], FailOnErrors: 2 }))
    expect(parsed.failOnErrors).toBe(2)
    expect(parsed.operations).toEqual([{ index: 0, method: 'DELETE', endpoint: 'Users', id: '1', references: [] }])
    expect(parseBulkRequest(request([])).failOnErrors).toBe(Infinity)
  })
})

describe('parseBulkRequest: each operation', () => {
  const valid: [string, unknown, Partial<BulkOperation>][] = [
    ['POST, method in any case', { method: 'post', path: '/Users', bulkId: 'a', data: { userName: 'x' } }, { method: 'POST', endpoint: 'Users', bulkId: 'a', data: { userName: 'x' }, references: [] }],
    ['endpoint in any case, trailing slash', { method: 'POST', path: '/GROUPS/', bulkId: 'g', data: {} }, { endpoint: 'Groups' }],
    ['PUT with version', { method: 'PUT', path: '/Users/u1', version: 'W/"2"', data: {} }, { method: 'PUT', id: 'u1', version: 'W/"2"' }],
    ['percent-encoded id', { method: 'DELETE', path: '/Users/a%20b' }, { id: 'a b' }],
    ['a bulkId reference in the path', { method: 'PATCH', path: '/Groups/bulkId:g1', data: {} }, { id: 'bulkId:g1', references: ['g1'] }],
    [
      'references in path and data, each once',
      { method: 'PATCH', path: '/Groups/bulkId:g', data: { Operations: [{ op: 'add', value: [{ value: 'bulkId:u' }, { value: 'bulkId:g' }, { value: 'bulkId:u' }] }] } },
      { references: ['u', 'g'] },
    ],
    ['DELETE, its data ignored', { method: 'DELETE', path: '/Groups/g1', data: { m: 'bulkId:x' } }, { method: 'DELETE', id: 'g1', references: [] }],
  ]
  test.each(valid)('%s', (_, operation, expected) => {
    const [parsed] = parseBulkRequest(request([operation])).operations
    expect(parsed).toMatchObject({ index: 0, ...expected })
    expect('error' in parsed).toBe(false)
    expect('data' in parsed).toBe(parsed.method !== 'DELETE')
  })

  const invalid: [string, unknown, Partial<InvalidBulkOperation>, RegExp][] = [
    ['not an object', 'POST', {}, /must be an object/],
    ['an unknown method', { method: 'GET', path: '/Users/1' }, { method: 'GET' }, /method/],
    ['no path', { method: 'DELETE' }, { method: 'DELETE' }, /path/],
    ['an unknown endpoint', { method: 'POST', path: '/Devices', bulkId: 'd', data: {} }, { bulkId: 'd' }, /path/],
    ['a path too deep', { method: 'DELETE', path: '/Users/1/x' }, {}, /path/],
    ['POST to a resource', { method: 'POST', path: '/Users/1', bulkId: 'a', data: {} }, {}, /without an id/],
    ['PUT to an endpoint', { method: 'PUT', path: '/Users', data: {} }, {}, /needs the resource's path/],
    ['POST without bulkId', { method: 'POST', path: '/Users', data: {} }, {}, /bulkId.*required/],
    ['an empty bulkId', { method: 'POST', path: '/Users', bulkId: '', data: {} }, {}, /bulkId/],
    ['PATCH without data', { method: 'PATCH', path: '/Users/1' }, {}, /data.*required/],
    ['a version that is not a string', { method: 'DELETE', path: '/Users/1', version: 3 }, {}, /version/],
    ['bad percent-encoding', { method: 'DELETE', path: '/Users/%E0%A4%A' }, {}, /percent-encoding/],
    ['data nested too deep', post('a', JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40))), { bulkId: 'a' }, /nested/],
  ]
  test.each(invalid)('%s fails only itself, with 400 invalidValue or invalidSyntax', (_, operation, echoed, detail) => {
    const [parsed] = parseBulkRequest(request([operation])).operations as InvalidBulkOperation[]
    expect(parsed).toMatchObject({ index: 0, ...echoed })
    expect(parsed.error.status).toBe(400)
    expect(parsed.error.message).toMatch(detail)
  })

  test('a bulkId used by an earlier POST fails the later one', () => {
    const operations = parseBulkRequest(request([post('a'), post('b'), post('a')])).operations
    expect(operations.map((o) => ('error' in o ? o.error.message : 'ok'))).toEqual(['ok', 'ok', "bulkId 'a' is already used by an earlier operation"])
  })
})

describe('bulkId references', () => {
  const found: [string, unknown, string[]][] = [
    ['none in plain data', { userName: 'bulkId', title: 'x bulkId:a', n: 1 }, []],
    ['the prefix alone is no reference', 'bulkId:', []],
    ['a member value', group('g', 'bulkId:u'), ['u']],
    ['an extension manager', { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: 'bulkId:boss' } } }, ['boss']],
    ['in document order, each once', [{ v: 'bulkId:b' }, 'bulkId:a', { w: ['bulkId:b'] }], ['b', 'a']],
  ]
  test.each(found)('referencedBulkIds: %s', (_, data, expected) => expect(referencedBulkIds(data)).toEqual(expected))

  const ids: Record<string, string> = { u: 'user-1', g: 'group-1' }
  const substituted: [string, unknown, unknown][] = [
    ['resolved references are replaced', group('G', 'bulkId:u', 'bulkId:g'), group('G', 'user-1', 'group-1')],
    ['a member that is not resolved is left out', group('G', 'bulkId:u', 'bulkId:x'), group('G', 'user-1')],
    [
      'a manager that is not resolved is left out, the extension stays',
      { 'urn:x': { employeeNumber: '7', manager: { value: 'bulkId:x', displayName: 'Boss' } } },
      { 'urn:x': { employeeNumber: '7' } },
    ],
    ['a top-level attribute that is not resolved is left out', { externalId: 'bulkId:x', userName: 'ann' }, { userName: 'ann' }],
    ['an array element that is not resolved is left out', { tags: ['bulkId:x', 'bulkId:u', 'plain'] }, { tags: ['user-1', 'plain'] }],
    ['non-string values stay', { a: 1, b: null, c: true, d: [] }, { a: 1, b: null, c: true, d: [] }],
  ]
  test.each(substituted)('substituteBulkIds: %s', (_, data, expected) => {
    const before = structuredClone(data)
    expect(substituteBulkIds(data, (bulkId) => ids[bulkId])).toEqual(expected)
    expect(data).toEqual(before)
  })
})

describe('bulkProcessingOrder', () => {
  const order: [string, unknown[], number[][]][] = [
    ['request order without references', [post('a'), { method: 'DELETE', path: '/Users/1' }, post('b')], [[0], [1], [2]]],
    ['a backward reference keeps request order', [post('u'), post('g', group('G', 'bulkId:u'), '/Groups')], [[0], [1]]],
    ['a forward reference runs the referred POST first', [post('g', group('G', 'bulkId:u'), '/Groups'), post('x'), post('u')], [[1], [2], [0]]],
    [
      'a path reference waits for its POST',
      [{ method: 'PATCH', path: '/Groups/bulkId:g', data: {} }, post('u'), post('g', {}, '/Groups')],
      [[1], [2], [0]],
    ],
    ['a chain', [post('a', { m: 'bulkId:b' }), post('b', { m: 'bulkId:c' }), post('c')], [[2], [1], [0]]],
    ['an unknown bulkId does not hold anything up', [post('a', { m: 'bulkId:nope' }), post('b')], [[0], [1]]],
    ['a circle is one unit', [post('a', group('A', 'bulkId:b'), '/Groups'), post('b', group('B', 'bulkId:a'), '/Groups'), post('c')], [[0, 1], [2]]],
    ['a POST referring to itself is a unit of its own', [post('a', { m: 'bulkId:a' })], [[0]]],
    [
      'what refers to a circle comes after it',
      [{ method: 'DELETE', path: '/Groups/bulkId:a' }, post('a', { m: 'bulkId:b' }), post('b', { m: 'bulkId:a' })],
      [[1, 2], [0]],
    ],
    ['an invalid operation in its turn', [post('a', { m: 'bulkId:b' }), { method: 'GET' }, post('b')], [[1], [2], [0]]],
  ]
  test.each(order)('%s', (_, operations, expected) => {
    expect(bulkProcessingOrder(parseBulkRequest(request(operations)).operations)).toEqual(expected)
  })
})

/** A store in memory behind the execute callback; `fail` in data makes an operation fail with that status. */
function fakeService() {
  const resources = new Map<string, { endpoint: string; data: unknown; version: number }>()
  const calls: string[] = []
  let next = 1
  const execute = (operation: ResolvedOperation): OperationResult => {
    calls.push(`${operation.method} /${operation.endpoint}${'id' in operation ? '/' + operation.id : ''} ${'data' in operation ? JSON.stringify(operation.data) : ''}`.trim())
    const data = 'data' in operation ? (operation.data as Record<string, unknown>) : {}
    if (data.crash) throw new TypeError('boom')
    if (typeof data.fail === 'number') throw new ScimError(data.fail, undefined, `failed with ${data.fail}`)
    if (operation.method === 'POST') {
      const id = `${operation.endpoint === 'Users' ? 'u' : 'g'}${next++}`
      resources.set(id, { endpoint: operation.endpoint, data, version: 1 })
      return { id, version: 'W/"1"' }
    }
    const current = resources.get(operation.id)
    if (!current) throw ScimError.notFound()
    if (operation.version && operation.version !== `W/"${current.version}"`) throw new ScimError(412, undefined, 'changed')
    if (operation.method === 'DELETE') {
      resources.delete(operation.id)
      return { id: operation.id }
    }
    current.version++
    current.data = data
    return { id: operation.id, version: `W/"${current.version}"` }
  }
  return { resources, calls, execute }
}

const BASE = 'https://example.com/scim/v2/demo'
async function run(operations: unknown[], extra: Record<string, unknown> = {}) {
  const service = fakeService()
  const response = await processBulkRequest(parseBulkRequest(request(operations, extra)), BASE, service.execute)
  expect(response.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:BulkResponse'])
  const brief = response.Operations.map((o) => [o.bulkId ?? o.method, o.status, o.response?.detail].filter((x) => x !== undefined).join(' '))
  return { ...service, response, brief }
}

describe('processBulkRequest', () => {
  test('the §3.7.2 example: a user and a group with the user as member', async () => {
    const { response, resources } = await run([
      post('qwerty', { userName: 'Alice' }),
      post('ytrewq', { displayName: 'Tour Guides', members: [{ type: 'User', value: 'bulkId:qwerty' }] }, '/Groups'),
    ])
    expect(response.Operations).toEqual([
      { method: 'POST', bulkId: 'qwerty', location: `${BASE}/Users/u1`, version: 'W/"1"', status: '201' },
      { method: 'POST', bulkId: 'ytrewq', location: `${BASE}/Groups/g2`, version: 'W/"1"', status: '201' },
    ])
    expect(resources.get('g2')!.data).toEqual({ displayName: 'Tour Guides', members: [{ type: 'User', value: 'u1' }] })
  })

  const scenarios: [string, unknown[], Record<string, unknown>, string[]][] = [
    [
      'PUT, PATCH and DELETE answer 200, 200 and 204',
      [post('a'), { method: 'PUT', path: '/Users/bulkId:a', data: { x: 1 } }, { method: 'PATCH', path: '/Users/bulkId:a', version: 'W/"2"', data: {} }, { method: 'DELETE', path: '/Users/bulkId:a' }],
      {},
      ['a 201', 'PUT 200', 'PATCH 200', 'DELETE 204'],
    ],
    ['a forward reference is resolved', [post('g', group('G', 'bulkId:u'), '/Groups'), post('u')], {}, ['u 201', 'g 201']],
    [
      'a failing operation does not stop the others',
      [post('a'), post('b', { fail: 409 }), post('c')],
      {},
      ['a 201', 'b 409 failed with 409', 'c 201'],
    ],
    [
      'failOnErrors stops after that many errors',
      [post('a', { fail: 400 }), post('b'), post('c', { fail: 400 }), post('d')],
      { failOnErrors: 2 },
      ['a 400 failed with 400', 'b 201', 'c 400 failed with 400'],
    ],
    [
      'a reference to a bulkId no POST creates fails with 409',
      [post('g', group('G', 'bulkId:nope'), '/Groups')],
      {},
      [`g 409 The reference "bulkId:nope" cannot be resolved: no POST in the request has bulkId 'nope'`],
    ],
    [
      'a reference to a failed POST fails with 409',
      [post('u', { fail: 400 }), { method: 'DELETE', path: '/Users/bulkId:u' }],
      {},
      ['u 400 failed with 400', `DELETE 409 The reference "bulkId:u" cannot be resolved: the operation with bulkId 'u' failed`],
    ],
    [
      'a version mismatch is 412 for that operation',
      [post('a'), { method: 'DELETE', path: '/Users/bulkId:a', version: 'W/"9"' }],
      {},
      ['a 201', 'DELETE 412 changed'],
    ],
    ['an unknown id is 404', [{ method: 'DELETE', path: '/Users/nope' }], {}, ['DELETE 404 Resource not found']],
    ['an unexpected error is a 500 for that operation only', [post('a', { crash: true }), post('b')], {}, ['a 500 Internal server error', 'b 201']],
    ['an invalid operation is answered in its turn', [post('a'), { method: 'GET', path: '/Users' }, post('b')], {}, ['a 201', 'GET 400 "method" must be POST, PUT, PATCH or DELETE', 'b 201']],
  ]
  test.each(scenarios)('%s', async (_, operations, extra, expected) => {
    expect((await run(operations, extra)).brief).toEqual(expected)
  })

  test('locations: none for a failed POST, the resource for a failed PUT, PATCH or DELETE', async () => {
    const { response } = await run([post('a', { fail: 400 }), { method: 'PATCH', path: '/Groups/g 1', data: {} }, { method: 'DELETE', path: '/Groups/bulkId:a' }])
    expect(response.Operations.map((o) => o.location)).toEqual([undefined, `${BASE}/Groups/g%201`, undefined])
    expect(response.Operations[1].response).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'Resource not found' })
  })

  test('the §3.7.1 circle is resolved: create A without B, create B with A, then replace A', async () => {
    const { response, calls, resources } = await run([
      post('qwerty', group('Group A', 'bulkId:ytrewq'), '/Groups'),
      post('ytrewq', group('Group B', 'bulkId:qwerty'), '/Groups'),
    ])
    expect(calls).toEqual([
      'POST /Groups {"displayName":"Group A","members":[]}',
      'POST /Groups {"displayName":"Group B","members":[{"value":"g1"}]}',
      'PUT /Groups/g1 {"displayName":"Group A","members":[{"value":"g2"}]}',
    ])
    expect(response.Operations).toEqual([
      { method: 'POST', bulkId: 'qwerty', location: `${BASE}/Groups/g1`, version: 'W/"2"', status: '201' },
      { method: 'POST', bulkId: 'ytrewq', location: `${BASE}/Groups/g2`, version: 'W/"1"', status: '201' },
    ])
    expect(resources.get('g1')!.data).toEqual(group('Group A', 'g2'))
  })

  test('a POST referring to itself is created, then given its own id', async () => {
    const { calls, brief } = await run([post('me', { manager: { value: 'bulkId:me' } })])
    expect(calls).toEqual(['POST /Users {}', 'PUT /Users/u1 {"manager":{"value":"u1"}}'])
    expect(brief).toEqual(['me 201'])
  })

  test('a circle that cannot be completed is undone: its resources are deleted, every member fails', async () => {
    const { calls, resources, brief } = await run([
      post('a', group('A', 'bulkId:b'), '/Groups'),
      post('b', { ...group('B', 'bulkId:a'), fail: 400 }, '/Groups'),
      { method: 'DELETE', path: '/Groups/bulkId:a' },
    ])
    expect(calls.map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual(['POST /Groups', 'POST /Groups', 'DELETE /Groups/g1'])
    expect(resources.size).toBe(0)
    expect(brief).toEqual([
      "a 409 The circular reference between bulkIds 'a', 'b' could not be resolved: the operation with bulkId 'b' failed",
      'b 400 failed with 400',
      `DELETE 409 The reference "bulkId:a" cannot be resolved: the operation with bulkId 'a' failed`,
    ])
  })

  test('a circle referring to a failed POST outside it fails without creating anything', async () => {
    const { calls, brief } = await run([post('x', { fail: 400 }), post('a', { m: 'bulkId:b', n: 'bulkId:x' }), post('b', { m: 'bulkId:a' })])
    expect(calls).toHaveLength(1)
    expect(brief[1]).toStartWith('a 409 The reference "bulkId:x" cannot be resolved')
    expect(brief[2]).toStartWith("b 409 The circular reference between bulkIds 'a', 'b'")
  })
})
