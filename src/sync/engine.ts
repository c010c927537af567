/**
 * @module The sync engine: takes dirty resources from the durable queue and
 * makes the downstream app match them, one resource at a time, level-triggered
 * as a Kubernetes controller is.
 *
 * For each key: replay the journal of operations planned earlier and not yet
 * confirmed (same ids, same payloads), then plan against the current desired
 * state, record the plan, run it, and plan again until nothing is left to do.
 * The queue entry is removed only when a plan came out empty at a generation
 * no later write has bumped. A failure reschedules the key with backoff; the
 * other keys keep flowing.
 *
 * @example
 *   const engine = new SyncEngine({ resources, sync, audit, logger, instances: () => runtimes })
 *   engine.start()
 *   await engine.stop()
 */
import { RetryableError } from '../connector/errors'
import type { Connector, OperationResult, ScimResourceJson, SyncOperation } from '../connector/types'
import type { Logger } from '../log'
import { renderResource } from '../scim/representation'
import type { AuditLog } from '../store/audit'
import type { ResourceStore } from '../store/resources'
import type { JournalEntry, QueueEntry, ResourceKey, SyncLink, SyncStore } from '../store/sync'
import type { ResourceKind, StoredResource } from '../store/types'
import type { SyncSettings } from '../config/schema'
import type { SyncRuns } from '../store/sync-runs'
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff'
import { reconcileFull, type DriftReport } from './drift'
import { plan, type Desired, type EffectiveCapabilities, type MemberView } from './plan'

/** What the engine needs to know of an instance of the config in force. */
export interface InstanceRuntime {
  id: string
  /** Absent for a store-only instance: nothing goes downstream. */
  connector?: Connector
  capabilities: EffectiveCapabilities
  /** For the resources' meta.location and $ref in operation payloads. */
  baseUrl: string
  settings: SyncSettings
  /** How often the full reconcile runs; 0: never by itself. */
  fullIntervalMs: number
}

/**
 * Told what the engine does, for metrics and readiness. It only counts: the
 * engine behaves the same without it, and a throwing observer changes nothing.
 */
export interface SyncObserver {
  /** A downstream operation (one `connector.apply`) of `instance` ended. */
  operationSucceeded(instance: string): void
  operationFailed(instance: string): void
  /** A resource of `instance` is reconciled again after a failed attempt. */
  retrying(instance: string): void
}

export interface SyncEngineDeps {
  resources: ResourceStore
  sync: SyncStore
  runs: SyncRuns
  audit: AuditLog
  logger: Logger
  instances: () => ReadonlyMap<string, InstanceRuntime>
  backoff?: BackoffPolicy
  /** How many keys are reconciled at once. */
  concurrency?: number
  /** How often the queue is polled, in ms. */
  pollMs?: number
  now?: () => number
  random?: () => number
  observer?: SyncObserver
}

/**
 * How long a claim on a queue entry lasts without renewal; renewed before each
 * downstream operation (which times out well within it).
 */
const CLAIM_MS = 60 * 1000

/** Plan-run rounds per reconcile before the key is put back for later (a connector that never converges). */
const MAX_ROUNDS = 5

export class SyncEngine {
  private readonly inFlight = new Map<string, Promise<void>>()
  private fullReconcile: Promise<unknown> | undefined
  private lastFullCheck = 0
  /** Started by start() (serve), as opposed to runDue() alone (CLI, tests). */
  private running = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private stopping = false
  private readonly now: () => number
  private readonly random: () => number
  private readonly backoff: BackoffPolicy

  constructor(private readonly deps: SyncEngineDeps) {
    this.now = deps.now ?? Date.now
    this.random = deps.random ?? Math.random
    this.backoff = deps.backoff ?? DEFAULT_BACKOFF
  }

  start(): void {
    this.stopping = false
    this.running = true
    // Claims left by a process that died would hold their resources back until
    // they lapse; the serving process takes them over at once.
    this.deps.sync.releaseAllClaims()
    const loop = () => {
      if (this.stopping) return
      this.tick()
      this.maybeReconcileFull()
      this.timer = setTimeout(loop, this.deps.pollMs ?? 250)
    }
    loop()
  }

  /** Stops taking work and waits for the reconciles in flight: a safe point for shutdown. */
  async stop(): Promise<void> {
    this.stopping = true
    this.running = false
    clearTimeout(this.timer)
    await Promise.allSettled([...this.inFlight.values(), this.fullReconcile])
  }

  /**
   * The full reconcile of one instance: every resource is compared again, and
   * the app is listed for drift (reported or repaired per the instance's policy).
   */
  async reconcileFull(instance: string): Promise<DriftReport> {
    const runtime = this.deps.instances().get(instance)
    if (!runtime) throw new Error(`unknown or disabled instance "${instance}"`)
    const report = await reconcileFull({
      instance,
      connector: runtime.connector,
      settings: runtime.settings,
      sync: this.deps.sync,
      markAllDirty: () => this.deps.sync.markAllDirty(instance, this.now()),
      logger: this.deps.logger,
      now: () => new Date(this.now()),
    })
    this.deps.runs.record(instance, new Date(this.now()), report)
    return report
  }

  /** Starts the full reconcile of an instance whose interval has passed (one at a time, checked twice a minute). */
  private maybeReconcileFull(): void {
    if (this.fullReconcile || this.now() - this.lastFullCheck < 30_000) return
    this.lastFullCheck = this.now()
    for (const runtime of this.deps.instances().values()) {
      if (!runtime.connector || runtime.fullIntervalMs <= 0) continue
      const last = this.deps.runs.last(runtime.id)
      if (last && this.now() - Date.parse(last.at) < runtime.fullIntervalMs) continue
      this.fullReconcile = this.reconcileFull(runtime.id)
        .catch((error) => this.deps.logger.error('full reconcile failed', { instance: runtime.id, error: (error as Error).message }))
        .finally(() => (this.fullReconcile = undefined))
      return
    }
  }

  /**
   * Reconciles everything due now (optionally of one instance) until nothing
   * due is left; for `scimify sync` and tests. Returns how many reconciles ran.
   */
  async runDue(instance?: string): Promise<number> {
    let runs = 0
    for (;;) {
      const due = this.deps.sync.due(this.now(), 1000, instance)
      const fresh = due.filter((entry) => !this.inFlight.has(keyString(entry)))
      if (fresh.length === 0 && this.inFlight.size === 0) return runs
      for (const entry of fresh) if (this.launch(entry)) runs++
      // Entries another process claimed meanwhile are no longer due: look again.
      if (this.inFlight.size > 0) await Promise.race(this.inFlight.values())
    }
  }

  private tick(): void {
    const capacity = (this.deps.concurrency ?? 4) - this.inFlight.size
    if (capacity <= 0) return
    let due: QueueEntry[]
    try {
      due = this.deps.sync.due(this.now(), capacity + this.inFlight.size)
    } catch (error) {
      this.deps.logger.error('sync queue unreadable', { error: (error as Error).message })
      return
    }
    for (const entry of due) {
      if (this.inFlight.size >= (this.deps.concurrency ?? 4)) break
      if (!this.inFlight.has(keyString(entry))) this.launch(entry)
    }
  }

  /** Starts reconciling an entry this process could claim; false when another process has it. */
  private launch(entry: QueueEntry): boolean {
    const id = keyString(entry)
    if (!this.deps.sync.claim(entry, this.now(), this.now() + CLAIM_MS)) return false
    const run = this.reconcile(entry)
      .catch((error) => this.deps.logger.error('reconcile crashed', { key: id, error: (error as Error).stack ?? String(error) }))
      .finally(() => {
        this.inFlight.delete(id)
        this.deps.sync.release(entry)
        // A free slot takes the next due entry now, not at the next poll: the
        // poll interval must not cap throughput (4 per 250 ms would be 16/s).
        if (this.running && !this.stopping) this.tick()
      })
    this.inFlight.set(id, run)
    return true
  }

  private async reconcile(entry: QueueEntry): Promise<void> {
    const { sync } = this.deps
    const runtime = this.deps.instances().get(entry.instance)
    if (!runtime) {
      // The instance left the config: keep its changes for when it comes back.
      sync.reschedule(entry, this.now() + 60 * 60 * 1000, 'the instance is not in the config', false)
      return
    }
    if (entry.attempts > 0) this.observe((observer) => observer.retrying(entry.instance))
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const generation = sync.queueEntry(entry)?.generation ?? entry.generation
      let journal = sync.journal(entry)
      if (journal.length === 0) {
        journal = this.plan(entry, runtime)
        if (journal.length === 0) {
          this.markSynced(entry)
          sync.complete(entry, generation)
          return
        }
        sync.recordJournal(entry, journal)
      }
      if (!(await this.execute(entry, runtime, journal))) return
    }
    sync.reschedule(entry, this.now() + this.backoff.baseMs, 'still changing after several rounds', false)
  }

  private plan(key: ResourceKey, runtime: InstanceRuntime): JournalEntry[] {
    return planKey(this.deps.resources, this.deps.sync, runtime, key, new Date(this.now()))
  }

  /** Runs journal entries in order; false when one failed (the key is rescheduled). */
  private async execute(key: QueueEntry, runtime: InstanceRuntime, journal: JournalEntry[]): Promise<boolean> {
    const { sync, audit } = this.deps
    for (const entry of journal) {
      sync.extendClaim(key, this.now() + CLAIM_MS)
      const link = sync.link(key) ?? { ...key, status: 'pending', lastError: null, syncedAt: null }
      // Planned before an earlier operation of the same run created the object
      // downstream (group.created, then its members): give it the link now.
      const operation = entry.operation.link || !link.downstream ? entry.operation : { ...entry.operation, link: link.downstream }
      let result: OperationResult
      try {
        if (!runtime.connector) throw new Error(`the ${runtime.id} connector cannot apply ${operation.type}`)
        // The operation is journaled before it runs: committed, not only written (writes share a group commit).
        await sync.durable()
        result = await runtime.connector.apply(operation)
      } catch (error) {
        this.observe((observer) => observer.operationFailed(key.instance))
        this.fail(key, link, operation, error)
        return false
      }
      const downstream = result.link === undefined ? link.downstream : (result.link ?? undefined)
      const next: SyncLink | null =
        entry.appliedAfter === null
          ? null
          : { ...link, downstream, applied: entry.appliedAfter, status: 'pending', lastError: null, syncedAt: new Date(this.now()).toISOString() }
      sync.confirmOperation(operation.id, next, key)
      audit.record({ instance: key.instance, actor: 'sync', action: operation.type, target: key.id, result: 'ok' })
      this.observe((observer) => observer.operationSucceeded(key.instance))
      this.afterOperation(key, operation)
    }
    return true
  }

  /** When a resource appears, leaves or returns downstream, the groups holding it plan their members again. */
  private afterOperation(key: ResourceKey, operation: SyncOperation): void {
    const affectsParents = ['user.created', 'user.reactivated', 'user.deactivated', 'group.created'].includes(operation.type)
    if (!affectsParents) return
    for (const groupId of this.deps.resources.parentGroupIds(key.instance, key.id)) {
      this.deps.sync.markStale({ instance: key.instance, type: 'Group', id: groupId }, this.now())
    }
  }

  private fail(key: QueueEntry, link: SyncLink, operation: SyncOperation, error: unknown): void {
    const attempts = (this.deps.sync.queueEntry(key)?.attempts ?? key.attempts) + 1
    const message = error instanceof Error ? error.message : String(error)
    const retryAfter = error instanceof RetryableError ? error.retryAfterMs : undefined
    const delay = backoffDelay(attempts - 1, this.backoff, retryAfter, this.random())
    const failed = attempts >= this.backoff.failedAfter
    this.deps.sync.saveLink({ ...link, status: failed ? 'failed' : 'pending', lastError: message })
    this.deps.sync.reschedule(key, this.now() + delay, message, true)
    this.deps.audit.record({ instance: key.instance, actor: 'sync', action: operation.type, target: key.id, result: `error: ${message}` })
    this.deps.logger.warn('downstream operation failed', {
      instance: key.instance,
      operation: operation.type,
      resource: key.id,
      attempt: attempts,
      retry_in_ms: Math.round(delay),
      error: message,
    })
  }

  private observe(tell: (observer: SyncObserver) => void): void {
    if (!this.deps.observer) return
    try {
      tell(this.deps.observer)
    } catch {
      // Counting must never stop a reconcile.
    }
  }

  private markSynced(key: ResourceKey): void {
    const link = this.deps.sync.link(key)
    if (!link) return
    if (link.applied === undefined && !this.deps.resources.get(key.instance, key.type, key.id)) return this.deps.sync.deleteLink(key)
    if (link.status !== 'synced' || link.lastError !== null) {
      this.deps.sync.saveLink({ ...link, status: 'synced', lastError: null, syncedAt: new Date(this.now()).toISOString() })
    }
  }
}

/**
 * The plan for one resource: its desired state, its link, and where each of
 * its members stands downstream, given to the pure planner. Reads only; the
 * engine and `scimify sync --dry-run` both use it.
 */
export function planKey(resources: ResourceStore, sync: SyncStore, runtime: InstanceRuntime, key: ResourceKey, now: Date): JournalEntry[] {
  const stored = resources.get(key.instance, key.type, key.id)
  const memberView = (memberId: string): MemberView => {
    const type: ResourceKind = stored?.members?.find((m) => m.value === memberId)?.type ?? 'User'
    const member = resources.get(key.instance, type, memberId)
    return {
      resource: member && (renderResource(member, runtime.baseUrl) as ScimResourceJson),
      link: sync.link({ instance: key.instance, type, id: memberId }),
    }
  }
  return plan({
    type: key.type,
    id: key.id,
    desired: stored && desiredOf(stored, runtime.baseUrl),
    link: sync.link(key),
    capabilities: runtime.capabilities,
    member: memberView,
    newId: () => crypto.randomUUID(),
    time: now.toISOString(),
  })
}

/** The desired state of a stored resource, as the planner and the connector see it. */
export function desiredOf(stored: StoredResource, baseUrl: string): Desired {
  const resource = renderResource(stored, baseUrl) as ScimResourceJson
  if (stored.type === 'Group') return { type: 'Group', resource, memberIds: (stored.members ?? []).map((m) => m.value) }
  // RFC 7643 §4.1.1: without `active`, a user is not deactivated.
  return { type: 'User', resource, active: stored.data.active !== false }
}

function keyString(key: ResourceKey): string {
  return `${key.instance}\u0000${key.type}\u0000${key.id}`
}
