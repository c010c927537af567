/**
 * @module The HTTP routes of one resource type (RFC 7644 §3.3–§3.6, §3.14),
 * shared by /Users and /Groups: parse, call the service, respond.
 */
import { Elysia } from 'elysia'
import { entityTag, tagListMatches } from '../../../scim/etag'
import { listResponseJson } from '../../../scim/list'
import { listRequestFromQuery, listRequestFromSearch, type ListRequest } from '../../../scim/list-request'
import { isProjectionEmpty, parseProjection, type Projection } from '../../../scim/projection'
import type { StoredResource } from '../../../store/types'
import { authenticateCaller, type Caller } from '../../authenticate'
import type { HttpDeps } from '../../deps'
import { readJsonBody } from '../../read-body'
import { scimJsonText } from '../../scim-response'
import { resourceJson } from './render'
import { ResourceService, type Target } from './service'

type Query = Record<string, string | undefined>

export function resourceRoutes(kind: 'User' | 'Group', deps: HttpDeps) {
  const service = new ResourceService(deps.store)
  const endpoint = kind === 'User' ? '/Users' : '/Groups'
  const target = (caller: Caller): Target => ({ instance: caller.instance, resourceType: caller.schemas[kind] })

  return new Elysia({ prefix: '/scim/v2/:instance' })
    .resolve(({ request, params }) => authenticateCaller(deps, request, params.instance))
    .post(
      endpoint,
      async ({ request, query, caller }) => {
        const created = service.create(target(caller), await readJsonBody(request))
        return respond(created, caller, projectionOf(query), 201)
      },
      { parse: 'none' },
    )
    .get(endpoint, ({ query, caller }) => listPage(service, caller, kind, listRequestFromQuery(query)))
    .post(
      `${endpoint}/.search`,
      async ({ request, caller }) => listPage(service, caller, kind, listRequestFromSearch(await readJsonBody(request))),
      { parse: 'none' },
    )
    .get(`${endpoint}/:id`, ({ params, query, caller, request }) => {
      const resource = service.get(target(caller), params.id)
      const ifNoneMatch = request.headers.get('if-none-match')
      if (ifNoneMatch && tagListMatches(ifNoneMatch, resource.version)) {
        return new Response(null, { status: 304, headers: { etag: entityTag(resource.version) } })
      }
      return respond(resource, caller, projectionOf(query))
    })
    .put(
      `${endpoint}/:id`,
      async ({ request, params, query, caller }) => {
        const body = await readJsonBody(request)
        const replaced = service.replace(target(caller), params.id, body, request.headers.get('if-match'))
        return respond(replaced, caller, projectionOf(query))
      },
      { parse: 'none' },
    )
    .patch(
      `${endpoint}/:id`,
      async ({ request, params, query, caller }) => {
        const body = await readJsonBody(request)
        // RFC 7644 §3.5.2: 204 without a body, or 200 with the resource when
        // the client asked for attributes.
        const projection = projectionOf(query)
        const patched = service.patch(target(caller), params.id, body, request.headers.get('if-match'), !isProjectionEmpty(projection))
        if (isProjectionEmpty(projection)) return new Response(null, { status: 204, headers: { etag: entityTag(patched.version) } })
        return respond(patched, caller, projection)
      },
      { parse: 'none' },
    )
    .delete(`${endpoint}/:id`, ({ params, caller, request }) => {
      service.delete(target(caller), params.id, request.headers.get('if-match'))
      return new Response(null, { status: 204 })
    })
}

/** One page of a list or search, as a ListResponse (RFC 7644 §3.4.2). */
function listPage(service: ResourceService, caller: Caller, kind: 'User' | 'Group', request: ListRequest): Response {
  const result = service.list({ instance: caller.instance, resourceType: caller.schemas[kind] }, request)
  const resources = result.resources.map((resource) => resourceJson(resource, caller, request.projection))
  const position = request.paging.kind === 'index' ? { startIndex: request.paging.startIndex } : { nextCursor: result.nextCursor }
  return scimJsonText(listResponseJson(result.totalResults, resources, position))
}

function projectionOf(query: Query): Projection {
  return parseProjection(query.attributes, query.excludedAttributes)
}

function respond(resource: StoredResource, caller: Caller, projection: Projection, status = 200): Response {
  const headers: Record<string, string> = { etag: entityTag(resource.version) }
  if (status === 201) headers.location = `${caller.baseUrl}/${resource.type === 'User' ? 'Users' : 'Groups'}/${resource.id}`
  return scimJsonText(resourceJson(resource, caller, projection), status, headers)
}
