/**
 * @module Renders a stored resource as the SCIM JSON a client receives
 * (RFC 7643 §3.1: id, externalId, meta; §4.1.2 groups; §4.2 members).
 */
import { entityTag } from './etag'
import type { ScimObject } from './resource'

export interface ResourceLinkData {
  value: string
  type: 'User' | 'Group'
  display?: string
}

/** A resource as the store keeps it; structurally the store's StoredResource. */
export interface ResourceData {
  id: string
  type: 'User' | 'Group'
  data: ScimObject
  /** `data` as the store keeps it, JSON text, when the store read or wrote it. */
  dataJson?: string
  members?: ResourceLinkData[]
  groups?: ResourceLinkData[]
  version: number
  created: string
  lastModified: string
}

const ENDPOINTS = { User: 'Users', Group: 'Groups' } as const

/** `baseUrl` is the instance's SCIM base, e.g. https://scim.example.com/scim/v2/demo */
export function renderResource(resource: ResourceData, baseUrl: string): ScimObject {
  const { schemas, externalId, ...attributes } = resource.data
  const rendered: ScimObject = { schemas, id: resource.id }
  if (externalId !== undefined) rendered.externalId = externalId
  Object.assign(rendered, attributes, renderLinks(resource, baseUrl))
  rendered.meta = renderMeta(resource, baseUrl)
  return rendered
}

/** A group's `members` (always, perhaps empty), or a user's `groups` (only when it has some). */
export function renderLinks(resource: ResourceData, baseUrl: string): { members?: ScimObject[]; groups?: ScimObject[] } {
  const link = (item: ResourceLinkData) => ({ ...item, $ref: `${baseUrl}/${ENDPOINTS[item.type]}/${item.value}` })
  if (resource.type === 'Group') return { members: (resource.members ?? []).map(link) }
  if (resource.groups && resource.groups.length > 0) return { groups: resource.groups.map((group) => ({ ...link(group), type: 'direct' })) }
  return {}
}

export function renderMeta(resource: ResourceData, baseUrl: string): ScimObject {
  return {
    resourceType: resource.type,
    created: resource.created,
    lastModified: resource.lastModified,
    location: `${baseUrl}/${ENDPOINTS[resource.type]}/${resource.id}`,
    version: entityTag(resource.version),
  }
}
