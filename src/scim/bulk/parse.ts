/** @module Reading a BulkRequest within the limits of RFC 7644 §3.7.4. */
import { ScimError } from '../errors'
import { parseJsonBody } from '../json'
import { isObject } from '../values'
import { bulkIdIn, referencedBulkIds } from './references'
import { BULK_MAX_OPERATIONS, BULK_MAX_PAYLOAD_SIZE, BULK_REQUEST, METHODS, ENDPOINTS, invalid, type BulkMethod, type BulkEndpoint, type BulkOperation, type InvalidBulkOperation, type BulkRequest } from './types'

/** Throws 413 when a body of `bytes` bytes exceeds maxPayloadSize. */
export function checkBulkPayloadSize(bytes: number): void {
  if (bytes > BULK_MAX_PAYLOAD_SIZE) {
    throw new ScimError(413, undefined, `The size of the bulk request (${bytes} bytes) exceeds the maxPayloadSize (${BULK_MAX_PAYLOAD_SIZE})`)
  }
}

/**
 * The BulkRequest in a request body. The whole request is refused with 413
 * over a limit and 400 when it is not a BulkRequest; a malformed operation
 * only fails itself.
 */
export function parseBulkRequest(text: string): BulkRequest {
  checkBulkPayloadSize(Buffer.byteLength(text, 'utf8'))
  const body = parseJsonBody(text)
  const schemas = isObject(body) ? field(body, 'schemas') : undefined
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === BULK_REQUEST.toLowerCase())) {
    throw ScimError.of('invalidSyntax', `A bulk request must have "schemas": ["${BULK_REQUEST}"]`)
  }
  const operations = field(body as Record<string, unknown>, 'Operations')
  if (!Array.isArray(operations)) throw ScimError.of('invalidSyntax', 'A bulk request must have an "Operations" array')
  if (operations.length > BULK_MAX_OPERATIONS) {
    throw new ScimError(413, undefined, `The bulk request has ${operations.length} operations, more than the maxOperations (${BULK_MAX_OPERATIONS})`)
  }
  const failOnErrors = parseFailOnErrors(field(body as Record<string, unknown>, 'failOnErrors'))
  return { failOnErrors, operations: withUniqueBulkIds(operations.map(parseOperation)) }
}

function parseFailOnErrors(value: unknown): number {
  if (value === undefined || value === null) return Infinity
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value
  throw ScimError.of('invalidValue', '"failOnErrors" must be an integer of at least 1')
}

/** Attribute names are case-insensitive (RFC 7643 §2.1). */
function field(object: Record<string, unknown>, name: string): unknown {
  const lower = name.toLowerCase()
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : object[key]
}

function parseOperation(raw: unknown, index: number): BulkOperation | InvalidBulkOperation {
  if (!isObject(raw)) return { index, error: ScimError.of('invalidSyntax', 'An operation must be an object') }
  const [method, path, bulkId, version, data] = ['method', 'path', 'bulkId', 'version', 'data'].map((name) => field(raw, name))
  const echoed = { index, method: typeof method === 'string' ? method.toUpperCase() : undefined, bulkId: typeof bulkId === 'string' ? bulkId : undefined }
  try {
    const checkedMethod = parseMethod(method)
    const { endpoint, id } = parsePath(path, checkedMethod)
    if (bulkId !== undefined && (typeof bulkId !== 'string' || bulkId === '')) throw invalid('"bulkId" must be a non-empty string')
    if (checkedMethod === 'POST' && bulkId === undefined) throw invalid('"bulkId" is required for POST')
    if (version !== undefined && typeof version !== 'string') throw invalid('"version" must be a string (an ETag)')
    if (checkedMethod !== 'DELETE' && (data === undefined || data === null)) throw invalid(`"data" is required for ${checkedMethod}`)
    // A DELETE's data is ignored, and so are the references in it.
    const references = new Set(checkedMethod === 'DELETE' ? [] : referencedBulkIds(data))
    const pathReference = id === undefined ? undefined : bulkIdIn(id)
    if (pathReference !== undefined) references.add(pathReference)
    const operation: BulkOperation = { index, method: checkedMethod, endpoint, references: [...references] }
    if (id !== undefined) operation.id = id
    if (typeof bulkId === 'string') operation.bulkId = bulkId
    if (typeof version === 'string') operation.version = version
    if (checkedMethod !== 'DELETE') operation.data = data
    return operation
  } catch (error) {
    if (error instanceof ScimError) return { ...echoed, error }
    throw error
  }
}

function parseMethod(method: unknown): BulkMethod {
  const upper = typeof method === 'string' ? method.toUpperCase() : undefined
  const found = METHODS.find((m) => m === upper)
  if (!found) throw invalid('"method" must be POST, PUT, PATCH or DELETE')
  return found
}

function parsePath(path: unknown, method: BulkMethod): { endpoint: BulkEndpoint; id?: string } {
  const match = typeof path === 'string' ? /^\/?([^/?#]+)(?:\/([^/?#]+))?\/?$/.exec(path.trim()) : null
  const endpoint = match ? ENDPOINTS.get(match[1].toLowerCase()) : undefined
  if (!match || !endpoint) throw invalid('"path" must be /Users or /Groups, followed by /<id> except for POST')
  const id = match[2] === undefined ? undefined : decodeSegment(match[2])
  if (method === 'POST' && id !== undefined) throw invalid(`A POST goes to /${endpoint}, without an id`)
  if (method !== 'POST' && id === undefined) throw invalid(`A ${method} needs the resource's path, e.g. /${endpoint}/<id>`)
  return id === undefined ? { endpoint } : { endpoint, id }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw invalid(`"${segment}" in "path" is not valid percent-encoding`)
  }
}

/** bulkIds are unique within a request (§3.7): a later POST reusing one fails. */
function withUniqueBulkIds(operations: (BulkOperation | InvalidBulkOperation)[]) {
  const seen = new Set<string>()
  return operations.map((operation) => {
    if (operation.method !== 'POST' || operation.bulkId === undefined) return operation
    if (!seen.has(operation.bulkId)) {
      seen.add(operation.bulkId)
      return operation
    }
    return { index: operation.index, method: operation.method, bulkId: operation.bulkId, error: invalid(`bulkId '${operation.bulkId}' is already used by an earlier operation`) }
  })
}
