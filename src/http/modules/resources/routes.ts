/**
 * @module The HTTP routes of one resource type (RFC 7644 §3.3–§3.6), shared
 * by /Users and /Groups: parse, call the service, respond.
 */
import { Elysia } from 'elysia'
import { listResponse, parsePage } from '../../../scim/list'
import { entityTag, renderResource } from '../../../scim/representation'
import type { ResourceTypeDefinition } from '../../../scim/schemas/types'
import type { StoredResource } from '../../../store/types'
import type { HttpDeps } from '../../deps'
import { authenticateCaller } from '../../authenticate'
import { readJsonBody } from '../../read-body'
import { scimJson } from '../../scim-response'
import { ResourceService } from './service'

export function resourceRoutes(resourceType: ResourceTypeDefinition, deps: HttpDeps) {
  const service = new ResourceService(deps.store, resourceType)
  const endpoint = resourceType.endpoint

  return new Elysia({ prefix: '/scim/v2/:instance' })
    .resolve(({ request, params }) => authenticateCaller(deps, request, params.instance))
    .post(
      endpoint,
      async ({ request, caller }) => {
        const created = service.create(caller.instance, await readJsonBody(request))
        return respond(created, caller.baseUrl, 201)
      },
      { parse: 'none' },
    )
    .get(endpoint, ({ query, caller }) => {
      const page = parsePage(query.startIndex, query.count)
      const result = service.list(caller.instance, query.filter, page)
      return scimJson(listResponse(result.totalResults, page, result.resources.map((r) => renderResource(r, caller.baseUrl))))
    })
    .get(`${endpoint}/:id`, ({ params, caller }) => respond(service.get(caller.instance, params.id), caller.baseUrl))
    .put(
      `${endpoint}/:id`,
      async ({ request, params, caller }) =>
        respond(service.replace(caller.instance, params.id, await readJsonBody(request)), caller.baseUrl),
      { parse: 'none' },
    )
    .patch(
      `${endpoint}/:id`,
      async ({ request, params, caller }) =>
        respond(service.patch(caller.instance, params.id, await readJsonBody(request)), caller.baseUrl),
      { parse: 'none' },
    )
    .delete(`${endpoint}/:id`, ({ params, caller }) => {
      service.delete(caller.instance, params.id)
      return new Response(null, { status: 204 })
    })
}

function respond(resource: StoredResource, baseUrl: string, status = 200): Response {
  const body = renderResource(resource, baseUrl)
  const headers: Record<string, string> = { etag: entityTag(resource.version) }
  if (status === 201) headers.location = (body.meta as { location: string }).location
  return scimJson(body, status, headers)
}
