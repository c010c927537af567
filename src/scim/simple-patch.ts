/**
 * @module The common PATCH in its plain form, applied without the general
 * engine: every operation an add or replace of one singular, simple,
 * read-write attribute (or sub-attribute of a singular complex one) by path,
 * not a required one, with a value of its type. Entra sends one such replace
 * per changed attribute (`title`, `name.givenName`, `active`, an enterprise
 * attribute).
 *
 * The general engine (`applyPatch`) copies the whole resource, applies each
 * operation and compares the copy with the original; here only the objects
 * on the changed paths are copied. The result is the engine's (a property
 * test holds the two together); anything else is declined, and the engine
 * decides, errors included.
 */
import { readOperations, type PatchResult } from './patch'
import { resolvePatchPath, type PatchTarget } from './patch-path'
import { canonicalItem, isObject, type ScimObject } from './patch-values'
import type { ResourceTypeDefinition } from './schemas'

/** `applyPatch(resource, body, resourceType)` when the body is plainly that; undefined to leave it to the engine. */
export function applySimplePatch(resource: ScimObject, body: unknown, resourceType: ResourceTypeDefinition): PatchResult | undefined {
  try {
    const result: ScimObject = { ...resource }
    // Copied on the way down at most once each, so the caller's objects are never changed.
    const copied = new Set<ScimObject>([result])
    const copyOf = (parent: ScimObject, key: string): ScimObject | undefined => {
      const child = parent[key]
      if (!isObject(child)) return undefined
      if (copied.has(child)) return child
      const copy = { ...child }
      copied.add(copy)
      parent[key] = copy
      return copy
    }
    // Where each value was set, and what was there before the first operation on it.
    const touched: { container: ScimObject; name: string; before: unknown }[] = []
    for (const { op, path, value } of readOperations(body)) {
      if (op === 'remove' || path === undefined || value === null || typeof value === 'object') return undefined
      const target = resolvePatchPath(path, resourceType)
      const definition = simpleDefinition(target)
      if (!definition) return undefined
      const next = canonicalItem(definition, value, target.text)
      // The engine creates a missing extension or complex value; here it is declined instead.
      let container = target.extension ? copyOf(result, target.extension.id) : result
      if (container && target.subAttribute) container = copyOf(container, target.attribute.name)
      if (!container) return undefined
      const name = definition.name
      if (!touched.some((t) => t.container === container && t.name === name)) touched.push({ container, name, before: container[name] })
      container[name] = next
    }
    // Compared at the end: a later operation may put back what an earlier one changed. Only
    // scalars were set, so strict equality is the engine's "equivalent" here.
    const changed = touched.some(({ container, name, before }) => container[name] !== before)
    return changed ? { resource: result, changed } : { resource, changed }
  } catch {
    return undefined
  }
}

/** The definition a value is set on, when the target is a singular simple read-write attribute or sub-attribute. */
function simpleDefinition(target: PatchTarget) {
  const { attribute, subAttribute, select } = target
  if (select || attribute.multiValued || attribute.mutability !== 'readWrite') return undefined
  const definition = attribute.type === 'complex' ? subAttribute : subAttribute ? undefined : attribute
  if (!definition || definition.type === 'complex' || definition.multiValued || definition.mutability !== 'readWrite') return undefined
  // A required one (userName) may not become blank: left to normalisation, which refuses that.
  if (attribute.required || definition.required) return undefined
  return definition
}
