/**
 * @module When to try a failed reconcile again: exponential backoff with
 * jitter, never sooner than the app asked (retry-after), capped so a resource
 * that keeps failing is still tried regularly.
 */

export interface BackoffPolicy {
  baseMs: number
  capMs: number
  /** After this many failed attempts in a row the resource shows as failed. */
  failedAfter: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60 * 60 * 1000, failedAfter: 8 }

/** Delay before attempt number `attempts + 1`; `random` in [0, 1). */
export function backoffDelay(attempts: number, policy: BackoffPolicy, retryAfterMs: number | undefined, random: number): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempts, 30))
  // "Equal jitter": half fixed, half random, so retries spread out but never collapse to zero.
  const jittered = exponential / 2 + (exponential / 2) * random
  return Math.max(jittered, retryAfterMs ?? 0)
}
