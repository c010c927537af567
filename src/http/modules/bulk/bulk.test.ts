import { describe, expect, spyOn, test } from 'bun:test'
import { GROUP, PATCH_OP, USER, newUser, scimClient, testApp } from '../../../../test/support/app'
import { ResourceService } from '../resources/service'

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest'
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse'

const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({ schemas: [BULK_REQUEST], Operations, ...extra })
const postUser = (bulkId: string, userName: string) => ({ method: 'POST', path: '/Users', bulkId, data: { schemas: [USER], userName } })
const postGroup = (bulkId: string, displayName: string, ...members: string[]) => ({
  method: 'POST',
  path: '/Groups',
  bulkId,
  data: { schemas: [GROUP], displayName, members: members.map((value) => ({ value })) },
})
const idOf = (location: string) => location.split('/').at(-1)!
const memberIds = (group: { members: { value: string }[] }) => group.members.map((m) => m.value)

function setup() {
  const t = testApp()
  return { ...t, scim: t.client(t.alpha) }
}

describe('POST /Bulk', () => {
  test('the RFC 7644 §3.7.2 example: a user, and a group with the user as member by bulkId', async () => {
    const { scim } = setup()
    const result = await scim.post('/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'qwerty', data: { schemas: [USER], userName: 'Alice' } },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'ytrewq',
          data: { schemas: [GROUP], displayName: 'Tour Guides', members: [{ type: 'User', value: 'bulkId:qwerty' }] },
        },
      ],
    })
    expect(result.status).toBe(200)
    expect(result.headers.get('content-type')).toStartWith('application/scim+json')
    expect(result.body.schemas).toEqual([BULK_RESPONSE])
    const [user, group] = result.body.Operations
    const [userId, groupId] = [idOf(user.location), idOf(group.location)]
    expect(user).toEqual({ method: 'POST', bulkId: 'qwerty', location: `http://localhost/scim/v2/alpha/Users/${userId}`, version: 'W/"1"', status: '201' })
    expect(group).toEqual({ method: 'POST', bulkId: 'ytrewq', location: `http://localhost/scim/v2/alpha/Groups/${groupId}`, version: 'W/"1"', status: '201' })

    const stored = await scim.get(`/Groups/${idOf(group.location)}`)
    expect(stored.body.displayName).toBe('Tour Guides')
    expect(stored.body.members).toEqual([{ value: userId, type: 'User', display: 'Alice', $ref: user.location }])
    expect((await scim.get(`/Users/${userId}`)).body.groups.map((g: { value: string }) => g.value)).toEqual([groupId])
  })

  test('forward references: a group and a PATCH of it name users created later in the list', async () => {
    const { scim } = setup()
    const result = await scim.post(
      '/Bulk',
      bulk([
        postGroup('team', 'Team', 'bulkId:ann'),
        { method: 'PATCH', path: '/groups/bulkId:team', data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:bob' }] }] } },
        postUser('ann', 'ann'),
        postUser('bob', 'bob'),
      ]),
    )
    expect(result.body.Operations.map((o: { bulkId?: string; method: string; status: string }) => `${o.bulkId ?? o.method} ${o.status}`)).toEqual([
      'ann 201',
      'team 201',
      'bob 201',
      'PATCH 200',
    ])
    const [ann, team, bob, patch] = result.body.Operations
    expect(patch.location).toBe(team.location)
    expect(patch.version).toBe('W/"2"')
    const stored = (await scim.get(`/Groups/${idOf(team.location)}`)).body
    expect(memberIds(stored)).toEqual([idOf(ann.location), idOf(bob.location)])
  })

  test('the RFC 7644 §3.7.1 circle of two groups is resolved: each is a member of the other', async () => {
    const { scim } = setup()
    const result = await scim.post('/Bulk', bulk([postGroup('qwerty', 'Group A', 'bulkId:ytrewq'), postGroup('ytrewq', 'Group B', 'bulkId:qwerty')]))
    const [a, b] = result.body.Operations
    expect([a.status, b.status]).toEqual(['201', '201'])
    const groups = (await scim.get('/Groups?filter=displayName sw "Group"')).body.Resources
    expect(groups).toHaveLength(2)
    expect(memberIds((await scim.get(`/Groups/${idOf(a.location)}`)).body)).toEqual([idOf(b.location)])
    expect(memberIds((await scim.get(`/Groups/${idOf(b.location)}`)).body)).toEqual([idOf(a.location)])
    expect((await scim.get(`/Groups/${idOf(a.location)}`)).body.meta.version).toBe(a.version)
  })

  test('a failing operation among good ones fails alone, with the SCIM error of its own request', async () => {
    const { scim } = setup()
    await scim.post('/Users', newUser('taken'))
    const result = await scim.post('/Bulk', bulk([postUser('a', 'ann'), postUser('b', 'TAKEN'), postUser('c', 'cat'), { method: 'POST', path: '/Users', bulkId: 'd', data: { schemas: [USER] } }]))
    expect(result.status).toBe(200)
    const [ann, taken, cat, noName] = result.body.Operations
    expect([ann.status, cat.status]).toEqual(['201', '201'])
    expect(taken).toEqual({
      method: 'POST',
      bulkId: 'b',
      status: '409',
      response: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: expect.any(String) },
    })
    expect(noName).toMatchObject({ status: '400', response: { status: '400', scimType: 'invalidValue' } })
    const names = (await scim.get('/Users')).body.Resources.map((u: { userName: string }) => u.userName).sort()
    expect(names).toEqual(['ann', 'cat', 'taken'])
  })

  test('a reference to a failed POST or an unknown bulkId fails with 409', async () => {
    const { scim } = setup()
    const result = await scim.post('/Bulk', bulk([{ method: 'POST', path: '/Users', bulkId: 'bad', data: { schemas: [USER] } }, postGroup('g', 'G', 'bulkId:bad'), postGroup('h', 'H', 'bulkId:nobody')]))
    const [, g, h] = result.body.Operations
    expect(g).toMatchObject({ bulkId: 'g', status: '409', response: { scimType: 'invalidValue', detail: expect.stringContaining("bulkId 'bad' failed") } })
    expect(h).toMatchObject({ bulkId: 'h', status: '409', response: { scimType: 'invalidValue', detail: expect.stringContaining("no POST in the request has bulkId 'nobody'") } })
    expect((await scim.get('/Groups')).body.totalResults).toBe(0)
  })

  test('failOnErrors: 1 stops at the first error and answers what was processed', async () => {
    const { scim } = setup()
    const result = await scim.post('/Bulk', bulk([postUser('a', 'ann'), { method: 'DELETE', path: '/Users/nope' }, postUser('c', 'cat')], { failOnErrors: 1 }))
    expect(result.status).toBe(200)
    expect(result.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '404'])
    expect(result.body.Operations[1].location).toBe('http://localhost/scim/v2/alpha/Users/nope')
    expect((await scim.get('/Users')).body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['ann'])
  })

  test('PATCH and DELETE with a stale version get 412 and change nothing; the current version applies', async () => {
    const { scim } = setup()
    const ann = (await scim.post('/Users', newUser('ann'))).body
    await scim.patch(`/Users/${ann.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Boss' }] })
    const stale = 'W/"1"'
    const refused = await scim.post(
      '/Bulk',
      bulk([
        { method: 'PATCH', path: `/Users/${ann.id}`, version: stale, data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Nobody' }] } },
        { method: 'DELETE', path: `/Users/${ann.id}`, version: stale },
      ]),
    )
    expect(refused.body.Operations.map((o: { method: string; status: string; response: { status: string } }) => [o.method, o.status, o.response.status])).toEqual([
      ['PATCH', '412', '412'],
      ['DELETE', '412', '412'],
    ])
    const unchanged = (await scim.get(`/Users/${ann.id}`)).body
    expect([unchanged.title, unchanged.meta.version]).toEqual(['Boss', 'W/"2"'])

    const applied = await scim.post(
      '/Bulk',
      bulk([
        { method: 'PATCH', path: `/Users/${ann.id}`, version: 'W/"2"', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'CEO' }] } },
        { method: 'PUT', path: `/Users/${ann.id}`, version: '"3"', data: newUser('ann', { title: 'CTO' }) },
        { method: 'DELETE', path: `/Users/${ann.id}`, version: 'W/"4"' },
      ]),
    )
    expect(applied.body.Operations).toEqual([
      { method: 'PATCH', location: `http://localhost/scim/v2/alpha/Users/${ann.id}`, version: 'W/"3"', status: '200' },
      { method: 'PUT', location: `http://localhost/scim/v2/alpha/Users/${ann.id}`, version: 'W/"4"', status: '200' },
      { method: 'DELETE', location: `http://localhost/scim/v2/alpha/Users/${ann.id}`, status: '204' },
    ])
    expect((await scim.get(`/Users/${ann.id}`)).status).toBe(404)
  })

  test('operations reach only the caller’s instance', async () => {
    const { scim, client, beta } = setup()
    const eve = (await client(beta).post('/Users', newUser('eve'))).body
    const result = await scim.post('/Bulk', bulk([{ method: 'DELETE', path: `/Users/${eve.id}` }]))
    expect(result.body.Operations[0].status).toBe('404')
    expect((await client(beta).get(`/Users/${eve.id}`)).status).toBe(200)
  })

  test('an unexpected error fails only its operation, as 500, and is logged', async () => {
    const { scim, logger } = setup()
    const create = spyOn(ResourceService.prototype, 'create').mockImplementationOnce(() => {
      throw new TypeError('boom')
    })
    try {
      const result = await scim.post('/Bulk', bulk([postUser('a', 'ann'), postUser('b', 'bob')]))
      expect(result.status).toBe(200)
      expect(result.body.Operations.map((o: { status: string }) => o.status)).toEqual(['500', '201'])
      expect(result.body.Operations[0].response).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'Internal server error' })
      expect(logger.lines.some((line) => line.includes('ERROR bulk operation failed') && line.includes('TypeError: boom'))).toBe(true)
    } finally {
      create.mockRestore()
    }
  })

  describe('limits (RFC 7644 §3.7.4), advertised in /ServiceProviderConfig', () => {
    test('ServiceProviderConfig states the limits', async () => {
      const { scim } = setup()
      expect((await scim.get('/ServiceProviderConfig')).body.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 })
    })

    test('1000 operations are processed; 1001 are refused with 413 and nothing is done', async () => {
      const { scim } = setup()
      const users = (count: number) => Array.from({ length: count }, (_, i) => postUser(`u${i}`, `user${i}`))
      const refused = await scim.post('/Bulk', bulk(users(1001)))
      expect(refused.status).toBe(413)
      expect(refused.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '413', detail: expect.stringContaining('maxOperations (1000)') })
      expect((await scim.get('/Users')).body.totalResults).toBe(0)
      const accepted = await scim.post('/Bulk', bulk(users(1000)))
      expect(accepted.body.Operations).toHaveLength(1000)
      expect((await scim.get('/Users')).body.totalResults).toBe(1000)
    })

    test('a body over 1 MiB is refused with 413 before it is parsed', async () => {
      const { scim } = setup()
      const big = JSON.stringify(bulk([postUser('a', 'ann')], { padding: 'x'.repeat(1048576) }))
      const refused = await scim.call('POST', '/Bulk', big)
      expect(refused.status).toBe(413)
      // server.limits.max_body_bytes (1 MiB by default, like maxPayloadSize) answers first.
      expect(refused.body.detail).toContain('1048576')
      expect((await scim.call('POST', '/Bulk', big.slice(0, -1))).status).toBe(413) // not JSON, but too large first
      expect((await scim.get('/Users')).body.totalResults).toBe(0)
    })

    test('a Content-Length over the limit is refused without reading the body', async () => {
      const { scim } = setup()
      const refused = await scim.call('POST', '/Bulk', JSON.stringify(bulk([])), { 'content-length': String(1048577) })
      expect(refused.status).toBe(413)
    })
  })

  describe('refused requests', () => {
    const cases: [string, string, string][] = [
      ['invalid JSON', '{"schemas": [', 'invalidSyntax'],
      ['an empty body', '', 'invalidSyntax'],
      ['another message schema', JSON.stringify({ schemas: [PATCH_OP], Operations: [] }), 'invalidSyntax'],
      ['no Operations', JSON.stringify({ schemas: [BULK_REQUEST] }), 'invalidSyntax'],
      ['failOnErrors 0', JSON.stringify(bulk([], { failOnErrors: 0 })), 'invalidValue'],
    ]
    test.each(cases)('%s is 400 %s', async (_, body, scimType) => {
      const { scim } = setup()
      const result = await scim.call('POST', '/Bulk', body, { 'content-type': 'application/scim+json' })
      expect(result.status).toBe(400)
      expect(result.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType })
    })

    test('without a valid key of the instance: 401, and nothing is done', async () => {
      const { app, scim, beta } = setup()
      const body = bulk([postUser('a', 'ann')])
      const anonymous = await app.handle(new Request('http://localhost/scim/v2/alpha/Bulk', { method: 'POST', body: JSON.stringify(body) }))
      expect(anonymous.status).toBe(401)
      expect(await anonymous.json()).toMatchObject({ status: '401' })
      const otherInstance = await scimClient(app, { ...beta, id: 'alpha' }).post('/Bulk', body)
      expect(otherInstance.status).toBe(401)
      expect((await scim.get('/Users')).body.totalResults).toBe(0)
    })
  })
})
