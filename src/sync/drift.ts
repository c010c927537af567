/**
 * @module The full reconcile: list the app, compare it with what scimify
 * last applied there, and report or repair the difference (drift: a change
 * made by hand in the app). Repair touches only what scimify manages
 * (objects linked to a SCIM resource): it forgets what it believed and lets
 * the planner put the resource back. Objects that match nothing are reported
 * and left alone, unless the instance opts in to pruning them.
 */
import type { Connector, DownstreamObject, SyncOperation } from '../connector/types'
import type { SyncSettings } from '../config/schema'
import type { Logger } from '../log'
import type { SyncLink, SyncStore } from '../store/sync'
import type { ResourceKind } from '../store/types'

export interface DriftReport {
  /** Linked resources whose object is gone from the app. */
  missing: { type: ResourceKind; id: string; downstreamId: string }[]
  /** Groups whose members in the app differ from what scimify added (SCIM ids). */
  membership: { id: string; extra: string[]; absent: string[] }[]
  /** Objects in the app that no SCIM resource is linked to. */
  unmanaged: { type: ResourceKind; downstreamId: string; name?: string }[]
  /** Whether the managed drift was repaired (policy `repair`). */
  repaired: boolean
  /** How many unmanaged objects were removed (`prune_unmanaged`). */
  pruned: number
  /** Why nothing was compared, when the connector cannot list the app. */
  skipped?: string
}

export interface FullReconcileOptions {
  instance: string
  connector: Connector | undefined
  settings: Pick<SyncSettings, 'drift' | 'prune_unmanaged'>
  sync: SyncStore
  /** Marks every resource of the instance dirty, so each is compared with the app at the next run. */
  markAllDirty(): void
  logger: Logger
  now: () => Date
}

export async function reconcileFull(options: FullReconcileOptions): Promise<DriftReport> {
  const report: DriftReport = { missing: [], membership: [], unmanaged: [], repaired: false, pruned: 0 }
  options.markAllDirty()
  const { connector } = options
  if (!connector?.listUsers && !connector?.listGroups) {
    report.skipped = 'the connector cannot list the app'
    return report
  }
  const users = connector.listUsers ? await connector.listUsers() : undefined
  const groups = connector.listGroups ? await connector.listGroups() : undefined
  const repair = options.settings.drift === 'repair'
  const links = { User: options.sync.links(options.instance, 'User'), Group: options.sync.links(options.instance, 'Group') }
  const userIdByDownstream = new Map(links.User.filter((l) => l.downstream).map((l) => [l.downstream!.id, l.id]))

  for (const [type, objects] of [['User', users], ['Group', groups]] as const) {
    if (!objects) continue
    const present = new Map(objects.map((object) => [object.link.id, object]))
    const linked = new Set<string>()
    for (const link of links[type]) {
      if (!link.downstream || !link.applied) continue
      linked.add(link.downstream.id)
      const object = present.get(link.downstream.id)
      // A deactivated user may rightly be gone from the app (GitHub removes the member).
      if (!object && !(type === 'User' && link.applied.active === false)) {
        report.missing.push({ type, id: link.id, downstreamId: link.downstream.id })
        if (repair) forget(options, link, { downstream: undefined, applied: undefined })
        continue
      }
      if (type === 'Group' && object?.memberIds) checkMembers(options, link, object, userIdByDownstream, report, repair)
    }
    for (const object of objects) {
      if (linked.has(object.link.id)) continue
      report.unmanaged.push({ type, downstreamId: object.link.id, name: object.displayName ?? object.userName ?? object.emails?.[0] })
      if (options.settings.prune_unmanaged) report.pruned += await prune(options, type, object)
    }
  }
  report.repaired = repair && (report.missing.length > 0 || report.membership.length > 0)
  if (report.missing.length || report.membership.length || report.unmanaged.length) {
    options.logger.warn('drift found', {
      instance: options.instance,
      missing: report.missing.length,
      membership: report.membership.length,
      unmanaged: report.unmanaged.length,
      action: repair ? 'repair' : 'report',
    })
  }
  return report
}

function checkMembers(
  options: FullReconcileOptions,
  link: SyncLink,
  object: DownstreamObject,
  userIdByDownstream: Map<string, string>,
  report: DriftReport,
  repair: boolean,
) {
  // Members the app has that scimify manages (linked users), as SCIM ids; others are not ours to judge.
  const actual = (object.memberIds ?? []).map((id) => userIdByDownstream.get(id)).filter((id): id is string => id !== undefined)
  const believed = new Set(link.applied?.members ?? [])
  const extra = actual.filter((id) => !believed.has(id))
  const absent = [...believed].filter((id) => !actual.includes(id))
  if (extra.length === 0 && absent.length === 0) return
  report.membership.push({ id: link.id, extra, absent })
  // With the app's real members as the applied state, the planner adds what is missing and removes what is extra.
  if (repair) forget(options, link, { applied: { ...link.applied, members: actual } })
}

function forget(options: FullReconcileOptions, link: SyncLink, change: Partial<SyncLink>) {
  options.sync.saveLink({ ...link, ...change, status: 'pending' })
  options.sync.markDirty(link)
}

async function prune(options: FullReconcileOptions, type: ResourceKind, object: DownstreamObject): Promise<number> {
  const operation = {
    id: crypto.randomUUID(),
    time: options.now().toISOString(),
    type: type === 'User' ? 'user.deleted' : 'group.deleted',
    resource: { id: '', ...(object.userName ? { userName: object.userName } : {}), ...(object.displayName ? { displayName: object.displayName } : {}) },
    link: object.link,
  } as SyncOperation
  try {
    await options.connector!.apply(operation)
    return 1
  } catch (error) {
    options.logger.warn('could not remove an unmanaged object', { instance: options.instance, downstream_id: object.link.id, error: (error as Error).message })
    return 0
  }
}
