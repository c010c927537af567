/**
 * @module Resolving an attribute path against a resource type's schemas
 * (RFC 7644 §3.10, RFC 7643 §3.1 common attributes). Shared by the in-memory
 * evaluator, PATCH and the store's SQL translator.
 */
import { ScimError, type ScimType } from '../errors'
import { attribute, findAttribute, LEGACY_SCHEMA_ALIASES } from '../schemas'
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from '../schemas'
import type { AttributePath } from './ast'
import { formatAttributePath } from './attribute-path'

/** The SCIM 1.1-era core URN some clients still send; an alias of the resource type's core schema. */
export const LEGACY_CORE_SCHEMA = 'urn:scim:schemas:core:2.0'

/** Attributes every resource has outside any schema (RFC 7643 §3.1). */
export type CommonAttribute =
  | 'id'
  | 'externalId'
  | 'schemas'
  | 'meta'
  | 'meta.created'
  | 'meta.lastModified'
  | 'meta.resourceType'
  | 'meta.location'
  | 'meta.version'

/**
 * Where a path points. A schema attribute of the core schema lives at
 * `resource[attribute.name]`, of an extension at `resource[schema.id][attribute.name]`.
 * A common attribute carries its RFC 7643 §3.1 definition (for `meta.x`, that of `x`).
 */
export type ResolvedAttributePath =
  | { schema: SchemaDefinition; attribute: AttributeDefinition; subAttribute?: AttributeDefinition }
  | { common: CommonAttribute; attribute: AttributeDefinition }

const metaAttribute = attribute('meta', 'complex', 'Resource metadata.', {
  mutability: 'readOnly',
  subAttributes: [
    attribute('resourceType', 'string', 'The name of the resource type of the resource.', { mutability: 'readOnly', caseExact: true }),
    attribute('created', 'dateTime', 'The date and time the resource was added.', { mutability: 'readOnly' }),
    attribute('lastModified', 'dateTime', 'The most recent date and time the resource was modified.', { mutability: 'readOnly' }),
    attribute('location', 'reference', 'The URI of the resource being returned.', { mutability: 'readOnly', caseExact: true }),
    attribute('version', 'string', 'The version (ETag) of the resource.', { mutability: 'readOnly', caseExact: true }),
  ],
})

/** Definitions of the common attributes, RFC 7643 §3.1. */
export const commonAttributes: readonly AttributeDefinition[] = [
  attribute('id', 'string', 'Unique identifier of the resource, assigned by the service provider.', {
    mutability: 'readOnly', caseExact: true, returned: 'always', uniqueness: 'server',
  }),
  attribute('externalId', 'string', 'Identifier of the resource as defined by the provisioning client.', { caseExact: true }),
  attribute('schemas', 'reference', 'The schema URIs the resource conforms to.', { multiValued: true, mutability: 'readOnly' }),
  metaAttribute,
]

/**
 * Resolves `path` for `resourceType`, ignoring case in names and schema URNs.
 * Unqualified names are looked up among the common attributes, then the core
 * schema, then (leniently) the extensions. Unknown schemas or attributes, and
 * sub-attributes of non-complex attributes, throw `scimType` (invalidFilter by
 * default; PATCH passes invalidPath).
 */
export function resolveAttributePath(
  path: AttributePath,
  resourceType: ResourceTypeDefinition,
  scimType: ScimType = 'invalidFilter',
): ResolvedAttributePath {
  const fail = (reason: string) =>
    ScimError.of(scimType, `${reason} in "${formatAttributePath(path)}" for resource type ${resourceType.name}`)

  const schema = path.schema === undefined ? undefined : findSchema(path.schema, resourceType)
  if (path.schema !== undefined && !schema) throw fail(`Unknown schema "${path.schema}"`)

  const common = schema === undefined || schema === resourceType.schema ? findAttribute(commonAttributes, path.attribute) : undefined
  if (common) return resolveCommon(common, path.subAttribute, fail)

  const schemas = schema ? [schema] : [resourceType.schema, ...resourceType.extensions.map((e) => e.schema)]
  for (const candidate of schemas) {
    const definition = findAttribute(candidate, path.attribute)
    if (!definition) continue
    if (path.subAttribute === undefined) return { schema: candidate, attribute: definition }
    const subAttribute = findSubAttribute(definition, path.subAttribute)
    if (!subAttribute) throw fail(`"${definition.name}" has no sub-attribute "${path.subAttribute}"`)
    return { schema: candidate, attribute: definition, subAttribute }
  }
  throw fail(`Unknown attribute "${path.attribute}"`)
}

/** The core schema or an extension of `resourceType` whose URN is `urn` (ignoring case; legacy URNs too). */
export function findSchema(urn: string, resourceType: ResourceTypeDefinition): SchemaDefinition | undefined {
  const lower = urn.toLowerCase()
  if (lower === resourceType.schema.id.toLowerCase() || lower === LEGACY_CORE_SCHEMA) return resourceType.schema
  const current = (LEGACY_SCHEMA_ALIASES[lower] ?? lower).toLowerCase()
  return resourceType.extensions.find((e) => e.schema.id.toLowerCase() === current)?.schema
}

/** A sub-attribute of a complex attribute by case-insensitive name. */
export function findSubAttribute(parent: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return parent.subAttributes ? findAttribute(parent.subAttributes, name) : undefined
}

function resolveCommon(
  definition: AttributeDefinition,
  subAttributeName: string | undefined,
  fail: (reason: string) => ScimError,
): ResolvedAttributePath {
  if (subAttributeName === undefined) return { common: definition.name as CommonAttribute, attribute: definition }
  const subAttribute = findSubAttribute(definition, subAttributeName)
  if (!subAttribute) throw fail(`"${definition.name}" has no sub-attribute "${subAttributeName}"`)
  return { common: `${definition.name}.${subAttribute.name}` as CommonAttribute, attribute: subAttribute }
}
