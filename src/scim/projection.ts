/**
 * @module Which attributes a response carries (RFC 7644 §3.4.2.5 `attributes`
 * and `excludedAttributes`, RFC 7643 §2.4 `returned`): `always` ones always,
 * `never` ones never, `request` ones only when asked for by name, `default`
 * ones unless excluded or unless `attributes` names others.
 */
import { parseAttributePath } from './filter/parse'
import { commonAttributes, resolveAttributePath } from './filter/resolve'
import { isObject, type ScimObject } from './resource'
import { findAttribute } from './schemas/resource-types'
import type { AttributeDefinition, ResourceTypeDefinition } from './schemas/types'

export interface Projection {
  /** Only these (plus those returned always). */
  attributes?: string[]
  /** All default attributes but these. Ignored when `attributes` is given. */
  excludedAttributes?: string[]
}

/** Reads the comma-separated query parameters; empty ones count as absent. */
export function parseProjection(attributes: string | null | undefined, excludedAttributes: string | null | undefined): Projection {
  if (!attributes && !excludedAttributes) return {}
  const list = (value: string | null | undefined) => {
    const items = (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '')
    return items.length > 0 ? items : undefined
  }
  return { attributes: list(attributes), excludedAttributes: list(excludedAttributes) }
}

export function isProjectionEmpty(projection: Projection): boolean {
  return !projection.attributes && !projection.excludedAttributes
}

/**
 * What a path selects: a whole attribute ("all") or some of its
 * sub-attributes, keyed by the attribute's place in the resource: its name
 * for core and common attributes, `<schema URN>:<name>` for extensions,
 * and the bare URN for a whole extension.
 */
type Selection = Map<string, 'all' | Set<string>>

function select(paths: string[], resourceType: ResourceTypeDefinition): Selection {
  const selection: Selection = new Map()
  const add = (key: string, sub: string | undefined) => {
    const current = selection.get(key)
    if (current === 'all') return
    if (sub === undefined) return void selection.set(key, 'all')
    selection.set(key, (current ?? new Set()).add(sub))
  }
  for (const path of paths) {
    const extension = resourceType.extensions.find((e) => e.schema.id.toLowerCase() === path.toLowerCase())
    if (extension) {
      add(extension.schema.id, undefined)
      continue
    }
    try {
      const resolved = resolveAttributePath(parseAttributePath(withoutValueFilter(path)), resourceType)
      if ('common' in resolved) {
        const [name, sub] = resolved.common.split('.')
        add(name!, sub)
      } else {
        const key = resolved.schema === resourceType.schema ? resolved.attribute.name : `${resolved.schema.id}:${resolved.attribute.name}`
        add(key, resolved.subAttribute?.name)
      }
    } catch {
      // RFC 7644 names no error for unknown attributes here; they select nothing.
    }
  }
  return selection
}

/**
 * `emails[type eq "work"].value` → `emails.value`. RFC 7644 §3.10 has no
 * value filters in `attributes`, but the Microsoft reference suite sends them;
 * the attribute they name is returned whole.
 */
function withoutValueFilter(path: string): string {
  return path.replace(/\[.*\]/, '')
}

/** The rendered resource with only the attributes the projection and `returned` allow. */
export function project(resource: ScimObject, resourceType: ResourceTypeDefinition, projection: Projection): ScimObject {
  const mode = projection.attributes ? 'include' : projection.excludedAttributes ? 'exclude' : 'default'
  const selection = select(projection.attributes ?? projection.excludedAttributes ?? [], resourceType)
  const result: ScimObject = {}

  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas' || key === 'id') {
      result[key] = value
      continue
    }
    const extension = resourceType.extensions.find((e) => e.schema.id === key)
    if (extension && isObject(value)) {
      const whole = selection.get(extension.schema.id) === 'all'
      const kept: ScimObject = {}
      for (const [name, attributeValue] of Object.entries(value)) {
        const definition = findAttribute(extension.schema, name)
        if (!definition) continue
        const picked = whole ? (mode === 'exclude' ? undefined : attributeValue) : projectAttribute(definition, attributeValue, mode, selection.get(`${key}:${definition.name}`))
        if (picked !== undefined) kept[name] = picked
      }
      if (Object.keys(kept).length > 0) result[key] = kept
      continue
    }
    const definition = findAttribute(resourceType.schema, key) ?? findAttribute(commonAttributes, key)
    if (!definition) continue
    const picked = projectAttribute(definition, value, mode, selection.get(definition.name))
    if (picked !== undefined) result[key] = picked
  }
  return result
}

function projectAttribute(
  definition: AttributeDefinition,
  value: unknown,
  mode: 'include' | 'exclude' | 'default',
  selected: 'all' | Set<string> | undefined,
): unknown {
  if (definition.returned === 'never') return undefined
  if (definition.returned === 'always') return value
  switch (mode) {
    case 'default':
      return definition.returned === 'request' ? undefined : value
    case 'include':
      if (selected === undefined) return undefined
      return selected === 'all' ? value : pickSubAttributes(value, (name) => selected.has(name))
    case 'exclude':
      if (selected === 'all' || definition.returned === 'request') return undefined
      return selected === undefined ? value : pickSubAttributes(value, (name) => !selected.has(name))
  }
}

/** Keeps the chosen sub-attributes of a complex value, or of each value of a multi-valued one. */
function pickSubAttributes(value: unknown, keep: (name: string) => boolean): unknown {
  const pick = (item: unknown) => {
    if (!isObject(item)) return item
    const kept = Object.fromEntries(Object.entries(item).filter(([name]) => keep(name)))
    return Object.keys(kept).length > 0 ? kept : undefined
  }
  if (Array.isArray(value)) {
    const items = value.map(pick).filter((item) => item !== undefined)
    return items.length > 0 ? items : undefined
  }
  return pick(value)
}
