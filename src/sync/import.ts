/**
 * @module `scimify import`: reads the app's existing users and groups and
 * links each to a SCIM resource: an existing one that matches (by email or
 * userName), or a new one made from it. The IdP's first sync then finds them
 * by its usual lookup (`userName eq …`) and updates instead of creating
 * duplicates; nothing is sent downstream for what was imported as it is.
 */
import type { Connector, DownstreamObject } from '../connector/types'
import { ScimError } from '../scim/errors'
import type { Filter } from '../scim/filter/ast'
import { parseAttributePath } from '../scim/filter/parse'
import type { InstanceSchemas } from '../scim/schemas/instance'
import { GROUP_SCHEMA, USER_SCHEMA } from '../scim/schemas/urns'
import type { ResourceStore } from '../store/resources'
import type { SyncLink, SyncStore } from '../store/sync'
import type { ResourceKind, StoredResource } from '../store/types'
import { desiredOf } from './engine'
import { attributesFingerprint } from './plan'

export interface ImportOptions {
  instance: string
  connector: Connector
  schemas: InstanceSchemas
  baseUrl: string
  /** What a downstream user is matched on. */
  match: 'email' | 'userName'
  /** The attributes the connector writes (its capabilities), for the applied-state fingerprint. */
  attributes?: readonly string[]
  resources: ResourceStore
  sync: SyncStore
  /** Called after each object, for progress output. */
  progress?: (done: number, total: number) => void
}

export interface ImportReport {
  users: { linked: number; created: number; alreadyLinked: number }
  groups: { linked: number; created: number; alreadyLinked: number }
  /** Downstream objects that could not be imported, with the reason. */
  skipped: { id: string; reason: string }[]
}

export async function importDownstream(options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = {
    users: { linked: 0, created: 0, alreadyLinked: 0 },
    groups: { linked: 0, created: 0, alreadyLinked: 0 },
    skipped: [],
  }
  const users = (await options.connector.listUsers?.()) ?? []
  const groups = (await options.connector.listGroups?.()) ?? []
  const total = users.length + groups.length
  let done = 0
  for (const user of users) {
    importOne(options, 'User', user, report)
    options.progress?.(++done, total)
  }
  for (const group of groups) {
    importOne(options, 'Group', group, report)
    options.progress?.(++done, total)
  }
  return report
}

function importOne(options: ImportOptions, type: ResourceKind, object: DownstreamObject, report: ImportReport): void {
  const counts = type === 'User' ? report.users : report.groups
  const linked = new Map(options.sync.links(options.instance, type).filter((l) => l.downstream).map((l) => [l.downstream!.id, l]))
  if (linked.has(object.link.id)) {
    counts.alreadyLinked++
    return
  }
  try {
    const existing = findMatch(options, type, object)
    if (existing && options.sync.link({ instance: options.instance, type, id: existing.id })?.downstream) {
      report.skipped.push({ id: object.link.id, reason: `matches ${type} ${existing.id}, which is linked to another ${type === 'User' ? 'user' : 'group'} in the app` })
      return
    }
    // One transaction: a running engine must never see a created resource without its link (it would send it).
    options.resources.transaction(() => {
      const resource = existing ?? createFrom(options, type, object)
      options.sync.saveLink(linkFor(options, resource, object))
    })
    if (existing) counts.linked++
    else counts.created++
  } catch (error) {
    report.skipped.push({ id: object.link.id, reason: error instanceof Error ? error.message : String(error) })
  }
}

/** A link that says: the app already has this resource as it is now, so there is nothing to send. */
function linkFor(options: ImportOptions, resource: StoredResource, object: DownstreamObject): SyncLink {
  const desired = desiredOf(resource, options.baseUrl)
  const applied =
    desired.type === 'User'
      ? { attributes: attributesFingerprint(desired.resource, options.attributes), active: desired.active }
      : { attributes: attributesFingerprint(desired.resource, options.attributes), members: memberIdsOf(object, options) }
  return {
    instance: options.instance,
    type: resource.type,
    id: resource.id,
    downstream: object.link,
    applied,
    status: 'synced',
    lastError: null,
    syncedAt: new Date().toISOString(),
  }
}

function findMatch(options: ImportOptions, type: ResourceKind, object: DownstreamObject): StoredResource | undefined {
  const candidates: Filter[] = []
  const eq = (path: string, value: string): Filter => ({ kind: 'compare', op: 'eq', path: parseAttributePath(path), value })
  if (type === 'Group') {
    if (object.displayName) candidates.push(eq('displayName', object.displayName))
  } else if (options.match === 'userName') {
    if (object.userName) candidates.push(eq('userName', object.userName))
  } else {
    for (const email of object.emails ?? []) candidates.push(eq('emails.value', email), eq('userName', email))
  }
  for (const filter of candidates) {
    const found = options.resources.list(options.instance, type, {
      filter,
      resourceType: options.schemas[type],
      paging: { kind: 'index', startIndex: 1, count: 2 },
    })
    if (found.totalResults === 1) return found.resources[0]
  }
  return undefined
}

function createFrom(options: ImportOptions, type: ResourceKind, object: DownstreamObject): StoredResource {
  if (type === 'Group') {
    if (!object.displayName) throw new Error('the group has no name')
    const members = memberIdsOf(object, options).map((id) => ({ id }))
    return options.resources.create(options.instance, 'Group', { data: { schemas: [GROUP_SCHEMA], displayName: object.displayName }, members })
  }
  const userName = options.match === 'email' ? (object.emails?.[0] ?? object.userName) : (object.userName ?? object.emails?.[0])
  if (!userName) throw new Error('the user has neither an email nor a user name')
  const data: Record<string, unknown> = { schemas: [USER_SCHEMA], userName, active: true }
  if (object.emails?.length) data.emails = object.emails.map((value, index) => (index === 0 ? { value, primary: true } : { value }))
  if (object.displayName) data.displayName = object.displayName
  try {
    return options.resources.create(options.instance, 'User', { data })
  } catch (error) {
    if (error instanceof ScimError && error.scimType === 'uniqueness') throw new Error(`a user named ${userName} exists and matches another way`)
    throw error
  }
}

/** The SCIM ids of a downstream group's members that are linked users. */
function memberIdsOf(object: DownstreamObject, options: ImportOptions): string[] {
  const users = new Map(options.sync.links(options.instance, 'User').filter((l) => l.downstream).map((l) => [l.downstream!.id, l.id]))
  return (object.memberIds ?? []).map((id) => users.get(id)).filter((id): id is string => id !== undefined)
}
