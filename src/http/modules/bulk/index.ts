/** @module POST /Bulk (RFC 7644 §3.7): reads the body within the §3.7.4 limits, runs each operation through the ResourceService the /Users and /Groups routes use. */
import { Elysia } from 'elysia'
import type { Logger } from '../../../log'
import { checkBulkPayloadSize, parseBulkRequest, processBulkRequest, type ExecuteOperation, type OperationResult, type ResolvedOperation } from '../../../scim/bulk'
import { ScimError } from '../../../scim/errors'
import { entityTag } from '../../../scim/etag'
import type { StoredResource } from '../../../store/types'
import { authenticateCaller, type Caller } from '../../authenticate'
import type { HttpDeps } from '../../deps'
import { scimJson } from '../../scim-response'
import { ResourceService, type Target } from '../resources/service'

export function bulkModule(deps: HttpDeps) {
  const service = new ResourceService(deps.store)
  return new Elysia({ prefix: '/scim/v2/:instance' })
    .resolve(({ request, params }) => authenticateCaller(deps, request, params.instance))
    .post(
      '/Bulk',
      async ({ request, caller }) => {
        // Refuse an announced oversized body before reading it; the text is checked again.
        const declaredSize = Number(request.headers.get('content-length'))
        if (Number.isFinite(declaredSize)) checkBulkPayloadSize(declaredSize)
        const bulkRequest = parseBulkRequest(await request.text())
        return scimJson(await processBulkRequest(bulkRequest, caller.baseUrl, executor(service, caller, deps.logger)))
      },
      { parse: 'none' },
    )
}

/** Runs one operation as its own request would; an unexpected error is logged and fails only that operation. */
function executor(service: ResourceService, caller: Caller, logger: Logger): ExecuteOperation {
  return (operation) => {
    try {
      return perform(service, caller, operation)
    } catch (error) {
      if (error instanceof ScimError) throw error
      logger.error('bulk operation failed', {
        instance: caller.instance,
        method: operation.method,
        path: 'id' in operation ? `/${operation.endpoint}/${operation.id}` : `/${operation.endpoint}`,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      })
      throw new ScimError(500, undefined, 'Internal server error')
    }
  }
}

function perform(service: ResourceService, caller: Caller, operation: ResolvedOperation): OperationResult {
  const target: Target = { instance: caller.instance, resourceType: caller.schemas[operation.endpoint === 'Users' ? 'User' : 'Group'] }
  switch (operation.method) {
    case 'POST':
      return resultOf(service.create(target, operation.data))
    case 'PUT':
      return resultOf(service.replace(target, operation.id, operation.data, operation.version))
    case 'PATCH':
      return resultOf(service.patch(target, operation.id, operation.data, operation.version))
    case 'DELETE':
      service.delete(target, operation.id, operation.version)
      return { id: operation.id }
  }
}

function resultOf(resource: StoredResource): OperationResult {
  return { id: resource.id, version: entityTag(resource.version) }
}
