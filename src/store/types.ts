/** @module What the store hands back: resources as stored, before they become SCIM JSON. */
import type { Filter } from '../scim/filter/ast'
import type { ScimObject } from '../scim/resource'
import type { ResourceTypeDefinition } from '../scim/schemas/types'

export type ResourceKind = 'User' | 'Group'

/** A member of a group, or a group of a user, with the other side's display name. */
export interface ResourceLink {
  value: string
  type: ResourceKind
  display?: string
}

export interface StoredResource {
  id: string
  type: ResourceKind
  /** Canonical attributes without id, meta, members and groups. */
  data: ScimObject
  /** Groups only: the group's direct members. */
  members?: ResourceLink[]
  /** Users only: the groups the user is a direct member of. */
  groups?: ResourceLink[]
  version: number
  created: string
  lastModified: string
}

/** What a write stores: attributes, and for groups the member ids. */
export interface ResourceWrite {
  data: ScimObject
  memberIds?: string[]
}

export interface ListQuery {
  filter?: Filter
  /** The instance's definition of the resource type, for the filter's attributes. */
  resourceType: ResourceTypeDefinition
  /** 1-based, as in SCIM. */
  startIndex: number
  count: number
}

export interface ListResult {
  totalResults: number
  resources: StoredResource[]
}
