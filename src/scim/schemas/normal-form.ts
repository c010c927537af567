/**
 * @module Which schema a stored document was brought to normal form under
 * (`normalizeResource`). A config change can add, drop or retype an
 * instance's attributes; a document written before keeps the old form until
 * it is normalised again. Writes record this mark beside the document, so a
 * change that skips normalisation knows when it may.
 */
import type { ResourceTypeDefinition } from './types'

const marks = new WeakMap<ResourceTypeDefinition, string>()

/** A short mark of the resource type's whole definition: equal for equal definitions, computed once per object. */
export function normalFormOf(resourceType: ResourceTypeDefinition): string {
  let mark = marks.get(resourceType)
  if (mark === undefined) {
    mark = Bun.hash(JSON.stringify(resourceType)).toString(36)
    marks.set(resourceType, mark)
  }
  return mark
}
