/**
 * @module GitHub's answers that mean "later": the primary rate limit
 * (`x-ratelimit-remaining: 0` until `x-ratelimit-reset`), secondary limits
 * (403 or 429 with `retry-after`) and the daily cap on invitations. Each
 * becomes a RetryableError carrying the wait, so the engine holds off rather
 * than hammering. (429s and 5xx are already turned into RetryableError by
 * the engine's HTTP client.)
 */
import { RetryableError } from '../../src/connector/errors'
import { retryAfterMs } from '../../src/connector/http-client'

/** GitHub's advice for a secondary limit that names no wait: at least a minute. */
const SECONDARY_DEFAULT_MS = 60 * 1000

/** Invitations are capped per 24 h (50 for new free orgs, else 500); the window frees within a day. */
const INVITATION_CAP_WAIT_MS = 24 * 60 * 60 * 1000

export interface ErrorBody {
  message?: string
  errors?: ({ message?: string; code?: string } | string)[]
}

export function rateLimitError(response: Response, body: ErrorBody, now: number): RetryableError | undefined {
  if (response.status !== 403 && response.status !== 429) return undefined
  const wait = retryAfterMs(response.headers, now)
  const secondary = /secondary rate limit/i.test(body.message ?? '')
  if (wait === undefined && !secondary) return undefined
  const kind = secondary || response.headers.has('retry-after') ? 'secondary rate limit' : 'rate limit'
  return new RetryableError(`GitHub ${kind} reached (${response.status}): ${body.message ?? 'no message'}`, {
    retryAfterMs: wait ?? SECONDARY_DEFAULT_MS,
  })
}

/** A 422 on an invitation that says the organization sent too many today. */
export function invitationCapError(status: number, body: ErrorBody): RetryableError | undefined {
  if (status !== 422) return undefined
  const text = messagesOf(body).find((message) => /rate limit|invitation limit|too many invitations/i.test(message))
  if (!text) return undefined
  return new RetryableError(`GitHub refused the invitation: ${text}; the organization's daily invitation limit is reached, scimify tries again in 24 hours`, {
    retryAfterMs: INVITATION_CAP_WAIT_MS,
  })
}

/** The top-level message and each error's, for error texts. */
export function messagesOf(body: ErrorBody): string[] {
  const details = (body.errors ?? []).map((error) => (typeof error === 'string' ? error : (error.message ?? error.code ?? ''))).filter(Boolean)
  return [body.message ?? '', ...details].filter(Boolean)
}
