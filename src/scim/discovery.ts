/**
 * @module The discovery documents (RFC 7644 §4, RFC 7643 §5–§7): what this
 * server supports, stated exactly.
 */
import { MAX_PAGE_SIZE } from './list'
import { builtInSchemas } from './schemas/instance'
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './schemas/types'
import { RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA } from './schemas/urns'

const DOCUMENTATION = 'https://github.com/scimify/scimify#readme'

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: DOCUMENTATION,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'An API key of this instance, created with `scimify keys create`, sent as "Authorization: Bearer <key>".',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        documentationUri: DOCUMENTATION,
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  }
}

export function resourceTypeDocument(resourceType: ResourceTypeDefinition, baseUrl: string) {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: resourceType.id,
    name: resourceType.name,
    endpoint: resourceType.endpoint,
    description: resourceType.description,
    schema: resourceType.schema.id,
    schemaExtensions: resourceType.extensions.map((e) => ({ schema: e.schema.id, required: e.required })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${resourceType.id}` },
  }
}

export function schemaDocument(schema: SchemaDefinition, baseUrl: string) {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeDocument),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  }
}

function attributeDocument(attribute: AttributeDefinition): Record<string, unknown> {
  const { subAttributes, ...rest } = attribute
  return subAttributes ? { ...rest, subAttributes: subAttributes.map(attributeDocument) } : rest
}

/** The schemas every instance has (core User and Group, Enterprise User). */
export function allSchemas(): SchemaDefinition[] {
  return builtInSchemas.schemas
}
