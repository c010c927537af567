/**
 * @module RFC 7643 §2.2 `immutable`: once assigned, a value may not change.
 * PUT checks it against the stored resource; PATCH checks it per operation.
 */
import { ScimError } from './errors'
import type { ScimObject } from './resource'
import type { AttributeDefinition, ResourceTypeDefinition } from './schemas/types'

/** Throws `mutability` when `next` changes or drops an assigned immutable attribute of `current`. */
export function checkImmutable(current: ScimObject, next: ScimObject, resourceType: ResourceTypeDefinition): void {
  compare(resourceType.schema.attributes, current, next, '')
  for (const { schema } of resourceType.extensions) {
    const before = current[schema.id]
    if (before && typeof before === 'object') compare(schema.attributes, before as ScimObject, (next[schema.id] ?? {}) as ScimObject, `${schema.id}:`)
  }
}

function compare(attributes: readonly AttributeDefinition[], current: ScimObject, next: ScimObject, prefix: string) {
  for (const attribute of attributes) {
    if (attribute.mutability !== 'immutable') continue
    const before = current[attribute.name]
    if (before === undefined) continue
    if (!Bun.deepEquals(before, next[attribute.name])) {
      throw ScimError.of('mutability', `"${prefix}${attribute.name}" is immutable: it cannot change once set`)
    }
  }
}
