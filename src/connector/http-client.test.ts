import { afterAll, describe, expect, test } from 'bun:test'
import { RetryableError } from './errors'
import { createHttpClient, retryAfterMs, type DownstreamCall } from './http-client'

const app = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  async fetch(request) {
    switch (new URL(request.url).pathname) {
      case '/ok':
        return new Response('fine')
      case '/moved':
        return new Response(null, { status: 302, headers: { location: '/ok' } })
      case '/missing':
        return new Response('no', { status: 404 })
      case '/limited':
        return new Response('slow down', { status: 429, headers: { 'retry-after': '7' } })
      case '/limited-silently':
        return new Response('slow down', { status: 429 })
      case '/down':
        return new Response('oops', { status: 503, headers: { 'retry-after': '2' } })
      default:
        await Bun.sleep(500)
        return new Response('late')
    }
  },
})
afterAll(() => app.stop(true))

// A port nothing listens on: the one of a server stopped at once.
const closed = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response() })
const closedUrl = `http://127.0.0.1:${closed.port}/`
closed.stop(true)

describe('HTTP client: how each call ended', () => {
  test('is reported as ok, client_error, rate_limited (with the wait asked for), server_error, timeout or network_error', async () => {
    const calls: DownstreamCall[] = []
    const http = createHttpClient({ timeoutMs: 100, onCall: (call) => calls.push(call) })
    const outcome = async (url: string) => {
      try {
        return (await http.fetch(url)).status
      } catch (error) {
        return error instanceof RetryableError ? `retry after ${error.retryAfterMs}` : 'other error'
      }
    }
    const base = `http://127.0.0.1:${app.port}`
    const outcomes = []
    for (const path of ['/ok', '/moved', '/missing', '/limited', '/limited-silently', '/down', '/hang']) outcomes.push(await outcome(base + path))
    outcomes.push(await outcome(closedUrl))

    // What the connector gets is unchanged by the reporting.
    expect(outcomes).toEqual([200, 302, 404, 'retry after 7000', 'retry after undefined', 'retry after 2000', 'retry after undefined', 'retry after undefined'])
    expect(calls).toEqual([
      { result: 'ok' },
      { result: 'ok' },
      { result: 'client_error' },
      { result: 'rate_limited', waitMs: 7000 },
      { result: 'rate_limited', waitMs: undefined },
      { result: 'server_error' },
      { result: 'timeout' },
      { result: 'network_error' },
    ])
  })

  test('a reporter that throws changes nothing for the connector', async () => {
    const http = createHttpClient({
      onCall: () => {
        throw new Error('broken counter')
      },
    })
    expect((await http.fetch(`http://127.0.0.1:${app.port}/ok`)).status).toBe(200)
    await expect(http.fetch(`http://127.0.0.1:${app.port}/limited`)).rejects.toBeInstanceOf(RetryableError)
  })
})

describe('retryAfterMs', () => {
  const at = Date.UTC(2026, 0, 1)
  test('retry-after first; then a reset time (GitHub) or a reset delay (Buildkite) when nothing remains', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '7', 'ratelimit-remaining': '0', 'ratelimit-reset': '42' }), at)).toBe(7000)
    expect(retryAfterMs(new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(at / 1000 + 30) }), at)).toBe(30_000)
    expect(retryAfterMs(new Headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': '42' }), at)).toBe(42_000)
    expect(retryAfterMs(new Headers({ 'ratelimit-remaining': '180', 'ratelimit-reset': '42' }), at)).toBeUndefined()
  })
})
