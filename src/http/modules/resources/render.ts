/**
 * @module A stored resource as the JSON text a client receives: the default
 * view written around the stored document's text where it can be
 * (`defaultViewJson`), else rendered and projected as an object.
 */
import { defaultViewJson } from '../../../scim/default-view'
import { isProjectionEmpty, project, type Projection } from '../../../scim/projection'
import { renderResource } from '../../../scim/representation'
import type { StoredResource } from '../../../store/types'
import type { Caller } from '../../authenticate'

export function resourceJson(resource: StoredResource, caller: Caller, projection: Projection): string {
  const resourceType = caller.schemas[resource.type]
  if (isProjectionEmpty(projection)) {
    const text = defaultViewJson(resource, caller.baseUrl, resourceType)
    if (text !== undefined) return text
  }
  return JSON.stringify(project(renderResource(resource, caller.baseUrl), resourceType, projection))
}
