/** @module Running a BulkRequest and building the BulkResponse (RFC 7644 §3.7.3). */
import { ScimError } from '../errors'
import { bulkIdIn, substituteBulkIds } from './references'
import { bulkProcessingOrder, creatorsByBulkId } from './order'
import { BULK_RESPONSE, type BulkMethod, type BulkEndpoint, type BulkOperation, type InvalidBulkOperation, type BulkRequest, type ResolvedOperation, type ExecuteOperation, type BulkResponseOperation, type BulkResponse } from './types'

/**
 * Runs the operations in dependency order and answers with their results in
 * the order processed. Stops once `failOnErrors` operations have failed.
 *
 * A reference to a bulkId that no operation creates, or whose POST failed,
 * fails the referring operation with 409: the RFC's status for a reference
 * the server cannot resolve (§3.7.1), with scimType invalidValue.
 *
 * Circular references (§3.7.1: the service provider MUST try to resolve
 * them) are resolved: the POSTs of the circle are created in request order,
 * each without the references to members not yet created, and those whose
 * references were left out are then replaced (PUT) with their full data.
 * The circle is one unit: if any of its steps fails, the resources it
 * created are deleted again and every member fails (the failing one with its
 * own error, the others with 409), so no half-resolved circle remains.
 */
export async function processBulkRequest(request: BulkRequest, baseUrl: string, execute: ExecuteOperation): Promise<BulkResponse> {
  const run = new BulkRun(request.operations, baseUrl, execute)
  const results: BulkResponseOperation[] = []
  let errors = 0
  for (const unit of bulkProcessingOrder(request.operations)) {
    if (errors >= request.failOnErrors) break
    for (const result of await run.unit(unit)) {
      results.push(result)
      if (result.response) errors++
    }
  }
  return { schemas: [BULK_RESPONSE], Operations: results }
}

class BulkRun {
  /** Resource ids of the bulkIds created so far. */
  private readonly created = new Map<string, string>()
  private readonly creators: Map<string, number>

  constructor(
    private readonly operations: readonly (BulkOperation | InvalidBulkOperation)[],
    private readonly baseUrl: string,
    private readonly execute: ExecuteOperation,
  ) {
    this.creators = creatorsByBulkId(operations)
  }

  unit(indexes: number[]): Promise<BulkResponseOperation[]> {
    const operations = indexes.map((index) => this.operations[index])
    const [first] = operations
    const refersToItself = !('error' in first) && first.method === 'POST' && first.references.includes(first.bulkId!)
    if (operations.length === 1 && !refersToItself) return this.single(first).then((result) => [result])
    // Only POSTs are referred to, so every member of a circle is a valid POST.
    return this.circle(operations as BulkOperation[])
  }

  private async single(operation: BulkOperation | InvalidBulkOperation): Promise<BulkResponseOperation> {
    if ('error' in operation) return failure(operation, operation.error)
    const unresolved = operation.references.find((bulkId) => !this.created.has(bulkId))
    const id = operation.id === undefined ? undefined : this.resolveId(operation.id)
    const location = id === undefined ? undefined : this.location(operation.endpoint, id)
    if (unresolved !== undefined) return failure(operation, this.unresolvable(unresolved), location)
    try {
      const executed = await this.execute(this.resolved(operation, id))
      if (operation.method === 'POST') this.created.set(operation.bulkId!, executed.id)
      return success(operation, this.location(operation.endpoint, executed.id), executed.version)
    } catch (error) {
      return failure(operation, asScimError(error), location)
    }
  }

  private async circle(members: BulkOperation[]): Promise<BulkResponseOperation[]> {
    const names = members.map((m) => `'${m.bulkId}'`).join(', ')
    const own = new Set(members.map((m) => m.bulkId!))
    const outside = members.flatMap((m) => m.references.filter((bulkId) => !own.has(bulkId) && !this.created.has(bulkId)).map((bulkId) => ({ m, bulkId })))
    if (outside.length > 0) {
      return this.failCircle(members, outside[0].m, this.unresolvable(outside[0].bulkId), names)
    }
    const versions = new Map<BulkOperation, string | undefined>()
    const incomplete: BulkOperation[] = []
    for (const member of members) {
      if (member.references.some((bulkId) => own.has(bulkId) && !this.created.has(bulkId))) incomplete.push(member)
      const data = substituteBulkIds(member.data, (bulkId) => this.created.get(bulkId))
      try {
        const executed = await this.execute({ method: 'POST', endpoint: member.endpoint, data })
        this.created.set(member.bulkId!, executed.id)
        versions.set(member, executed.version)
      } catch (error) {
        return this.failCircle(members, member, asScimError(error), names)
      }
    }
    for (const member of incomplete) {
      const data = substituteBulkIds(member.data, (bulkId) => this.created.get(bulkId))
      try {
        const executed = await this.execute({ method: 'PUT', endpoint: member.endpoint, id: this.created.get(member.bulkId!)!, data })
        versions.set(member, executed.version)
      } catch (error) {
        return this.failCircle(members, member, asScimError(error), names)
      }
    }
    return members.map((m) => success(m, this.location(m.endpoint, this.created.get(m.bulkId!)!), versions.get(m)))
  }

  /** Deletes what the circle created; `culprit` fails with `error`, the other members with 409. */
  private async failCircle(members: BulkOperation[], culprit: BulkOperation, error: ScimError, names: string): Promise<BulkResponseOperation[]> {
    for (const member of members) {
      const id = this.created.get(member.bulkId!)
      if (id === undefined) continue
      this.created.delete(member.bulkId!)
      try {
        await this.execute({ method: 'DELETE', endpoint: member.endpoint, id })
      } catch {
        // Nothing more to do: the callback has reported unexpected errors.
      }
    }
    const conflict = new ScimError(409, 'invalidValue', `The circular reference between bulkIds ${names} could not be resolved: the operation with bulkId '${culprit.bulkId}' failed`)
    return members.map((member) => failure(member, member === culprit ? error : conflict))
  }

  private resolved(operation: BulkOperation, id: string | undefined): ResolvedOperation {
    const data = substituteBulkIds(operation.data, (bulkId) => this.created.get(bulkId))
    const { method, endpoint, version } = operation
    if (method === 'POST') return { method, endpoint, data }
    const conditional = version === undefined ? {} : { version }
    if (method === 'DELETE') return { method, endpoint, id: id!, ...conditional }
    return { method, endpoint, id: id!, data, ...conditional }
  }

  /** A path id with its bulkId reference resolved; undefined while unresolved. */
  private resolveId(id: string): string | undefined {
    const bulkId = bulkIdIn(id)
    return bulkId === undefined ? id : this.created.get(bulkId)
  }

  private unresolvable(bulkId: string): ScimError {
    const reason = this.creators.has(bulkId) ? `the operation with bulkId '${bulkId}' failed` : `no POST in the request has bulkId '${bulkId}'`
    return new ScimError(409, 'invalidValue', `The reference "bulkId:${bulkId}" cannot be resolved: ${reason}`)
  }

  private location(endpoint: BulkEndpoint, id: string): string {
    return `${this.baseUrl}/${endpoint}/${encodeURIComponent(id)}`
  }
}

const SUCCESS_STATUS: Record<BulkMethod, string> = { POST: '201', PUT: '200', PATCH: '200', DELETE: '204' }

function success(operation: BulkOperation, location: string, version: string | undefined): BulkResponseOperation {
  return {
    method: operation.method,
    ...(operation.bulkId !== undefined && { bulkId: operation.bulkId }),
    location,
    ...(version !== undefined && operation.method !== 'DELETE' && { version }),
    status: SUCCESS_STATUS[operation.method],
  }
}

/** A failed operation; `location` only where the resource's id is known and the method is not POST (§3.7.3). */
function failure(operation: BulkOperation | InvalidBulkOperation, error: ScimError, location?: string): BulkResponseOperation {
  return {
    ...(operation.method !== undefined && { method: operation.method }),
    ...(operation.bulkId !== undefined && { bulkId: operation.bulkId }),
    ...(location !== undefined && operation.method !== 'POST' && { location }),
    status: String(error.status),
    response: error.toJSON(),
  }
}

/** The callback reports unexpected errors itself; here they only become a 500 for the one operation. */
function asScimError(error: unknown): ScimError {
  return error instanceof ScimError ? error : new ScimError(500, undefined, 'Internal server error')
}
