/**
 * @module The HTTP client the engine gives connectors: every request has a
 * timeout, and answers that mean "later" (429, 503 and other 5xx, timeouts,
 * refused connections) become RetryableError, carrying the app's
 * `retry-after` or rate-limit reset time. Other answers are returned as they are.
 */
import { RetryableError } from './errors'

/** A request, with a timeout of its own when a connector's settings call for one. */
export interface HttpRequestInit extends RequestInit {
  timeoutMs?: number
}

export interface HttpClient {
  fetch(url: string, init?: HttpRequestInit): Promise<Response>
}

export interface HttpClientOptions {
  timeoutMs?: number
  userAgent?: string
  now?: () => number
  /** Told how each call ended, for metrics. It only counts: what the connector gets is the same without it. */
  onCall?: (call: DownstreamCall) => void
}

/** How a call to a downstream app ended: 2xx/3xx, 4xx but 429, 429, 5xx, no answer in time, no connection. */
export type DownstreamResult = 'ok' | 'client_error' | 'rate_limited' | 'server_error' | 'timeout' | 'network_error'

export interface DownstreamCall {
  result: DownstreamResult
  /** For `rate_limited`: how long the app asked to wait, when it said (retry-after, rate-limit reset). */
  waitMs?: number
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? 10_000
  const now = options.now ?? Date.now
  const report = (call: DownstreamCall) => {
    try {
      options.onCall?.(call)
    } catch {
      // Counting must never turn a delivered call into a failed one.
    }
  }
  return {
    async fetch(url, { timeoutMs: requestTimeoutMs, ...init } = {}) {
      const limit = requestTimeoutMs ?? timeoutMs
      const headers = new Headers(init.headers)
      if (!headers.has('user-agent')) headers.set('user-agent', options.userAgent ?? 'scimify')
      let response: Response
      try {
        response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(limit), redirect: 'manual' })
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError'
        report({ result: timedOut ? 'timeout' : 'network_error' })
        const reason = timedOut ? `no answer within ${limit} ms` : (error as Error).message
        throw new RetryableError(`${init.method ?? 'GET'} ${new URL(url).origin}: ${reason}`, { cause: error })
      }
      if (response.status === 429 || response.status >= 500) {
        await response.body?.cancel()
        const wait = retryAfterMs(response.headers, now())
        report(response.status === 429 ? { result: 'rate_limited', waitMs: wait } : { result: 'server_error' })
        throw new RetryableError(`${init.method ?? 'GET'} ${new URL(url).pathname} answered ${response.status}`, {
          retryAfterMs: wait,
        })
      }
      report({ result: response.status >= 400 ? 'client_error' : 'ok' })
      return response
    },
  }
}

/**
 * `retry-after` (seconds or an HTTP date), else `x-ratelimit-reset` (epoch seconds, GitHub) or
 * `ratelimit-reset` (seconds from now, Buildkite) when nothing remains.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after')
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000
    const date = Date.parse(retryAfter)
    if (!Number.isNaN(date)) return Math.max(0, date - now)
  }
  const reset = headers.get('x-ratelimit-reset')
  if (reset && headers.get('x-ratelimit-remaining') === '0' && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now)
  // The IETF RateLimit fields (Buildkite): `RateLimit-Reset` is seconds until the window resets, not a time.
  const delta = headers.get('ratelimit-reset')
  if (delta && headers.get('ratelimit-remaining') === '0' && /^\d+$/.test(delta.trim())) return Number(delta) * 1000
  return undefined
}
