/**
 * @module Attribute values in PATCH requests, checked and canonicalised
 * against their definitions (RFC 7643 §2.2–2.5), and compared the way
 * RFC 7643 §2.5 and §2.4 intend: unassigned = null = [], values unordered.
 */
import { ScimError } from './errors'
import { canonicalScalar, invalidValue, isObject, wrapBareValue, type ScimObject } from './values'
import { findSubAttribute } from './filter/resolve'
import type { AttributeDefinition } from './schemas'

export { isObject, type ScimObject } from './values'

/**
 * `value` checked against `definition` and canonicalised: sub-attribute names
 * spelled as in the schema, "True"/"False" strings as booleans, a single value
 * where an array is meant wrapped in one. Null stays null (unassign); nulls
 * inside complex values are kept so merges can unassign those sub-attributes.
 * A value of the wrong type throws invalidValue.
 */
export function canonicalValue(definition: AttributeDefinition, value: unknown, where = definition.name): unknown {
  if (!definition.multiValued) return canonicalItem(definition, value, where)
  if (value === null || value === undefined) return null
  const items = Array.isArray(value) ? value : [value]
  return items.filter((item) => item !== null && item !== undefined).map((item) => canonicalSingleValue(definition, item, where))
}

/** `canonicalValue` for a multi-valued attribute: always an array. */
export function canonicalValues(definition: AttributeDefinition, value: unknown, where = definition.name): unknown[] {
  const canonical = canonicalValue(definition, value, where)
  return Array.isArray(canonical) ? canonical : []
}

/** One value of `definition` (an element, if it is multi-valued), canonicalised as by `canonicalValue`. */
export function canonicalItem(definition: AttributeDefinition, value: unknown, where = definition.name): unknown {
  if (value === null || value === undefined) return null
  if (Array.isArray(value)) throw invalidValue(where, 'a single value, not an array')
  return canonicalSingleValue(definition, value, where)
}

function canonicalSingleValue(definition: AttributeDefinition, value: unknown, where: string): unknown {
  switch (definition.type) {
    case 'complex': {
      value = wrapBareValue(definition, value)
      if (!isObject(value)) throw invalidValue(where, 'an object')
      const result: ScimObject = {}
      for (const [key, item] of Object.entries(value)) {
        const sub = findSubAttribute(definition, key)
        if (!sub) throw ScimError.of('invalidValue', `"${where}" has no sub-attribute "${key}"`)
        result[sub.name] = canonicalValue(sub, item, `${where}.${sub.name}`)
      }
      return result
    }
    default:
      return canonicalScalar(definition, value, where)
  }
}

/** Whether a value is unassigned in the sense of RFC 7643 §2.5: null, empty array, or an object of unassigned values. */
export function isUnassigned(value: unknown): boolean {
  if (value === null || value === undefined) return true
  if (Array.isArray(value)) return value.every(isUnassigned)
  if (isObject(value)) return Object.values(value).every(isUnassigned)
  return false
}

/** Deep equality that ignores key order, the order of array values and unassigned values. */
export function equivalent(a: unknown, b: unknown): boolean {
  if (a === b) return true
  const aUnassigned = isUnassigned(a)
  const bUnassigned = isUnassigned(b)
  if (aUnassigned || bUnassigned) return aUnassigned && bUnassigned
  // Objects key by key, stopping at the first difference (a PATCH that adds a member to a group of 100 need
  // not sort the other 99 twice to see the change).
  if (isObject(a) && isObject(b)) {
    for (const key of Object.keys(a)) if (!equivalent(a[key], b[key])) return false
    for (const key of Object.keys(b)) if (!(key in a) && !isUnassigned(b[key])) return false
    return true
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    // The same values in the same order (a PATCH's copy of an attribute it did not touch): no normal form needed.
    if (Bun.deepEquals(a, b, true)) return true
    const assigned = (items: unknown[]) => items.filter((item) => !isUnassigned(item)).length
    if (assigned(a) !== assigned(b)) return false
  }
  return JSON.stringify(normalForm(a)) === JSON.stringify(normalForm(b))
}

function normalForm(value: unknown): unknown {
  if (isUnassigned(value)) return undefined
  if (Array.isArray(value)) {
    return value
      .map(normalForm)
      .filter((item) => item !== undefined)
      .map((item) => JSON.stringify(item))
      .sort()
  }
  if (isObject(value)) {
    const result: ScimObject = {}
    for (const key of Object.keys(value).sort()) {
      const item = normalForm(value[key])
      if (item !== undefined) result[key] = item
    }
    return result
  }
  return value
}

/**
 * What makes two values of a multi-valued attribute "the same value": for
 * complex values with a `value` sub-attribute (emails, members), that
 * sub-attribute (ignoring case unless caseExact); otherwise the whole value.
 */
export function valueIdentity(definition: AttributeDefinition, item: unknown): string {
  const valueAttribute = findSubAttribute(definition, 'value')
  if (valueAttribute && isObject(item) && !isUnassigned(item.value)) return 'value:' + identityOf(valueAttribute, item.value)
  return identityOf(definition, item)
}

function identityOf(definition: AttributeDefinition, item: unknown): string {
  if (typeof item === 'string' && !definition.caseExact) return JSON.stringify(item.toLowerCase())
  return JSON.stringify(normalForm(item))
}

/**
 * RFC 7643 §2.4 allows one `primary: true` per attribute: when an operation
 * set a primary value, the last one it touched wins and the others become false.
 */
export function keepOnePrimary(definition: AttributeDefinition, values: unknown[], touched: readonly unknown[]): void {
  if (!findSubAttribute(definition, 'primary')) return
  const winner = touched.findLast((item) => isObject(item) && item.primary === true)
  if (!winner) return
  for (const item of values) {
    if (item !== winner && isObject(item) && item.primary === true) item.primary = false
  }
}
