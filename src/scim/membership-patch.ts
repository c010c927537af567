/**
 * @module Group push as identity providers send it: a PATCH of a group that
 * only adds members or removes them, one or a few at a time
 * (`{"op":"Add","path":"members","value":[{"value":"<id>"}]}`, removal by
 * `members[value eq "<id>"]` or by value; reference/idp-quirks.md 4 and 34).
 * Recognised here so the store can apply it to those memberships alone,
 * instead of reading, patching and comparing all of the group's members.
 *
 * Only the plain forms are recognised: members given as `{"value"}` or
 * `{"value","display"}` with exactly those keys, no id twice. Anything else
 * (a replace, `type` or `$ref` in a member, a remove of all members) is left
 * to the PATCH engine, which stays the definition of what a PATCH does.
 */
import { readOperations, type Operation } from './patch'
import { isObject } from './resource'

export interface MembershipChange {
  /** Members to add, each with the display text the client gave, if any. */
  add: { id: string; display?: string }[]
  /** Ids of members to remove. */
  remove: string[]
}

/** `members[value eq "<id>"]`, also without the space before the quote (Saviynt). */
const REMOVE_BY_FILTER = /^members\[value eq ?"([^"\\]+)"\]$/i

/** The members a PATCH body adds and removes, or undefined when it is not plainly that. */
export function membershipChange(body: unknown): MembershipChange | undefined {
  let operations: Operation[]
  try {
    operations = readOperations(body)
  } catch {
    // A malformed body: the PATCH engine answers it with its error.
    return undefined
  }
  if (operations.length === 0) return undefined
  const change: MembershipChange = { add: [], remove: [] }
  const seen = new Set<string>()
  const once = (id: string) => {
    // Member values may match regardless of case: ids that differ only in case are left to the engine too.
    const key = id.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  }
  for (const { op, path, value } of operations) {
    const byFilter = op === 'remove' && value === undefined && path !== undefined ? REMOVE_BY_FILTER.exec(path) : null
    if (byFilter) {
      if (!once(byFilter[1]!)) return undefined
      change.remove.push(byFilter[1]!)
      continue
    }
    if (path?.toLowerCase() !== 'members' || value === undefined || op === 'replace') return undefined
    const items = Array.isArray(value) ? value : [value]
    if (items.length === 0) return undefined
    for (const item of items) {
      const member = plainMember(item, op === 'add')
      if (!member || !once(member.id)) return undefined
      if (op === 'add') change.add.push(member)
      else change.remove.push(member.id)
    }
  }
  return change
}

/** `{"value": "<id>"}`, or with a non-empty `display` where one may be given; else undefined. */
function plainMember(item: unknown, displayAllowed: boolean): { id: string; display?: string } | undefined {
  if (!isObject(item) || typeof item.value !== 'string' || item.value === '') return undefined
  const keys = Object.keys(item)
  if (keys.length === 1) return { id: item.value }
  if (keys.length === 2 && displayAllowed && typeof item.display === 'string' && item.display !== '') return { id: item.value, display: item.display }
  return undefined
}
