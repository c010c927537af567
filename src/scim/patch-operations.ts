/**
 * @module The add, replace and remove operations of RFC 7644 §3.5.2.1–3,
 * applied in place to one resolved PATCH target of a (cloned) resource.
 */
import { cloneJson } from './clone'
import { ScimError } from './errors'
import type { Filter } from './filter/ast'
import type { PatchTarget } from './patch-path'
import {
  canonicalItem,
  canonicalValue,
  canonicalValues,
  equivalent,
  isObject,
  isUnassigned,
  keepOnePrimary,
  valueIdentity,
  type ScimObject,
} from './patch-values'
import type { AttributeDefinition } from './schemas'

/**
 * add or replace `value` at `target`. They differ only on a multi-valued
 * attribute without a filter (add appends, replace replaces all values), on
 * values matched by a filter (replace replaces them whole, add merges) and
 * on null (replace unassigns, add does nothing).
 */
export function setAt(resource: ScimObject, target: PatchTarget, value: unknown, mode: 'add' | 'replace'): void {
  if (value === null && mode === 'add') return
  onAttribute(resource, target, true, (container) => {
    const { attribute, subAttribute, select } = target
    const name = attribute.name
    if (select) return setSelected(container, target, value, mode)
    if (attribute.multiValued) {
      if (subAttribute) return setOnEveryValue(container, target, value)
      const values = mode === 'add' ? asList(container[name]) : []
      const touched = mergeValues(attribute, values, canonicalValues(attribute, value, target.text))
      keepOnePrimary(attribute, values, touched)
      container[name] = values
    } else if (attribute.type === 'complex' && (subAttribute || value !== null)) {
      const complex = isObject(container[name]) ? container[name] : {}
      if (subAttribute) setSubAttribute(complex, subAttribute, value, target.text)
      else mergeComplex(complex, attribute, canonicalValue(attribute, value, target.text) as ScimObject)
      container[name] = complex
    } else {
      container[name] = canonicalValue(attribute, value, target.text)
    }
  })
}

/** remove at `target`; a `value` on a multi-valued attribute removes just those values (as Entra sends for members). */
export function removeAt(resource: ScimObject, target: PatchTarget, value: unknown): void {
  onAttribute(resource, target, false, (container) => {
    const { attribute, subAttribute, select } = target
    const name = attribute.name
    if (isUnassigned(container[name])) return
    if (select || (attribute.multiValued && subAttribute)) {
      const values = attribute.multiValued ? asList(container[name]) : [container[name]]
      const selected = values.filter((item) => isObject(item) && (!select || select.matches(item))) as ScimObject[]
      if (subAttribute) selected.forEach((item) => removeSubAttribute(item, subAttribute))
      const remaining = subAttribute ? values : values.filter((item) => !selected.includes(item as ScimObject))
      container[name] = attribute.multiValued ? remaining : remaining[0]
    } else if (attribute.multiValued && value !== undefined && value !== null) {
      const removed = new Set(canonicalValues(attribute, value, target.text).map((item) => valueIdentity(attribute, item)))
      container[name] = asList(container[name]).filter((item) => !removed.has(valueIdentity(attribute, item)))
    } else if (subAttribute && isObject(container[name])) {
      removeSubAttribute(container[name], subAttribute)
    } else {
      delete container[name]
    }
  })
}

/**
 * Runs `change` on the object holding the target attribute (the resource, or
 * its extension object), then drops what became unassigned and enforces
 * immutability: an assigned immutable attribute may not change.
 */
function onAttribute(resource: ScimObject, target: PatchTarget, create: boolean, change: (container: ScimObject) => void): void {
  const key = target.extension?.id
  const existing = key === undefined ? resource : resource[key]
  if (!isObject(existing) && !create) return
  const container = isObject(existing) ? existing : {}
  const name = target.attribute.name
  const before = target.attribute.mutability === 'immutable' ? cloneJson(container[name]) : undefined

  change(container)

  if (Array.isArray(container[name])) container[name] = container[name].filter((item) => !isUnassigned(item))
  if (isUnassigned(container[name])) delete container[name]
  if (before !== undefined && !isUnassigned(before) && !equivalent(before, container[name])) {
    throw ScimError.of('mutability', `"${name}" is immutable and already has a value`)
  }
  if (key !== undefined) {
    if (Object.keys(container).length > 0) resource[key] = container
    else delete resource[key]
  }
}

/** `emails[type eq "work"]…`: changes the matching values, or creates one the filter describes when none match. */
function setSelected(container: ScimObject, target: PatchTarget, value: unknown, mode: 'add' | 'replace'): void {
  const { attribute, subAttribute } = target
  const select = target.select!
  const current = container[attribute.name]
  const values = attribute.multiValued ? asList(current) : isObject(current) ? [current] : []
  let selected = values.filter((item) => isObject(item) && select.matches(item)) as ScimObject[]

  if (selected.length === 0) {
    if (value === null) return
    if (!attribute.multiValued) throw noTarget(target)
    const created = valueDescribedBy(select.filter, attribute, target)
    if (!created || !select.matches(created)) throw noTarget(target)
    values.push(created)
    selected = [created]
    mode = 'add' // a created value keeps the sub-attributes taken from the filter
  }

  for (const item of selected) {
    if (subAttribute) {
      setSubAttribute(item, subAttribute, value, target.text)
    } else if (mode === 'add') {
      mergeComplex(item, attribute, canonicalItem(attribute, value, target.text) as ScimObject)
    } else {
      const replacement = value === null ? {} : withoutNulls(canonicalItem(attribute, value, target.text) as ScimObject)
      for (const key of Object.keys(item)) delete item[key]
      Object.assign(item, replacement)
    }
  }
  keepOnePrimary(attribute, values, selected)
  container[attribute.name] = attribute.multiValued ? values : values[0]
}

/** `emails.type` without a filter: the sub-attribute of every value (or of a new value when there is none). */
function setOnEveryValue(container: ScimObject, target: PatchTarget, value: unknown): void {
  const values = asList(container[target.attribute.name])
  if (values.length === 0 && value !== null) values.push({})
  const objects = values.filter(isObject)
  for (const item of objects) setSubAttribute(item, target.subAttribute!, value, target.text)
  keepOnePrimary(target.attribute, values, objects)
  container[target.attribute.name] = values
}

/**
 * Adds `incoming` values to `values` without duplicates: a value with the same
 * identity as an existing one (see `valueIdentity`) is merged into it.
 * Returns the values added or merged into.
 */
function mergeValues(attribute: AttributeDefinition, values: unknown[], incoming: unknown[]): unknown[] {
  const byIdentity = new Map(values.map((item) => [valueIdentity(attribute, item), item]))
  const touched: unknown[] = []
  for (const item of incoming) {
    if (isUnassigned(item)) continue
    const identity = valueIdentity(attribute, item)
    const existing = byIdentity.get(identity)
    if (existing === undefined) {
      const added = isObject(item) ? withoutNulls(item) : item
      values.push(added)
      byIdentity.set(identity, added)
      touched.push(added)
    } else if (isObject(existing) && isObject(item)) {
      // `value` identified `existing` (possibly in another case): merge the rest.
      const { value: _, ...rest } = item
      mergeComplex(existing, attribute, rest)
      touched.push(existing)
    }
  }
  return touched
}

/** RFC 7644 §3.5.2.3: the given sub-attributes replace existing ones; others are left unchanged. */
function mergeComplex(target: ScimObject, attribute: AttributeDefinition, incoming: ScimObject): void {
  for (const [name, value] of Object.entries(incoming)) {
    const sub = attribute.subAttributes?.find((s) => s.name === name)
    if (sub) setSubAttribute(target, sub, value, `${attribute.name}.${name}`)
  }
}

function setSubAttribute(item: ScimObject, sub: AttributeDefinition, value: unknown, where: string): void {
  const next = canonicalValue(sub, value, where)
  if (sub.mutability === 'immutable' && !isUnassigned(item[sub.name]) && !equivalent(item[sub.name], next)) {
    throw ScimError.of('mutability', `"${where}" is immutable and already has a value`)
  }
  if (next === null) delete item[sub.name]
  else item[sub.name] = next
}

function removeSubAttribute(item: ScimObject, sub: AttributeDefinition): void {
  if (sub.mutability === 'immutable' && !isUnassigned(item[sub.name])) {
    throw ScimError.of('mutability', `"${sub.name}" is immutable and cannot be removed`)
  }
  delete item[sub.name]
}

/**
 * The value a filter of `eq` comparisons joined by `and` describes:
 * `type eq "work"` gives `{type: "work"}`. Undefined for any other filter.
 */
function valueDescribedBy(filter: Filter, attribute: AttributeDefinition, target: PatchTarget): ScimObject | undefined {
  const pairs: [string, unknown][] = []
  const collect = (node: Filter): boolean => {
    if (node.kind === 'and') return collect(node.left) && collect(node.right)
    if (node.kind !== 'compare' || node.op !== 'eq' || node.path.schema || node.path.subAttribute) return false
    pairs.push([node.path.attribute, node.value])
    return true
  }
  if (!collect(filter)) return undefined
  return withoutNulls(canonicalItem(attribute, Object.fromEntries(pairs), target.text) as ScimObject)
}

function withoutNulls(item: ScimObject): ScimObject {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== null))
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? [...value] : [value]
}

function noTarget(target: PatchTarget): ScimError {
  return ScimError.of('noTarget', `No value matches the filter in path "${target.text}"`)
}
