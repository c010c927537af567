/**
 * @module Create, read, list, replace, patch and delete for one resource
 * type. Takes plain values, returns stored resources; knows nothing of HTTP.
 */
import { ScimError } from '../../../scim/errors'
import { parseFilter } from '../../../scim/filter/parse'
import type { Page } from '../../../scim/list'
import { applyPatch } from '../../../scim/patch'
import { isObject, normalizeResource, type ScimObject } from '../../../scim/resource'
import type { ResourceTypeDefinition } from '../../../scim/schemas/types'
import type { ResourceStore } from '../../../store/resources'
import type { ListResult, ResourceKind, ResourceWrite, StoredResource } from '../../../store/types'

export class ResourceService {
  private readonly kind: ResourceKind

  constructor(
    private readonly store: ResourceStore,
    private readonly resourceType: ResourceTypeDefinition,
  ) {
    this.kind = resourceType.id as ResourceKind
  }

  create(instance: string, body: unknown): StoredResource {
    return this.store.create(instance, this.kind, this.toWrite(body))
  }

  get(instance: string, id: string): StoredResource {
    return this.store.get(instance, this.kind, id) ?? this.notFound(id)
  }

  list(instance: string, filter: string | undefined, page: Page): ListResult {
    const parsed = filter !== undefined && filter.trim() !== '' ? parseFilter(filter) : undefined
    return this.store.list(instance, this.kind, { filter: parsed, ...page })
  }

  replace(instance: string, id: string, body: unknown): StoredResource {
    const write = this.toWrite(body)
    const updated = this.store.update(instance, this.kind, id, (current) =>
      sameContent(current, write) ? null : write,
    )
    return updated ?? this.notFound(id)
  }

  patch(instance: string, id: string, body: unknown): StoredResource {
    const updated = this.store.update(instance, this.kind, id, (current) => {
      const { resource, changed } = applyPatch(this.patchable(current), body, this.resourceType)
      if (!changed) return null
      const write = this.toWrite(resource)
      return sameContent(current, write) ? null : write
    })
    return updated ?? this.notFound(id)
  }

  delete(instance: string, id: string): void {
    if (!this.store.delete(instance, this.kind, id)) this.notFound(id)
  }

  /** The resource as the PATCH engine sees it: attributes plus, for groups, members. */
  private patchable(current: StoredResource): ScimObject {
    const resource: ScimObject = { ...structuredClone(current.data), id: current.id }
    if (this.kind === 'Group') {
      resource.members = (current.members ?? []).map(({ value, type }) => ({ value, type }))
    }
    return resource
  }

  private toWrite(body: unknown): ResourceWrite {
    const data = normalizeResource(body, this.resourceType)
    if (this.kind !== 'Group') return { data }
    const members = data.members as ScimObject[] | undefined
    delete data.members
    return { data, memberIds: (members ?? []).map((member, index) => memberId(member, index)) }
  }

  private notFound(id: string | null): never {
    // Elysia hands over null for an id that is not valid percent-encoding.
    throw ScimError.notFound(typeof id === 'string' ? `${this.resourceType.name} '${id}' not found` : 'Resource not found')
  }
}

function memberId(member: ScimObject, index: number): string {
  if (!isObject(member) || typeof member.value !== 'string' || member.value === '') {
    throw ScimError.of('invalidValue', `members[${index}].value is required`)
  }
  return member.value
}

/** True when a write would store exactly what is stored: no new version then. */
function sameContent(current: StoredResource, write: ResourceWrite): boolean {
  if (!Bun.deepEquals(current.data, write.data)) return false
  if (!write.memberIds) return true
  const currentIds = new Set((current.members ?? []).map((m) => m.value))
  const nextIds = new Set(write.memberIds)
  return currentIds.size === nextIds.size && [...nextIds].every((id) => currentIds.has(id))
}
