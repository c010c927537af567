/**
 * @module The default view of a resource (a GET without `attributes` or
 * `excludedAttributes`) as JSON text, written around the document's stored
 * text instead of walking the object and stringifying it again: on a busy
 * server that walk, the projection and JSON.stringify were a sixth of a GET.
 *
 * It applies when the stored document is exactly what `project` keeps in the
 * default view: every attribute known to the resource type under its own
 * name and returned by default (or always). Otherwise (an attribute the
 * instance's config declares `returned: never` or `request`, or one it no
 * longer declares) it gives undefined, and the caller projects the object.
 * Where it applies, the text parses to the same JSON value as
 * `project(renderResource(resource, baseUrl), resourceType, {})`.
 */
import { commonAttributes } from './filter/resolve'
import { renderLinks, renderMeta, type ResourceData } from './representation'
import { isObject, type ScimObject } from './resource'
import type { AttributeDefinition, ResourceTypeDefinition } from './schemas/types'

/** Top-level names the default view shows as stored: `true`, or for an extension the names within it. */
type ShownAsStored = Map<string, true | Set<string>>

const shownByType = new WeakMap<ResourceTypeDefinition, ShownAsStored>()

/** The resource's default view as JSON text, or undefined when its document is not shown as stored. */
export function defaultViewJson(resource: ResourceData, baseUrl: string, resourceType: ResourceTypeDefinition): string | undefined {
  const text = resource.dataJson
  // The document always has `schemas`; anything but a non-empty object's text is left to the object path.
  if (text === undefined || text.length <= 2 || text[0] !== '{' || text[text.length - 1] !== '}') return undefined
  if (!isShownAsStored(resource.data, resourceType)) return undefined
  let json = `{"id":${JSON.stringify(resource.id)},${text.slice(1, -1)}`
  const links = renderLinks(resource, baseUrl)
  if (links.members) json += `,"members":${JSON.stringify(links.members)}`
  if (links.groups) json += `,"groups":${JSON.stringify(links.groups)}`
  return `${json},"meta":${JSON.stringify(renderMeta(resource, baseUrl))}}`
}

function isShownAsStored(data: ScimObject, resourceType: ResourceTypeDefinition): boolean {
  const shown = shownAsStored(resourceType)
  for (const key in data) {
    const rule = shown.get(key)
    if (rule === undefined) return false
    if (rule === true) continue
    const extension = data[key]
    if (!isObject(extension)) return false
    let empty = true
    for (const name in extension) {
      if (!rule.has(name)) return false
      empty = false
    }
    // `project` leaves out an extension with nothing in it.
    if (empty) return false
  }
  return true
}

function shownAsStored(resourceType: ResourceTypeDefinition): ShownAsStored {
  let shown = shownByType.get(resourceType)
  if (shown) return shown
  const byDefault = (definition: AttributeDefinition) => definition.returned === 'default' || definition.returned === 'always'
  shown = new Map()
  // `id`, `meta`, `members` and `groups` are the server's, never part of the document: one there is not shown as stored.
  for (const definition of commonAttributes) if (byDefault(definition) && definition.name !== 'id' && definition.name !== 'meta') shown.set(definition.name, true)
  shown.set('schemas', true)
  // As in `project`, the core schema's definition of a name comes before a common attribute's.
  for (const definition of resourceType.schema.attributes) {
    if (byDefault(definition) && definition.name !== 'members' && definition.name !== 'groups') shown.set(definition.name, true)
    else shown.delete(definition.name)
  }
  for (const { schema } of resourceType.extensions) {
    shown.set(schema.id, new Set(schema.attributes.filter(byDefault).map((definition) => definition.name)))
  }
  shownByType.set(resourceType, shown)
  return shown
}
