/**
 * @module The planner: desired state (the SCIM resource) against what was
 * last applied downstream, to the smallest list of operations. Pure: no I/O,
 * no clock, no ids of its own (the caller passes a generator).
 */
import type { DownstreamLink, ScimResourceJson, SyncOperation } from '../connector/types'
import type { AppliedState, JournalEntry, SyncLink } from '../store/sync'

/** What the connector does downstream for this instance (its capabilities, narrowed by the instance's mode). */
export interface EffectiveCapabilities {
  users: boolean
  groups: boolean
  /** Removing a user downstream also drops its group memberships there (GitHub org members and teams). */
  membershipsFollowUsers?: boolean
  /**
   * The attributes the connector writes (top-level names, or `<schema URN>`
   * for a whole extension); a change to any other causes no call. All when absent.
   */
  attributes?: readonly string[]
}

export interface DesiredUser {
  type: 'User'
  resource: ScimResourceJson
  active: boolean
}

export interface DesiredGroup {
  type: 'Group'
  resource: ScimResourceJson
  memberIds: string[]
}

export type Desired = DesiredUser | DesiredGroup

/** A member as the group planner sees it: its resource, and where it stands downstream. */
export interface MemberView {
  resource?: ScimResourceJson
  link?: SyncLink
}

export interface PlanInput {
  /** The resource as the IdP wants it; undefined when it was deleted. */
  desired: Desired | undefined
  type: 'User' | 'Group'
  id: string
  link: SyncLink | undefined
  capabilities: EffectiveCapabilities
  /** Groups: where each member stands (looked up by the caller). */
  member?: (id: string) => MemberView
  newId: () => string
  time: string
}

/**
 * The operations to run, in order. A member that is not downstream yet is
 * left out: the engine plans its groups again once the member gets there.
 */
export type Plan = JournalEntry[]

/**
 * A stable fingerprint of the attributes a connector sees (no meta, no
 * computed memberships; only `written` ones when the connector says which).
 */
export function attributesFingerprint(resource: ScimResourceJson, written?: readonly string[]): string {
  const { meta: _meta, groups: _groups, members: _members, ...attributes } = resource
  if (!written) return stableStringify(attributes)
  const wanted = new Set(written.map((name) => name.toLowerCase()))
  return stableStringify(Object.fromEntries(Object.entries(attributes).filter(([name]) => name === 'id' || wanted.has(name.toLowerCase()))))
}

export function plan(input: PlanInput): Plan {
  return input.type === 'User' ? planUser(input) : planGroup(input)
}

function planUser({ desired, link, capabilities, newId, time, id }: PlanInput): Plan {
  const none: Plan = []
  if (!capabilities.users) return none
  const applied = link?.applied
  const downstream = link?.downstream
  const exists = applied !== undefined
  const op = (type: 'user.created' | 'user.updated' | 'user.deactivated' | 'user.reactivated' | 'user.deleted', resource: ScimResourceJson): SyncOperation =>
    ({ id: newId(), time, type, resource, ...(downstream ? { link: downstream } : {}) }) as SyncOperation

  if (!desired || desired.type !== 'User') {
    if (!exists) return none
    return [{ operation: op('user.deleted', desired?.resource ?? { id }), appliedAfter: null }]
  }
  const fingerprint = attributesFingerprint(desired.resource, capabilities.attributes)
  const after: AppliedState = { attributes: fingerprint, active: desired.active }
  // An inactive user that never reached the app stays out of it.
  if (!exists) return desired.active ? [{ operation: op('user.created', desired.resource), appliedAfter: after }] : none
  if (applied.active !== desired.active) {
    return [{ operation: op(desired.active ? 'user.reactivated' : 'user.deactivated', desired.resource), appliedAfter: after }]
  }
  if (applied.attributes !== fingerprint) return [{ operation: op('user.updated', desired.resource), appliedAfter: after }]
  return none
}

function planGroup({ desired, link, capabilities, member, newId, time, id }: PlanInput): Plan {
  if (!capabilities.groups) return []
  const applied = link?.applied
  const downstream = link?.downstream
  const entries: JournalEntry[] = []
  const push = (operation: Omit<SyncOperation, 'id' | 'time'>, appliedAfter: AppliedState | null) =>
    entries.push({ operation: { id: newId(), time, ...(downstream ? { link: downstream } : {}), ...operation } as SyncOperation, appliedAfter })

  if (!desired || desired.type !== 'Group') {
    if (applied !== undefined) push({ type: 'group.deleted', resource: desired?.resource ?? { id } }, null)
    return entries
  }

  const summary = { id: desired.resource.id, displayName: desired.resource.displayName } as ScimResourceJson
  const fingerprint = attributesFingerprint(desired.resource, capabilities.attributes)
  let state: AppliedState = applied ?? { attributes: fingerprint, members: [] }
  if (applied === undefined) push({ type: 'group.created', resource: desired.resource }, state)
  else if (applied.attributes !== fingerprint) {
    state = { ...state, attributes: fingerprint }
    push({ type: 'group.updated', resource: desired.resource }, state)
  }

  const lookup = member ?? (() => ({}))
  const wanted = new Set(desired.memberIds)
  const present = new Set(state.members ?? [])
  for (const memberId of state.members ?? []) {
    const view = lookup(memberId)
    const gone = !wanted.has(memberId) || (capabilities.membershipsFollowUsers && !isActiveDownstream(view))
    if (!gone) continue
    present.delete(memberId)
    state = { ...state, members: [...present] }
    push({ type: 'group.member_removed', resource: summary, member: memberRef(memberId, view) } as never, state)
  }
  for (const memberId of desired.memberIds) {
    if (present.has(memberId)) continue
    const view = lookup(memberId)
    if (!isReady(view, capabilities)) continue
    present.add(memberId)
    state = { ...state, members: [...present] }
    push({ type: 'group.member_added', resource: summary, member: memberRef(memberId, view) } as never, state)
  }
  return entries
}

/** Can a member be added downstream now? Only once the app has it, when scimify provisions users. */
function isReady(view: MemberView, capabilities: EffectiveCapabilities): boolean {
  if (!capabilities.users) return view.resource !== undefined
  if (!view.link?.applied) return false
  return !capabilities.membershipsFollowUsers || view.link.applied.active !== false
}

function isActiveDownstream(view: MemberView): boolean {
  return view.link?.applied?.active !== false
}

function memberRef(value: string, view: MemberView): { value: string; link?: DownstreamLink; resource?: ScimResourceJson } {
  return { value, ...(view.link?.downstream ? { link: view.link.downstream } : {}), ...(view.resource ? { resource: view.resource } : {}) }
}

/** JSON with object keys sorted, so equal content gives equal text. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
