/**
 * @module The one error type of the SCIM layer (RFC 7644 §3.12).
 * Everything that answers a client with 4xx throws a ScimError; the HTTP
 * layer renders it in one place.
 */
import { ERROR } from './schemas/urns'

/** scimType values of RFC 7644 §3.12, Table 9 (and RFC 9865), with the status each goes with. */
export const SCIM_TYPES = {
  invalidFilter: 400,
  tooMany: 400,
  uniqueness: 409,
  mutability: 400,
  invalidSyntax: 400,
  invalidPath: 400,
  noTarget: 400,
  invalidValue: 400,
  invalidVers: 400,
  sensitive: 400,
  // RFC 9865 §2.1: cursor pagination
  invalidCursor: 400,
  expiredCursor: 400,
  invalidCount: 400,
} as const

export type ScimType = keyof typeof SCIM_TYPES

export interface ScimErrorBody {
  schemas: [typeof ERROR]
  status: string
  scimType?: ScimType
  detail?: string
}

export class ScimError extends Error {
  readonly status: number
  readonly scimType?: ScimType

  constructor(status: number, scimType: ScimType | undefined, detail: string) {
    super(detail)
    this.name = 'ScimError'
    this.status = status
    this.scimType = scimType
  }

  /** A 400/409 error whose status follows from its scimType. */
  static of(scimType: ScimType, detail: string): ScimError {
    return new ScimError(SCIM_TYPES[scimType], scimType, detail)
  }

  static notFound(detail = 'Resource not found'): ScimError {
    return new ScimError(404, undefined, detail)
  }

  static unauthorized(detail = 'Authentication failed: a valid bearer token is required'): ScimError {
    return new ScimError(401, undefined, detail)
  }

  /** The body RFC 7644 §3.12 prescribes; `status` is a string there. */
  toJSON(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [ERROR], status: String(this.status) }
    if (this.scimType) body.scimType = this.scimType
    if (this.message) body.detail = this.message
    return body
  }
}
