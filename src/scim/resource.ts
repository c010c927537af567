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
import { canonicalScalar, invalidValue, isObject, pathOf, wrapBareValue, type ScimObject, type Where } from './values'

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
  const extensions = extensionsByKey(resourceType)

  for (const key in input) {
    const value = input[key]
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
      if (normalized) result[extension.id] = normalized
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
  const schemas = [resourceType.schema.id]
  for (const { schema } of resourceType.extensions) if (schema.id in result) schemas.push(schema.id)
  result.schemas = schemas
  return result
}

/** A resource type's extension schemas by lower-cased URN, legacy aliases included: built once per type. */
const extensionIndexes = new WeakMap<ResourceTypeDefinition, Map<string, SchemaDefinition>>()

function extensionsByKey(resourceType: ResourceTypeDefinition): Map<string, SchemaDefinition> {
  let extensions = extensionIndexes.get(resourceType)
  if (!extensions) {
    extensions = new Map(resourceType.extensions.map((e) => [e.schema.id.toLowerCase(), e.schema]))
    for (const [legacy, current] of Object.entries(LEGACY_SCHEMA_ALIASES)) {
      const schema = extensions.get(current.toLowerCase())
      if (schema) extensions.set(legacy, schema)
    }
    extensionIndexes.set(resourceType, extensions)
  }
  return extensions
}

/** An extension's attributes, canonicalised; undefined when none is assigned. */
function normalizeAttributes(input: ScimObject, schema: SchemaDefinition, prefix: string): ScimObject | undefined {
  let result: ScimObject | undefined
  for (const key in input) {
    const definition = findAttribute(schema, key)
    if (!definition || !isClientWritable(definition)) continue
    const normalized = normalizeValue(definition, input[key], prefix + definition.name)
    if (normalized !== undefined) (result ??= {})[definition.name] = normalized
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
    const normalized: unknown[] = []
    let primaries = 0
    for (let index = 0; index < items.length; index++) {
      // The item's path is built only for an error, not for every item.
      const item = normalizeSingle(definition, items[index], () => `${path}[${index}]`)
      if (item === undefined) continue
      if (isObject(item) && item.primary === true) primaries++
      normalized.push(item)
    }
    if (normalized.length === 0) return undefined
    if (primaries > 1) throw ScimError.of('invalidValue', `At most one value of "${path}" may be primary`)
    return normalized
  }
  if (Array.isArray(value)) throw invalidValue(path, 'a single value, not an array')
  return normalizeSingle(definition, value, path)
}

/** One value, of a single-valued attribute or one item of a multi-valued one. */
function normalizeSingle(definition: AttributeDefinition, value: unknown, where: Where): unknown {
  if (value === null || value === undefined) return undefined
  if (definition.type !== 'complex') return canonicalScalar(definition, value, where)
  value = wrapBareValue(definition, value)
  if (!isObject(value)) throw invalidValue(where, 'an object')
  let result: ScimObject | undefined
  for (const key in value) {
    const sub = findAttribute(definition.subAttributes ?? [], key)
    if (!sub || sub.mutability === 'readOnly') continue
    const normalized = normalizeSingle(sub, value[key], () => `${pathOf(where)}.${sub.name}`)
    if (normalized !== undefined) (result ??= {})[sub.name] = normalized
  }
  return result
}

function expectString(value: unknown, path: string): string {
  if (typeof value === 'string') return value
  throw invalidValue(path, 'a string')
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
}
