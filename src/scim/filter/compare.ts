/**
 * @module The comparison operators of RFC 7644 §3.4.2.2 (Table 3), typed by
 * the attribute's definition: strings (caseExact or not), dateTimes as
 * instants, numbers numerically. co/sw/ew apply to strings only, gt/ge/lt/le
 * not to booleans or binary; other combinations are an invalidFilter.
 */
import { ScimError } from '../errors'
import type { AttributeDefinition } from '../schemas'
import type { CompareOperator, FilterValue } from './ast'

/** Tests the values of one attribute (a multi-valued attribute matches if any value does). */
export type ValuesTest = (values: unknown[]) => boolean

type ValueTest = (value: unknown) => boolean

/**
 * Compiles `<attribute> <op> <value>`; `values` are all the attribute's values
 * (for `emails.type`, the type of every email). Any matching value is a match.
 * `ne` on a single-valued attribute also matches when it is unassigned (as in
 * SQL `x IS NULL OR x <> ?`). `eq null` matches an unassigned attribute,
 * `ne null` an assigned one.
 */
export function compileComparison(
  op: CompareOperator,
  definition: AttributeDefinition,
  value: FilterValue,
  pathText: string,
  multiValued: boolean,
): ValuesTest {
  if (value === null) {
    if (op === 'eq') return (values) => !values.some(isPresent)
    if (op === 'ne') return (values) => values.some(isPresent)
    throw unsupported(op, definition, pathText, null)
  }
  if (op === 'ne') {
    const equals = compileValueTest('eq', definition, value, pathText)
    if (multiValued) return (values) => values.some((v) => !equals(v))
    return (values) => values.length === 0 || !equals(values[0])
  }
  const test = compileValueTest(op, definition, value, pathText)
  return (values) => values.some(test)
}

/** RFC 7644 §3.4.2.2 "pr": a non-empty value, or a complex value with a non-empty sub-attribute. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false
  if (Array.isArray(value)) return value.some(isPresent)
  if (typeof value === 'object') return Object.values(value).some(isPresent)
  return true
}

function compileValueTest(op: CompareOperator, definition: AttributeDefinition, value: string | number | boolean, pathText: string): ValueTest {
  switch (definition.type) {
    case 'boolean': {
      const expected = toBoolean(value)
      if (op !== 'eq' || expected === undefined) throw unsupported(op, definition, pathText, value)
      return (actual) => toBoolean(actual) === expected
    }
    case 'integer':
    case 'decimal': {
      if (typeof value !== 'number' || (!ORDERED[op] && op !== 'eq')) throw unsupported(op, definition, pathText, value)
      return (actual) => typeof actual === 'number' && order(op, actual, value)
    }
    case 'dateTime': {
      if (typeof value !== 'string' || (!ORDERED[op] && op !== 'eq')) throw unsupported(op, definition, pathText, value)
      const expected = Date.parse(value)
      if (Number.isNaN(expected)) throw ScimError.of('invalidFilter', `"${value}" is not a dateTime, as "${pathText}" requires`)
      return (actual) => {
        const instant = typeof actual === 'string' ? Date.parse(actual) : Number.NaN
        return !Number.isNaN(instant) && order(op, instant, expected)
      }
    }
    case 'binary':
      if (ORDERED[op]) throw unsupported(op, definition, pathText, value)
      return stringTest(op, String(value), true)
    case 'complex':
      throw unsupported(op, definition, pathText, value)
    default:
      return stringTest(op, String(value), definition.caseExact)
  }
}

const ORDERED: Partial<Record<CompareOperator, true>> = { gt: true, ge: true, lt: true, le: true }

function order(op: CompareOperator, actual: number | string, expected: number | string): boolean {
  switch (op) {
    case 'eq': return actual === expected
    case 'gt': return actual > expected
    case 'ge': return actual >= expected
    case 'lt': return actual < expected
    case 'le': return actual <= expected
    default: return false
  }
}

function stringTest(op: CompareOperator, value: string, caseExact: boolean): ValueTest {
  const normalise = caseExact ? (s: string) => s : (s: string) => s.toLowerCase()
  const expected = normalise(value)
  const test = (actual: string): boolean => {
    switch (op) {
      case 'co': return actual.includes(expected)
      case 'sw': return actual.startsWith(expected)
      case 'ew': return actual.endsWith(expected)
      default: return order(op, actual, expected)
    }
  }
  return (actual) => typeof actual === 'string' && test(normalise(actual))
}

/** Booleans, and the strings "true"/"false" in any case (sent by some clients). */
function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return undefined
  const lower = value.toLowerCase()
  return lower === 'true' ? true : lower === 'false' ? false : undefined
}

function unsupported(op: CompareOperator, definition: AttributeDefinition, pathText: string, value: unknown): ScimError {
  return ScimError.of(
    'invalidFilter',
    `"${pathText} ${op} ${JSON.stringify(value)}" is not supported: "${pathText}" is of type ${definition.type}`,
  )
}
