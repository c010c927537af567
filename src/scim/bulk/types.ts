/** @module Types and limits of bulk operations (RFC 7644 §3.7). */
import { ScimError, type ScimErrorBody } from '../errors'
import { BULK_REQUEST, BULK_RESPONSE } from '../schemas/urns'

export { BULK_REQUEST, BULK_RESPONSE }

/** The limits of §3.7.4, advertised in /ServiceProviderConfig. */
export const BULK_MAX_OPERATIONS = 1000
export const BULK_MAX_PAYLOAD_SIZE = 1_048_576

/** Deeper `data` is refused, so walking it can never exhaust the stack. */
export const MAX_DATA_DEPTH = 32
export const REFERENCE_PREFIX = 'bulkId:'
export const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const

export type BulkMethod = (typeof METHODS)[number]
export type BulkEndpoint = 'Users' | 'Groups'

export const ENDPOINTS = new Map<string, BulkEndpoint>([
  ['users', 'Users'],
  ['groups', 'Groups'],
])

/** One operation of a BulkRequest as sent, checked; `id` and `data` may still hold `bulkId:` references. */
export interface BulkOperation {
  /** Its position in the request's Operations. */
  index: number
  method: BulkMethod
  endpoint: BulkEndpoint
  /** The resource id from the path; absent for POST. */
  id?: string
  bulkId?: string
  version?: string
  data?: unknown
  /** The bulkIds its path and data refer to, each once. */
  references: string[]
}

/** An operation that cannot run as sent; it is answered with its error in its turn. */
export interface InvalidBulkOperation {
  index: number
  method?: string
  bulkId?: string
  error: ScimError
}

export interface BulkRequest {
  /** Errors after which processing stops (Infinity when the client set no limit). */
  failOnErrors: number
  operations: (BulkOperation | InvalidBulkOperation)[]
}

/** An operation with its references replaced by resource ids, ready for the service. */
export type ResolvedOperation =
  | { method: 'POST'; endpoint: BulkEndpoint; data: unknown }
  | { method: 'PUT' | 'PATCH'; endpoint: BulkEndpoint; id: string; data: unknown; version?: string }
  | { method: 'DELETE'; endpoint: BulkEndpoint; id: string; version?: string }

/** What a successful operation leaves: the resource's id and, unless deleted, its ETag. */
export interface OperationResult {
  id: string
  version?: string
}

/** Runs one operation; throws a ScimError when it fails. */
export type ExecuteOperation = (operation: ResolvedOperation) => OperationResult | Promise<OperationResult>

export interface BulkResponseOperation {
  method?: string
  bulkId?: string
  location?: string
  version?: string
  status: string
  response?: ScimErrorBody
}

export interface BulkResponse {
  schemas: [typeof BULK_RESPONSE]
  Operations: BulkResponseOperation[]
}

/** A problem with one operation: 400 invalidValue. */
export function invalid(detail: string): ScimError {
  return ScimError.of('invalidValue', detail)
}
