/** @module A SCIM error that tells the client when to try again (`Retry-After`, in seconds). */
import { ScimError } from '../scim/errors'

export class RetryLaterError extends ScimError {
  readonly retryAfterSeconds: number

  constructor(status: 429 | 503, detail: string, retryAfterSeconds: number) {
    super(status, undefined, detail)
    this.retryAfterSeconds = retryAfterSeconds
  }
}
