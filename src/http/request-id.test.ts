import { describe, expect, test } from 'bun:test'
import { memoryLogger } from '../log'
import { builtInSchemas } from '../scim/schemas/instance'
import type { ResourceStore } from '../store/resources'
import { testApp } from '../../test/support/app'
import type { HttpDeps } from './deps'
import { createFetchHandler, createHttpApp } from './server'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('X-Request-Id', () => {
  test('a well-formed incoming id comes back in the header and is on the request’s log line', async () => {
    const { app, alpha, logger } = testApp()
    const given = 'idp-Req_42.retry-1'
    const response = await app.handle(
      new Request('http://localhost/scim/v2/alpha/Users', { headers: { authorization: `Bearer ${alpha.key}`, 'x-request-id': given } }),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('x-request-id')).toBe(given)
    expect(logger.lines).toHaveLength(1)
    expect(logger.lines[0]).toContain('method=GET path=/scim/v2/alpha/Users status=200')
    expect(logger.lines[0]).toContain(`request_id=${given}`)
  })

  test('without one, or with one that is too long or holds other characters, a new id is made', async () => {
    const { app } = testApp()
    for (const header of [undefined, 'x'.repeat(65), 'has space', 'semi;colon', 'ünï', '']) {
      const response = await app.handle(new Request('http://localhost/healthz', { headers: header === undefined ? {} : { 'x-request-id': header } }))
      expect(response.headers.get('x-request-id')).toMatch(UUID)
    }
    expect((await app.handle(new Request('http://localhost/healthz', { headers: { 'x-request-id': 'y'.repeat(64) } }))).headers.get('x-request-id')).toBe(
      'y'.repeat(64),
    )
  })

  test('every answer carries one, errors included, and each request gets its own', async () => {
    const { app } = testApp()
    const ids = new Set<string>()
    for (const path of ['/healthz', '/scim/v2/alpha/Users', '/scim/v2/nope/Users', '/no/such/path']) {
      const response = await app.handle(new Request(`http://localhost${path}`))
      ids.add(response.headers.get('x-request-id') ?? 'missing')
    }
    expect(ids.size).toBe(4)
    for (const id of ids) expect(id).toMatch(UUID)
  })

  test('lines logged while handling a request carry its id too', async () => {
    const logger = memoryLogger('json')
    const broken = {
      store: {
        isWritable: () => {
          throw new Error('disk on fire')
        },
        durable: () => Promise.resolve(),
      } as unknown as ResourceStore,
      logger,
      keyring: () => {
        throw new Error('not used')
      },
      publicUrl: () => undefined,
      schemas: () => builtInSchemas,
    } satisfies HttpDeps
    const handle = createFetchHandler(createHttpApp(broken), broken)
    const response = await handle(new Request('http://localhost/healthz', { headers: { 'x-request-id': 'trace-7' } }))
    expect(response.status).toBe(500)
    const lines = logger.lines.map((line) => JSON.parse(line))
    expect(lines.map((line) => [line.msg, line.request_id])).toEqual([
      ['unhandled error', 'trace-7'],
      ['request', 'trace-7'],
    ])
  })
})
