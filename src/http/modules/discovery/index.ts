/**
 * @module Discovery endpoints (RFC 7644 §4): /ServiceProviderConfig,
 * /ResourceTypes and /Schemas. A single ResourceType or Schema is the object
 * itself, not a ListResponse.
 */
import { Elysia } from 'elysia'
import { resourceTypeDocument, schemaDocument, serviceProviderConfig } from '../../../scim/discovery'
import { ScimError } from '../../../scim/errors'
import { listResponse } from '../../../scim/list'
import type { HttpDeps } from '../../deps'
import { authenticateCaller } from '../../authenticate'
import { DEFAULT_LIMITS } from '../../request-limits'
import { scimJson } from '../../scim-response'

export function discoveryModule(deps: HttpDeps) {
  return new Elysia({ prefix: '/scim/v2/:instance' })
    .resolve(({ request, params }) => authenticateCaller(deps, request, params.instance))
    // A bulk request over the server's body limit is refused before it is read: the smaller limit is the one to state.
    .get('/ServiceProviderConfig', ({ caller }) => scimJson(serviceProviderConfig(caller.baseUrl, (deps.limits?.() ?? DEFAULT_LIMITS).maxBodyBytes)))
    .get('/ResourceTypes', ({ caller }) => {
      const documents = caller.schemas.resourceTypes.map((type) => resourceTypeDocument(type, caller.baseUrl))
      return scimJson(listResponse(documents.length, documents, { startIndex: 1 }))
    })
    .get('/ResourceTypes/:id', ({ params, caller }) => {
      const type = caller.schemas.resourceTypes.find((t) => t.id === params.id)
      if (!type) throw ScimError.notFound(`ResourceType '${params.id}' not found`)
      return scimJson(resourceTypeDocument(type, caller.baseUrl))
    })
    .get('/Schemas', ({ caller }) => {
      const documents = caller.schemas.schemas.map((schema) => schemaDocument(schema, caller.baseUrl))
      return scimJson(listResponse(documents.length, documents, { startIndex: 1 }))
    })
    .get('/Schemas/:id', ({ params, caller }) => {
      const schema = caller.schemas.schemas.find((s) => s.id === params.id)
      if (!schema) throw ScimError.notFound(`Schema '${params.id}' not found`)
      return scimJson(schemaDocument(schema, caller.baseUrl))
    })
}
