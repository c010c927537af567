/**
 * @module Errors a connector throws to steer retries. Any other error is a
 * failure too; the engine retries every failure with backoff, and a resource
 * that keeps failing is marked failed and retried less often.
 */

/** A temporary failure: try again, not before `retryAfterMs` when the app said so. */
export class RetryableError extends Error {
  readonly retryAfterMs?: number

  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'RetryableError'
    this.retryAfterMs = options.retryAfterMs
  }
}
