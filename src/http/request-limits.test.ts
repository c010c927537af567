import { describe, expect, test } from 'bun:test'
import { ERROR, testApp, USER } from '../../test/support/app'
import { ScimError } from '../scim/errors'
import { createLimiter, DEFAULT_LIMITS, requestLimits, type RequestLimits } from './request-limits'

const request = () => new Request('http://localhost/scim/v2/alpha/Users')

function deferred() {
  let resolve!: (response: Response) => void
  const promise = new Promise<Response>((done) => (resolve = done))
  return { promise, resolve }
}

async function scimError(response: Response, status: string) {
  expect(response.headers.get('content-type')).toContain('application/scim+json')
  expect(await response.json()).toMatchObject({ schemas: [ERROR], status })
}

describe('server.limits', () => {
  test('defaults: 1 MiB, 30 s, 256 at once; durations parsed', () => {
    expect(requestLimits(undefined)).toEqual({ maxBodyBytes: 1048576, requestTimeoutMs: 30_000, maxConcurrent: 256 })
    expect(requestLimits({ request_timeout: '2m', max_concurrent: 8 })).toEqual({ ...DEFAULT_LIMITS, requestTimeoutMs: 120_000, maxConcurrent: 8 })
  })

  test('beyond max_concurrent: 503 with Retry-After: 1; a slot frees when its request ends', async () => {
    const refusals: string[] = []
    const limiter = createLimiter(() => ({ ...DEFAULT_LIMITS, maxConcurrent: 2 }), (reason) => refusals.push(reason))
    const held = [deferred(), deferred()]
    const running = held.map((d) => limiter.run(request(), () => d.promise))
    const refused = await limiter.run(request(), async () => new Response('ran'))
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('1')
    await scimError(refused, '503')
    expect(refusals).toEqual(['concurrency'])

    held[0]!.resolve(new Response('first'))
    expect(await (await running[0]!).text()).toBe('first')
    expect(await (await limiter.run(request(), async () => new Response('ran'))).text()).toBe('ran')
    held[1]!.resolve(new Response('second'))
    await running[1]
    expect(limiter.inFlight).toBe(0)
  })

  test('a request still running after request_timeout gets a 503 SCIM error, and keeps its slot until it ends', async () => {
    let limits: RequestLimits = { ...DEFAULT_LIMITS, requestTimeoutMs: 50, maxConcurrent: 1 }
    const refusals: string[] = []
    const limiter = createLimiter(() => limits, (reason) => refusals.push(reason))
    const slow = deferred()
    const started = performance.now()
    const timedOut = await limiter.run(request(), () => slow.promise)
    expect(performance.now() - started).toBeGreaterThanOrEqual(45)
    expect(timedOut.status).toBe(503)
    await scimError(timedOut, '503')
    expect((await limiter.run(request(), async () => new Response('ran'))).status).toBe(503) // the slow one still runs
    expect(refusals).toEqual(['timeout', 'concurrency'])
    slow.resolve(new Response('late'))
    await Bun.sleep(0)
    expect(limiter.inFlight).toBe(0)
    limits = { ...limits, requestTimeoutMs: 1000 }
    expect(await (await limiter.run(request(), async () => new Response('fast'))).text()).toBe('fast')
  })

  test('a SCIM error of the work is its response, any other error is thrown; either frees the slot', async () => {
    const limiter = createLimiter(() => ({ ...DEFAULT_LIMITS, maxConcurrent: 1 }))
    const refused = await limiter.run(request(), async () => {
      throw new ScimError(409, 'uniqueness', 'taken')
    })
    expect(refused.status).toBe(409)
    await scimError(refused, '409')
    expect(limiter.inFlight).toBe(0)
    const failing = limiter.run(request(), () => {
      throw new Error('bug')
    })
    await expect(failing).rejects.toThrow('bug')
    expect(limiter.inFlight).toBe(0)
  })

  describe('max_body_bytes through the app', () => {
    function setup() {
      const t = testApp()
      t.app.applyConfig({ ...t.config, server: { ...t.config.server, limits: { max_body_bytes: 2048 } } })
      return t
    }
    const post = (key: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
      new Request('http://localhost/scim/v2/alpha/Users', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/scim+json', ...headers },
        body,
      })
    const user = (padding: number) => JSON.stringify({ schemas: [USER], userName: 'ann', displayName: 'x'.repeat(padding) })
    const streamOf = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          const bytes = new TextEncoder().encode(text)
          for (let at = 0; at < bytes.length; at += 500) controller.enqueue(bytes.slice(at, at + 500))
          controller.close()
        },
      })

    test('a Content-Length over the limit is 413 without reading the body', async () => {
      const { app, alpha } = setup()
      const response = await app.handle(post(alpha.key, user(10), { 'content-length': '4096' }))
      expect(response.status).toBe(413)
      await scimError(response, '413')
    })

    test('a body without Content-Length is refused once it passes the limit; one within it is handled', async () => {
      const { app, alpha } = setup()
      const big = await app.handle(post(alpha.key, streamOf(user(3000))))
      expect(big.status).toBe(413)
      await scimError(big, '413')
      const small = await app.handle(post(alpha.key, streamOf(user(1500))))
      expect(small.status).toBe(201)
      expect(((await small.json()) as { displayName: string }).displayName).toHaveLength(1500)
    })
  })
})
