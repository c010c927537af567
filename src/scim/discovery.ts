/**
 * @module The discovery documents (RFC 7644 §4, RFC 7643 §5–§7): what this
 * server supports, stated exactly.
 */
import { BULK_MAX_OPERATIONS, BULK_MAX_PAYLOAD_SIZE } from './bulk'
import { MAX_PAGE_SIZE } from './list'
import { DEFAULT_PAGE_SIZE } from './list-request'
import { builtInSchemas } from './schemas/instance'
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './schemas/types'
import { RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA } from './schemas/urns'

/**
 * `maxPayloadSize`: the largest bulk request this server takes, BULK_MAX_PAYLOAD_SIZE unless the server's own body
 * limit (`server.limits.max_body_bytes`) is lower.
 */
export function serviceProviderConfig(baseUrl: string, maxPayloadSize = BULK_MAX_PAYLOAD_SIZE) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: true, maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: Math.min(maxPayloadSize, BULK_MAX_PAYLOAD_SIZE) },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    // RFC 9865 §4: index paging by default, cursors on request; cursors never expire.
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: DEFAULT_PAGE_SIZE,
      maxPageSize: MAX_PAGE_SIZE,
    },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'An API key of this instance, created with `scimify keys create`, sent as "Authorization: Bearer <key>".',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
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
