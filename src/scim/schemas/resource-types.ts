/** @module Resource types (RFC 7643 §6) and attribute lookup by case-insensitive name. */
import { enterpriseUserSchema } from './enterprise-user'
import { groupSchema } from './group'
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './types'
import { userSchema } from './user'

export const userResourceType: ResourceTypeDefinition = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: userSchema,
  extensions: [{ schema: enterpriseUserSchema, required: false }],
}

export const groupResourceType: ResourceTypeDefinition = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: groupSchema,
  extensions: [],
}

export const resourceTypes = [userResourceType, groupResourceType] as const

/**
 * Finds an attribute of a schema by name, ignoring case (RFC 7643 §2.1).
 * Where a list has `display` but no `displayName` (the sub-attributes of a
 * multi-valued attribute), `displayName` means `display`: Entra and the
 * Microsoft reference suite send members that way.
 */
export function findAttribute(
  attributes: readonly AttributeDefinition[] | SchemaDefinition,
  name: string,
): AttributeDefinition | undefined {
  const list = 'attributes' in attributes ? attributes.attributes : attributes
  const lower = name.toLowerCase()
  const byName = indexOf(list)
  return byName.get(lower) ?? (lower === 'displayname' ? byName.get('display') : undefined)
}

/** Lower-cased name → attribute, built once per list: lookups are on every request's hot path. */
const indexes = new WeakMap<readonly AttributeDefinition[], Map<string, AttributeDefinition>>()

function indexOf(list: readonly AttributeDefinition[]): Map<string, AttributeDefinition> {
  let index = indexes.get(list)
  if (!index) {
    index = new Map(list.map((attribute) => [attribute.name.toLowerCase(), attribute]))
    indexes.set(list, index)
  }
  return index
}
