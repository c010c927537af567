/**
 * @module Types of SCIM schema definitions (RFC 7643 §2.2, §7).
 * Schemas are plain data: the same objects drive validation, PATCH,
 * filtering and the /Schemas discovery endpoint.
 */

export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'reference'
  | 'complex'
  | 'binary'

export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly'
export type Returned = 'always' | 'never' | 'default' | 'request'
export type Uniqueness = 'none' | 'server' | 'global'

export interface AttributeDefinition {
  name: string
  type: AttributeType
  multiValued: boolean
  description: string
  required: boolean
  caseExact: boolean
  mutability: Mutability
  returned: Returned
  uniqueness: Uniqueness
  canonicalValues?: string[]
  referenceTypes?: string[]
  subAttributes?: AttributeDefinition[]
}

export interface SchemaDefinition {
  id: string
  name: string
  description: string
  attributes: AttributeDefinition[]
}

export interface ResourceTypeDefinition {
  /** "User" or "Group": also the value of meta.resourceType. */
  id: string
  name: string
  /** Path below the instance base URL, e.g. "/Users". */
  endpoint: string
  description: string
  /** The core schema URN. */
  schema: SchemaDefinition
  extensions: { schema: SchemaDefinition; required: boolean }[]
}
