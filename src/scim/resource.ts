/**
 * @module Turns a client's resource body into the canonical form scimify
 * stores (RFC 7643 §2, §3): attribute names spelled as in the schema, values
 * of the declared types, read-only and write-only attributes dropped.
 *
 * Lenient where real IdPs need it and the meaning is unambiguous: names in
 * any case, "True"/"False" for booleans (Entra), a single object where an
 * array is meant (OneLogin's `emails`), unknown attributes ignored.
 */
import { ScimError } from './errors'
import { findAttribute } from './schemas/resource-types'
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './schemas/types'
import { LEGACY_SCHEMA_ALIASES } from './schemas/urns'
import { canonicalScalar, invalidValue, isObject, wrapBareValue, type ScimObject } from './values'

export { isObject, type ScimObject }

/** Attributes every resource has (RFC 7643 §3.1), set by the server or the client. */
const SERVER_MANAGED = new Set(['id', 'meta', 'schemas'])

/**
 * Validates and canonicalises a resource sent with POST or PUT.
 * The result has `schemas`, `externalId` (if given), the core attributes and
 * one object per extension keyed by its URN. `id`, `meta`, read-only and
 * write-only attributes are not part of it.
 */
export function normalizeResource(input: unknown, resourceType: ResourceTypeDefinition): ScimObject {
  if (!isObject(input)) throw ScimError.of('invalidSyntax', 'The request body must be a JSON object')
  // `schemas` first (set at the end): responses are written around the stored text, and readers expect it there.
  const result: ScimObject = { schemas: undefined }
  const extensions = new Map(resourceType.extensions.map((e) => [e.schema.id.toLowerCase(), e.schema]))
  for (const [legacy, current] of Object.entries(LEGACY_SCHEMA_ALIASES)) {
    const schema = extensions.get(current.toLowerCase())
    if (schema) extensions.set(legacy, schema)
  }

  for (const [key, value] of Object.entries(input)) {
    const lower = key.toLowerCase()
    if (SERVER_MANAGED.has(lower)) continue
    if (lower === 'externalid') {
      if (value !== null) result.externalId = expectString(value, 'externalId')
      continue
    }
    const extension = extensions.get(lower)
    if (extension) {
      if (value === null) continue
      if (!isObject(value)) throw invalidValue(extension.id, 'an object')
      const normalized = normalizeAttributes(value, extension, extension.id + ':')
      if (Object.keys(normalized).length > 0) result[extension.id] = normalized
      continue
    }
    const definition = findAttribute(resourceType.schema, key)
    if (!definition || !isClientWritable(definition)) continue
    const normalized = normalizeValue(definition, value, definition.name)
    if (normalized !== undefined) result[definition.name] = normalized
  }

  for (const attribute of resourceType.schema.attributes) {
    if (attribute.required && isEmpty(result[attribute.name])) {
      throw ScimError.of('invalidValue', `"${attribute.name}" is required`)
    }
  }
  result.schemas = [resourceType.schema.id, ...resourceType.extensions.map((e) => e.schema.id).filter((id) => id in result)]
  return result
}

function normalizeAttributes(input: ScimObject, schema: SchemaDefinition, prefix: string): ScimObject {
  const result: ScimObject = {}
  for (const [key, value] of Object.entries(input)) {
    const definition = findAttribute(schema, key)
    if (!definition || !isClientWritable(definition)) continue
    const normalized = normalizeValue(definition, value, prefix + definition.name)
    if (normalized !== undefined) result[definition.name] = normalized
  }
  return result
}

function isClientWritable(definition: AttributeDefinition): boolean {
  // writeOnly (password) is accepted and dropped: scimify never stores or returns it.
  return definition.mutability !== 'readOnly' && definition.mutability !== 'writeOnly'
}

/**
 * Canonicalises one attribute value; `undefined` means "unassigned" (null,
 * or an empty multi-valued attribute). `path` names the attribute in errors.
 */
export function normalizeValue(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined
  if (definition.multiValued) {
    const items = Array.isArray(value) ? value : [value]
    const normalized = items
      .map((item, index) => normalizeSingle(definition, item, `${path}[${index}]`))
      .filter((item) => item !== undefined)
    if (normalized.length === 0) return undefined
    if (normalized.filter((item) => isObject(item) && item.primary === true).length > 1) {
      throw ScimError.of('invalidValue', `At most one value of "${path}" may be primary`)
    }
    return normalized
  }
  if (Array.isArray(value)) throw invalidValue(path, 'a single value, not an array')
  return normalizeSingle(definition, value, path)
}

function normalizeSingle(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined
  if (definition.type !== 'complex') return canonicalScalar(definition, value, path)
  value = wrapBareValue(definition, value)
  if (!isObject(value)) throw invalidValue(path, 'an object')
  const result: ScimObject = {}
  for (const [key, subValue] of Object.entries(value)) {
    const sub = findAttribute(definition.subAttributes ?? [], key)
    if (!sub || sub.mutability === 'readOnly') continue
    const normalized = normalizeSingle(sub, subValue, `${path}.${sub.name}`)
    if (normalized !== undefined) result[sub.name] = normalized
  }
  return Object.keys(result).length > 0 ? result : undefined
}

function expectString(value: unknown, path: string): string {
  if (typeof value === 'string') return value
  throw invalidValue(path, 'a string')
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
}
