/**
 * @module Limits on every request, each over-limit answer a SCIM error: how
 * many run at once (503 with `Retry-After: 1` beyond it), how large the body
 * (413), how long one may run (503 when it is still running then).
 */
import type { ServerConfig } from '../config/schema'
import { parseDuration } from '../config/duration'
import { ScimError } from '../scim/errors'
import type { RefusalReason } from '../metrics/scimify'
import { boundedBody, BodyTooLargeError } from './body-limit'
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

/** `refused`: told of each request the limits answer instead of its work (for the metrics). */
export function createLimiter(limits: () => RequestLimits, refused: (reason: RefusalReason) => void = () => {}): Limiter {
  let inFlight = 0
  return {
    get inFlight() {
      return inFlight
    },
    run(request, handle) {
      const { maxBodyBytes, requestTimeoutMs, maxConcurrent } = limits()
      if (inFlight >= maxConcurrent) {
        refused('concurrency')
        return Promise.resolve(scimErrorResponse(new RetryLaterError(503, `The server is handling ${maxConcurrent} requests; retry shortly`, 1)))
      }
      inFlight++
      // One promise, settled by the work or the timeout, whichever comes first (cheaper per request than Promise.race).
      return new Promise<Response>((resolve, reject) => {
        const timer = setTimeout(() => {
          refused('timeout')
          resolve(scimErrorResponse(new ScimError(503, undefined, `The request took longer than ${requestTimeoutMs} ms`)))
        }, requestTimeoutMs)
        // The slot is held until the work ends, even after its client got a 503.
        const done = () => {
          inFlight--
          clearTimeout(timer)
        }
        boundedBody(request, maxBodyBytes)
          .then(handle)
          .then(
            (response) => {
              done()
              resolve(response)
            },
            (error: unknown) => {
              done()
              if (error instanceof BodyTooLargeError) refused('body_too_large')
              if (error instanceof ScimError) resolve(scimErrorResponse(error))
              else reject(error)
            },
          )
      })
    },
  }
}
