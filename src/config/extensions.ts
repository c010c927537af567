/** @module Turns the `extensions:` of an instance's config into SCIM schema definitions. */
import type { ConnectorRegistry } from '../connector/registry'
import { instanceSchemas, type InstanceSchemas, type SchemaExtension } from '../scim/schemas/instance'
import type { AttributeDefinition } from '../scim/schemas/types'
import type { CustomAttributeConfig, CustomExtensionConfig, InstanceConfig } from './schema'

export function toSchemaExtension(extension: CustomExtensionConfig): SchemaExtension {
  const name = extension.name ?? extension.schema.split(':').at(-2) ?? extension.schema
  return {
    resource: extension.resource,
    required: extension.required,
    schema: {
      id: extension.schema,
      name,
      description: extension.description ?? `${name}: attributes of this instance`,
      attributes: extension.attributes.map(toAttribute),
    },
  }
}

function toAttribute(attribute: Omit<CustomAttributeConfig, 'sub_attributes'> & { sub_attributes?: CustomAttributeConfig['sub_attributes'] }): AttributeDefinition {
  const definition: AttributeDefinition = {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multi_valued,
    description: attribute.description ?? '',
    required: attribute.required,
    caseExact: attribute.case_exact,
    mutability: attribute.mutability,
    returned: attribute.returned,
    uniqueness: 'none',
  }
  if (attribute.canonical_values) definition.canonicalValues = attribute.canonical_values
  if (attribute.type === 'reference') definition.referenceTypes = ['external']
  if (attribute.sub_attributes) definition.subAttributes = attribute.sub_attributes.map(toAttribute)
  return definition
}

/** The schemas an instance serves: built-ins, its connector's extensions, then its own. */
export function schemasOfInstance(instance: InstanceConfig, registry: ConnectorRegistry): InstanceSchemas {
  const fromConnector = registry.get(instance.connector.type)?.schemaExtensions ?? []
  return instanceSchemas([...fromConnector, ...(instance.extensions ?? []).map(toSchemaExtension)])
}
