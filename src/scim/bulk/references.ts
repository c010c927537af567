/** @module `bulkId:` references inside operations (RFC 7644 §3.7.2): finding and substituting them. */
import { isObject } from '../values'
import { MAX_DATA_DEPTH, REFERENCE_PREFIX, invalid } from './types'

/** The bulkId a `bulkId:<id>` string refers to (§3.7.2), else undefined. */
export function bulkIdIn(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith(REFERENCE_PREFIX) && value.length > REFERENCE_PREFIX.length
    ? value.slice(REFERENCE_PREFIX.length)
    : undefined
}

/**
 * Every bulkId that string values anywhere in `value` refer to, in document
 * order, each once. Walks without recursion; over MAX_DATA_DEPTH it throws
 * 400, so the recursive substitution below is always safe.
 */
export function referencedBulkIds(value: unknown): string[] {
  const found = new Set<string>()
  const pending: [unknown, number][] = [[value, 0]]
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!
    const bulkId = bulkIdIn(item)
    if (bulkId !== undefined) found.add(bulkId)
    if (typeof item !== 'object' || item === null) continue
    if (depth >= MAX_DATA_DEPTH) throw invalid(`"data" is nested more than ${MAX_DATA_DEPTH} levels deep`)
    const children = Object.values(item)
    for (let i = children.length - 1; i >= 0; i--) pending.push([children[i], depth + 1])
  }
  return [...found]
}

const LEFT_OUT = Symbol('left out')

/**
 * `value` with every `bulkId:<id>` string replaced by `resolve(id)`. Where
 * `resolve` gives undefined, the value holding the reference is left out:
 * the innermost object with the reference as an attribute (a member
 * `{value, type}`, a `manager`), an array element, or, directly in the
 * top-level object, that attribute.
 */
export function substituteBulkIds(value: unknown, resolve: (bulkId: string) => string | undefined): unknown {
  const result = substitute(value, resolve, true)
  return result === LEFT_OUT ? undefined : result
}

function substitute(value: unknown, resolve: (bulkId: string) => string | undefined, topLevel: boolean): unknown {
  const bulkId = bulkIdIn(value)
  if (bulkId !== undefined) return resolve(bulkId) ?? LEFT_OUT
  if (Array.isArray(value)) return value.map((item) => substitute(item, resolve, false)).filter((item) => item !== LEFT_OUT)
  if (!isObject(value)) return value
  const result: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    const substituted = substitute(item, resolve, false)
    if (substituted !== LEFT_OUT) result[key] = substituted
    else if (!topLevel && bulkIdIn(item) !== undefined) return LEFT_OUT
  }
  return result
}
