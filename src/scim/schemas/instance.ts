/**
 * @module The resource types and schemas one instance serves: the core User
 * and Group, the Enterprise User extension, and the instance's own schema
 * extensions (from its config or its connector), RFC 7643 §3.3 and §6.
 */
import { enterpriseUserSchema } from './enterprise-user'
import { groupResourceType, userResourceType } from './resource-types'
import type { ResourceTypeDefinition, SchemaDefinition } from './types'

export interface SchemaExtension {
  resource: 'User' | 'Group'
  schema: SchemaDefinition
  required: boolean
}

export interface InstanceSchemas {
  User: ResourceTypeDefinition
  Group: ResourceTypeDefinition
  resourceTypes: ResourceTypeDefinition[]
  /** Every schema the instance uses, core schemas first. */
  schemas: SchemaDefinition[]
}

export function instanceSchemas(extensions: readonly SchemaExtension[] = []): InstanceSchemas {
  const extend = (base: ResourceTypeDefinition): ResourceTypeDefinition => ({
    ...base,
    extensions: [
      ...base.extensions,
      ...extensions.filter((e) => e.resource === base.id).map(({ schema, required }) => ({ schema, required })),
    ],
  })
  const User = extend(userResourceType)
  const Group = extend(groupResourceType)
  const schemas = [User.schema, enterpriseUserSchema, Group.schema, ...extensions.map((e) => e.schema)]
  return { User, Group, resourceTypes: [User, Group], schemas: [...new Map(schemas.map((s) => [s.id, s])).values()] }
}

/** What an instance without extensions of its own serves. */
export const builtInSchemas = instanceSchemas()
