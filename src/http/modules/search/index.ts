/**
 * @module POST {base}/.search (RFC 7644 §3.4.3): one query over users and
 * groups. Results list the users, then the groups; sortBy orders within each
 * type. A comparison on an attribute one type lacks is false for that type.
 */
import { Elysia } from 'elysia'
import { ScimError } from '../../../scim/errors'
import { listResponseJson } from '../../../scim/list'
import { listRequestFromSearch } from '../../../scim/list-request'
import type { ResourceTypeDefinition } from '../../../scim/schemas/types'
import { authenticateCaller } from '../../authenticate'
import type { HttpDeps } from '../../deps'
import { readJsonBody } from '../../read-body'
import { scimJsonText } from '../../scim-response'
import { resourceJson } from '../resources/render'
import { ResourceService } from '../resources/service'

export function searchModule(deps: HttpDeps) {
  const service = new ResourceService(deps.store)

  return new Elysia({ prefix: '/scim/v2/:instance' })
    .resolve(({ request, params }) => authenticateCaller(deps, request, params.instance))
    .post(
      '/.search',
      async ({ request, caller }) => {
        const search = listRequestFromSearch(await readJsonBody(request))
        if (search.paging.kind !== 'index') {
          throw ScimError.of('invalidCursor', 'Cursor paging is offered on /Users/.search and /Groups/.search, not across resource types')
        }
        const { startIndex, count } = search.paging
        const types = caller.schemas.resourceTypes
        const listOf = (resourceType: ResourceTypeDefinition, paging: { startIndex: number; count: number }) =>
          service.list({ instance: caller.instance, resourceType }, { ...search, paging: { kind: 'index', ...paging } }, true)

        // Totals first, then the slice [startIndex, startIndex + count) of users-then-groups.
        const totals = types.map((type) => listOf(type, { startIndex: 1, count: 0 }).totalResults)
        const rendered: string[] = []
        let skip = startIndex - 1
        for (const [index, type] of types.entries()) {
          const total = totals[index]!
          const wanted = count - rendered.length
          if (skip >= total || wanted <= 0) {
            skip = Math.max(0, skip - total)
            continue
          }
          const page = listOf(type, { startIndex: skip + 1, count: wanted })
          for (const resource of page.resources) rendered.push(resourceJson(resource, caller, search.projection))
          skip = 0
        }
        const totalResults = totals.reduce((sum, total) => sum + total, 0)
        return scimJsonText(listResponseJson(totalResults, rendered, { startIndex }))
      },
      { parse: 'none' },
    )
}
