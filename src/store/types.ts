/** @module What the store hands back: resources as stored, before they become SCIM JSON. */
import type { Filter } from '../scim/filter/ast'
import type { ScimObject } from '../scim/resource'
import type { ResourceTypeDefinition } from '../scim/schemas/types'
import type { SortOrder } from './sort-sql'

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
  /** `data` as stored, JSON text (responses are written around it). */
  dataJson?: string
  /** Groups only: the group's direct members. */
  members?: ResourceLink[]
  /** Users only: the groups the user is a direct member of. */
  groups?: ResourceLink[]
  version: number
  created: string
  lastModified: string
  /** The schema `data` was last normalised under (`normalFormOf`); null when unknown (written before it was kept). */
  normalForm?: string | null
}

/** A member as a write names it: its id, and the display text the client gave, if any. */
export interface MemberRef {
  id: string
  display?: string
}

/** What a write stores: attributes, and for groups the members. */
export interface ResourceWrite {
  data: ScimObject
  members?: MemberRef[]
  /** The schema `data` is in the normal form of (`normalFormOf`), when it is. */
  normalForm?: string
}

export interface ListQuery {
  filter?: Filter
  /** The instance's definition of the resource type, for the filter's and sort's attributes. */
  resourceType: ResourceTypeDefinition
  sort?: SortOrder
  /** Searching across resource types: a filter attribute this type lacks matches nothing instead of failing. */
  unknownAttributesMatchNothing?: boolean
  /** By 1-based index (RFC 7644), or by an opaque cursor from a previous page (RFC 9865; "" for the first). */
  paging: { kind: 'index'; startIndex: number; count: number } | { kind: 'cursor'; cursor: string; count: number }
}

export interface ListResult {
  totalResults: number
  resources: StoredResource[]
  /** Cursor paging only: where the next page starts; absent on the last page. */
  nextCursor?: string
}
