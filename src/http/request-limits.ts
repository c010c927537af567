/**
 * @module Limits on every request, each over-limit answer a SCIM error: how
 * many run at once (503 with `Retry-After: 1` beyond it), how large the body
 * (413), how long one may run (503 when it is still running then).
 */
import type { ServerConfig } from '../config/schema'
import { parseDuration } from '../config/duration'
import { ScimError } from '../scim/errors'
import { boundedBody } from './body-limit'
import { scimErrorResponse } from './errors'
import { RetryLaterError } from './retry-later'

export interface RequestLimits {
  maxBodyBytes: number
  requestTimeoutMs: number
  maxConcurrent: number
}

export const DEFAULT_LIMITS: RequestLimits = { maxBodyBytes: 1024 * 1024, requestTimeoutMs: 30_000, maxConcurrent: 256 }

/** `server.limits` with its defaults. */
export function requestLimits(config: ServerConfig['limits']): RequestLimits {
  return {
    maxBodyBytes: config?.max_body_bytes ?? DEFAULT_LIMITS.maxBodyBytes,
    requestTimeoutMs: config?.request_timeout ? parseDuration(config.request_timeout) : DEFAULT_LIMITS.requestTimeoutMs,
    maxConcurrent: config?.max_concurrent ?? DEFAULT_LIMITS.maxConcurrent,
  }
}

export interface Limiter {
  /** Requests running now (a timed-out one counts until it really ends). */
  readonly inFlight: number
  /** Runs `handle` on the request within the limits in force. */
  run(request: Request, handle: (request: Request) => Promise<Response>): Promise<Response>
}

export function createLimiter(limits: () => RequestLimits): Limiter {
  let inFlight = 0
  const release = () => {
    inFlight--
  }
  return {
    get inFlight() {
      return inFlight
    },
    async run(request, handle) {
      const { maxBodyBytes, requestTimeoutMs, maxConcurrent } = limits()
      if (inFlight >= maxConcurrent) {
        return scimErrorResponse(new RetryLaterError(503, `The server is handling ${maxConcurrent} requests; retry shortly`, 1))
      }
      inFlight++
      const work = (async () => handle(await boundedBody(request, maxBodyBytes)))()
      // The slot is held until the work ends, even after its client got a 503.
      void work.then(release, release)
      let timer: ReturnType<typeof setTimeout> | undefined
      const timedOut = new Promise<Response>((resolve) => {
        timer = setTimeout(() => resolve(scimErrorResponse(new ScimError(503, undefined, `The request took longer than ${requestTimeoutMs} ms`))), requestTimeoutMs)
      })
      try {
        return await Promise.race([work, timedOut])
      } catch (error) {
        if (error instanceof ScimError) return scimErrorResponse(error)
        throw error
      } finally {
        clearTimeout(timer)
      }
    },
  }
}
