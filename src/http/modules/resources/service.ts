/**
 * @module Create, read, list, replace, patch and delete of users and groups.
 * Takes plain values (the instance, its resource type, the parsed body),
 * returns stored resources; knows nothing of HTTP.
 */
import { ScimError } from '../../../scim/errors'
import { checkIfMatch } from '../../../scim/etag'
import type { ListRequest } from '../../../scim/list-request'
import { membershipChange } from '../../../scim/membership-patch'
import { applyPatch } from '../../../scim/patch'
import { isObject, normalizeResource, type ScimObject } from '../../../scim/resource'
import { applySimplePatch } from '../../../scim/simple-patch'
import { normalFormOf } from '../../../scim/schemas/normal-form'
import type { ResourceTypeDefinition } from '../../../scim/schemas/types'
import type { ResourceStore } from '../../../store/resources'
import type { ListResult, MemberRef, ResourceKind, ResourceWrite, StoredResource } from '../../../store/types'
import { checkImmutable } from '../../../scim/immutable'

/** Where a write goes: the instance and its definition of the resource type. */
export interface Target {
  instance: string
  resourceType: ResourceTypeDefinition
}

export class ResourceService {
  constructor(
    private readonly store: ResourceStore,
    /**
     * Group push applied to the memberships it names (`membershipChange`), and plain attribute changes without
     * the PATCH engine (`applySimplePatch`); off only to compare with the general way.
     */
    private readonly shortcuts = true,
  ) {}

  create({ instance, resourceType }: Target, body: unknown): StoredResource {
    return this.store.create(instance, kindOf(resourceType), toWrite(body, resourceType))
  }

  get({ instance, resourceType }: Target, id: string | null): StoredResource {
    return this.store.get(instance, kindOf(resourceType), id ?? '') ?? notFound(resourceType, id)
  }

  /** `acrossTypes`: part of a search over several resource types (unknown filter attributes match nothing). */
  list({ instance, resourceType }: Target, request: ListRequest, acrossTypes = false): ListResult {
    const { filter, sort, paging } = request
    return this.store.list(instance, kindOf(resourceType), { filter, sort, paging, resourceType, unknownAttributesMatchNothing: acrossTypes })
  }

  /** PUT (RFC 7644 §3.5.1): the body replaces every client-writable attribute. */
  replace({ instance, resourceType }: Target, id: string | null, body: unknown, ifMatch?: string | null): StoredResource {
    const updated = this.store.update(instance, kindOf(resourceType), id ?? '', (current) => {
      checkIfMatch(ifMatch, current.version)
      const write = toWrite(isActivationOnly(body) ? { ...patchable(current), ...(body as ScimObject) } : body, resourceType)
      checkImmutable(current.data, write.data, resourceType)
      return sameContent(current, write) ? null : write
    })
    return updated ?? notFound(resourceType, id)
  }

  /**
   * PATCH (RFC 7644 §3.5.2), applied to the current state in one transaction.
   * `withMembers` false: the caller needs a group's version, not its members.
   */
  patch({ instance, resourceType }: Target, id: string | null, body: unknown, ifMatch?: string | null, withMembers = true): StoredResource {
    const change = resourceType.id === 'Group' && this.shortcuts ? membershipChange(body) : undefined
    if (change) {
      const changed = this.store.changeMembers(instance, id ?? '', change, (current) => checkIfMatch(ifMatch, current.version), withMembers)
      if (changed === undefined) notFound(resourceType, id)
      if (changed !== 'declined') return changed
    }
    const updated = this.store.update(instance, kindOf(resourceType), id ?? '', (current) => {
      checkIfMatch(ifMatch, current.version)
      const before = patchable(current)
      const simple = this.shortcuts ? applySimplePatch(before, body, resourceType) : undefined
      if (simple && current.type === 'User' && current.normalForm === normalFormOf(resourceType)) {
        // A document in this schema's normal form, with canonical values set on known attributes, is in
        // normal form still (a property test holds this against normalisation): no need to normalise it.
        if (!simple.changed) return null
        const { id: _id, ...data } = simple.resource
        return { data, normalForm: current.normalForm }
      }
      const { resource, changed } = simple ?? applyPatch(before, body, resourceType)
      if (!changed) return null
      const write = toWrite(resource, resourceType)
      return sameContent(current, write) ? null : write
    })
    return updated ?? notFound(resourceType, id)
  }

  delete({ instance, resourceType }: Target, id: string | null, ifMatch?: string | null): void {
    const deleted = this.store.delete(instance, kindOf(resourceType), id ?? '', (current) => checkIfMatch(ifMatch, current.version))
    if (!deleted) notFound(resourceType, id)
  }
}

/**
 * A PUT whose whole body is `{"active": false}` (and perhaps `schemas`):
 * Saviynt's templates enable and disable that way. As a replacement it would
 * be a 400 (no userName); read as "set active", it keeps its meaning. Any
 * other PUT without userName is still refused, as RFC 7644 §3.5.1 requires.
 */
function isActivationOnly(body: unknown): boolean {
  if (!isObject(body)) return false
  const keys = Object.keys(body).map((key) => key.toLowerCase()).filter((key) => key !== 'schemas')
  return keys.length === 1 && keys[0] === 'active'
}

function kindOf(resourceType: ResourceTypeDefinition): ResourceKind {
  return resourceType.id as ResourceKind
}

/** The resource as the PATCH engine sees it: attributes plus, for groups, members. */
function patchable(current: StoredResource): ScimObject {
  // applyPatch copies what it changes: no copy here.
  const resource: ScimObject = { ...current.data, id: current.id }
  if (current.type === 'Group') resource.members = (current.members ?? []).map(({ value, type, display }) => ({ value, type, display }))
  return resource
}

function toWrite(body: unknown, resourceType: ResourceTypeDefinition): ResourceWrite {
  const data = normalizeResource(body, resourceType)
  const normalForm = normalFormOf(resourceType)
  if (resourceType.id !== 'Group') return { data, normalForm }
  const members = data.members as ScimObject[] | undefined
  delete data.members
  return { data, members: (members ?? []).map((member, index) => memberRef(member, index)), normalForm }
}

function memberRef(member: ScimObject, index: number): MemberRef {
  if (!isObject(member) || typeof member.value !== 'string' || member.value === '') {
    throw ScimError.of('invalidValue', `members[${index}].value is required`)
  }
  return typeof member.display === 'string' ? { id: member.value, display: member.display } : { id: member.value }
}

/** True when a write would store exactly what is stored: no new version then. */
function sameContent(current: StoredResource, write: ResourceWrite): boolean {
  if (!Bun.deepEquals(current.data, write.data)) return false
  if (!write.members) return true
  // Same ids, and each display the client gives already shown (without one, the member's own name is).
  const currentDisplay = new Map((current.members ?? []).map((m) => [m.value, m.display]))
  const nextIds = new Set(write.members.map((m) => m.id))
  return (
    currentDisplay.size === nextIds.size &&
    write.members.every((m) => currentDisplay.has(m.id) && (m.display === undefined || currentDisplay.get(m.id) === m.display))
  )
}

function notFound(resourceType: ResourceTypeDefinition, id: string | null): never {
  // Elysia hands over null for an id that is not valid percent-encoding.
  throw ScimError.notFound(typeof id === 'string' ? `${resourceType.name} '${id}' not found` : 'Resource not found')
}
