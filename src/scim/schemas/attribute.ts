/**
 * @module Builders for attribute definitions with the RFC 7643 §2.2 defaults,
 * so schema files list only what differs from the defaults.
 */
import type { AttributeDefinition } from './types'

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type'>>

/** An attribute with RFC 7643 §2.2 defaults (single-valued, optional, readWrite, returned by default). */
export function attribute(
  name: string,
  type: AttributeDefinition['type'],
  description: string,
  options: Options = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  }
}

/** The usual sub-attributes of a multi-valued attribute (RFC 7643 §2.4). */
export function multiValuedComplex(
  name: string,
  description: string,
  valueType: AttributeDefinition['type'],
  canonicalTypes: string[],
  options: Options = {},
): AttributeDefinition {
  return attribute(name, 'complex', description, {
    multiValued: true,
    subAttributes: [
      attribute('value', valueType, `The ${name} value.`),
      attribute('display', 'string', 'A human-readable name, primarily used for display purposes.'),
      attribute('type', 'string', 'A label indicating the attribute\'s function.', {
        canonicalValues: canonicalTypes,
      }),
      attribute('primary', 'boolean', 'Indicates the primary value; at most one value is primary.'),
    ],
    ...options,
  })
}
