/**
 * @module Checking a single attribute value against its declared type
 * (RFC 7643 §2.3), shared by resource bodies (POST/PUT) and PATCH values.
 */
import { ScimError } from './errors'
import type { AttributeDefinition } from './schemas/types'

export type ScimObject = Record<string, unknown>

export function isObject(value: unknown): value is ScimObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// xsd:dateTime (RFC 7643 §2.3.5); the offset is optional as many clients omit it.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/i

/** Where a value sits, for an error's message: the path, or a function that builds it only for an error. */
export type Where = string | (() => string)

export function pathOf(where: Where): string {
  return typeof where === 'string' ? where : where()
}

/**
 * A non-complex value checked against its type: "True"/"False" strings become
 * booleans (Entra, Saviynt); anything else of the wrong type is invalidValue.
 */
export function canonicalScalar(definition: AttributeDefinition, value: unknown, where: Where): unknown {
  switch (definition.type) {
    case 'boolean': {
      if (typeof value === 'boolean') return value
      const lower = typeof value === 'string' ? value.toLowerCase() : undefined
      if (lower === 'true' || lower === 'false') return lower === 'true'
      throw invalidValue(where, 'a boolean')
    }
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value
      throw invalidValue(where, 'an integer')
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value
      throw invalidValue(where, 'a number')
    case 'dateTime':
      if (typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return value
      throw invalidValue(where, 'a dateTime such as "2024-05-13T04:42:34Z"')
    case 'complex':
      throw invalidValue(where, 'an object')
    default:
      if (typeof value === 'string') return value
      throw invalidValue(where, 'a string')
  }
}

export function invalidValue(where: Where, expected: string): ScimError {
  return ScimError.of('invalidValue', `"${pathOf(where)}" must be ${expected}`)
}

/**
 * A bare string where a single-valued complex attribute with a `value`
 * sub-attribute is meant becomes `{ value }`: Entra sets `manager` to the
 * manager's id that way. Anything else is returned as it is.
 */
export function wrapBareValue(definition: AttributeDefinition, value: unknown): unknown {
  const hasValue = definition.subAttributes?.some((sub) => sub.name === 'value')
  return definition.type === 'complex' && !definition.multiValued && hasValue && typeof value === 'string' ? { value } : value
}
