/**
 * @module The sync engine's state in SQLite: the queue of dirty resources,
 * links to downstream objects, the journal of unconfirmed operations.
 * Writes of the SCIM layer call `markDirty` inside their own transaction, so
 * an acknowledged change is never forgotten by the engine.
 */
import type { Database } from 'bun:sqlite'
import { groupCommitOf } from './group-commit'
import type { DownstreamLink, SyncOperation } from '../connector/types'
import type { ResourceKind } from './types'

export interface ResourceKey {
  instance: string
  type: ResourceKind
  id: string
}

export interface QueueEntry extends ResourceKey {
  generation: number
  dueAt: number
  attempts: number
  lastError: string | null
}

export type LinkStatus = 'synced' | 'pending' | 'failed'

export interface SyncLink extends ResourceKey {
  downstream?: DownstreamLink
  /** The state last applied downstream, as the planner sees it. */
  applied?: AppliedState
  status: LinkStatus
  lastError: string | null
  syncedAt: string | null
}

/** What the planner compares desired state with: a summary of what the app was last told. */
export interface AppliedState {
  /** A hash or copy of the attributes last sent. */
  attributes?: unknown
  active?: boolean
  /** Groups: the member ids last added downstream. */
  members?: string[]
}

export interface JournalEntry {
  operation: SyncOperation
  /** The applied state once this operation succeeds. */
  appliedAfter: AppliedState | null
}

interface QueueRow {
  instance: string
  resource_type: ResourceKind
  resource_id: string
  generation: number
  due_at: number
  attempts: number
  last_error: string | null
}

interface LinkRow {
  instance: string
  resource_type: ResourceKind
  resource_id: string
  downstream_id: string | null
  downstream: string | null
  applied: string | null
  status: LinkStatus
  last_error: string | null
  synced_at: string | null
}

const keyParams = (key: ResourceKey) => ({ instance: key.instance, type: key.type, id: key.id })

export class SyncStore {
  private readonly statements: ReturnType<typeof prepare>

  constructor(private readonly db: Database) {
    this.statements = prepare(db)
  }

  /** Resolves once every write so far is committed: the engine waits for it before acting downstream on what it recorded. */
  durable(): Promise<void> {
    return groupCommitOf(this.db).durable()
  }

  /** Marks a resource as needing reconciliation, now. Call inside the write's own transaction. */
  markDirty(key: ResourceKey, now = Date.now()): void {
    this.statements.enqueue.run({ ...keyParams(key), now })
  }

  /**
   * Marks a resource as needing reconciliation without hurrying a retry that
   * waits out a backoff or the app's retry-after: for the engine's own
   * follow-ups (groups planned again when a member reaches the app).
   */
  markStale(key: ResourceKey, now = Date.now()): void {
    this.statements.enqueueKeepingBackoff.run({ ...keyParams(key), now })
  }

  /** Queue entries due by `now` and not claimed by a reconcile in progress (of any instance, or one), oldest first. */
  due(now: number, limit: number, instance?: string): QueueEntry[] {
    return (this.statements.due.all({ now, limit, instance: instance ?? null }) as QueueRow[]).map(toQueueEntry)
  }

  /**
   * Takes a due entry for one reconcile until `until` (or until completed,
   * rescheduled or released). False when it is not due or another process has it.
   */
  claim(key: ResourceKey, now: number, until: number): boolean {
    return this.statements.claim.run({ ...keyParams(key), now, until }).changes > 0
  }

  /** Keeps a claim alive during a long reconcile. */
  extendClaim(key: ResourceKey, until: number): void {
    this.statements.extendClaim.run({ ...keyParams(key), until })
  }

  release(key: ResourceKey): void {
    this.statements.release.run(keyParams(key))
  }

  /** Frees every claim; for the serving process at start, when earlier claimers are gone. */
  releaseAllClaims(): void {
    this.statements.releaseAll.run()
  }

  queueEntry(key: ResourceKey): QueueEntry | undefined {
    const row = this.statements.queueEntry.get(keyParams(key)) as QueueRow | null
    return row ? toQueueEntry(row) : undefined
  }

  /** The reconcile of `generation` succeeded: drop the entry unless a newer write came in meanwhile. */
  complete(key: ResourceKey, generation: number): boolean {
    return this.statements.complete.run({ ...keyParams(key), generation }).changes > 0
  }

  /** The reconcile failed (or must wait): try again at `dueAt`. */
  reschedule(key: ResourceKey, dueAt: number, error: string | null, countAttempt: boolean): void {
    this.statements.reschedule.run({ ...keyParams(key), due: dueAt, error, increment: countAttempt ? 1 : 0 })
  }

  /** Makes every entry of an instance (or one resource) due now, with a fresh attempt count. */
  retryNow(instance: string, id?: string, now = Date.now()): number {
    return this.statements.retryNow.run({ instance, id: id ?? null, now }).changes
  }

  queueLength(instance?: string): number {
    return (this.statements.queueLength.get({ instance: instance ?? null }) as { n: number }).n
  }

  link(key: ResourceKey): SyncLink | undefined {
    const row = this.statements.link.get(keyParams(key)) as LinkRow | null
    return row ? toLink(row) : undefined
  }

  links(instance: string, type?: ResourceKind): SyncLink[] {
    return (this.statements.links.all({ instance, type: type ?? null }) as LinkRow[]).map(toLink)
  }

  saveLink(link: SyncLink): void {
    this.statements.saveLink.run({
      ...keyParams(link),
      downstreamId: link.downstream?.id ?? null,
      downstream: link.downstream?.data ? JSON.stringify(link.downstream.data) : null,
      applied: link.applied ? JSON.stringify(link.applied) : null,
      status: link.status,
      error: link.lastError,
      syncedAt: link.syncedAt,
    })
  }

  deleteLink(key: ResourceKey): void {
    this.statements.deleteLink.run(keyParams(key))
  }

  /** Unconfirmed operations of a resource, in the order they must run. */
  journal(key: ResourceKey): JournalEntry[] {
    return (this.statements.journal.all(keyParams(key)) as { operation: string; applied_after: string | null }[]).map((row) => ({
      operation: JSON.parse(row.operation),
      appliedAfter: row.applied_after ? JSON.parse(row.applied_after) : null,
    }))
  }

  /** Records planned operations before any runs, so a crash replays them as they were. */
  recordJournal(key: ResourceKey, entries: JournalEntry[]): void {
    this.db.transaction(() => {
      entries.forEach((entry, seq) => {
        this.statements.insertJournal.run({
          ...keyParams(key),
          opId: entry.operation.id,
          seq,
          operation: JSON.stringify(entry.operation),
          appliedAfter: entry.appliedAfter ? JSON.stringify(entry.appliedAfter) : null,
        })
      })
    })()
  }

  /** One operation succeeded: forget it and keep the link it produced, atomically. */
  confirmOperation(operationId: string, link: SyncLink | null, key: ResourceKey): void {
    this.db.transaction(() => {
      this.statements.deleteJournal.run({ opId: operationId })
      // A success ends a run of failures: the next failure starts counting afresh.
      this.statements.resetAttempts.run(keyParams(key))
      if (link) this.saveLink(link)
      else this.deleteLink(key)
    })()
  }

  /** Every queue entry of an instance (due or not), oldest first; for `scimify users` and `sync --dry-run`. */
  queueEntries(instance: string): QueueEntry[] {
    return (this.statements.queueEntries.all({ instance }) as QueueRow[]).map(toQueueEntry)
  }

  /**
   * Marks every resource of an instance dirty (and every link whose resource
   * is gone), so the next reconcile compares all of them: `scimify sync --full`.
   * Returns how many keys were marked.
   */
  markAllDirty(instance: string, now = Date.now()): number {
    return this.statements.enqueueAll.run({ instance, now }).changes
  }

  /**
   * Records the connector an instance runs with. Store-only instances queue
   * nothing, so when an instance gains a connector that syncs (or changes to
   * another one), everything it holds is queued once.
   */
  noteConnector(instance: string, connectorType: string, syncs: boolean, now = Date.now()): void {
    this.db.transaction(() => {
      const last = this.statements.instanceConnector.get({ instance }) as { connector_type: string; syncs: number } | null
      if (last && last.connector_type === connectorType && Boolean(last.syncs) === syncs) return
      this.statements.saveInstanceConnector.run({ instance, type: connectorType, syncs: Number(syncs) })
      // A first record on a database that predates this table: every write was queued then; nothing was missed.
      if (!syncs || (!last && this.statements.anyQueuedOrLinked.get({ instance }))) return
      this.markAllDirty(instance, now)
    })()
  }

  /**
   * The latest error of an instance, for `scimify status`: from its queue
   * entries and failed links. No error carries a time of its own, so "latest"
   * is the entry scheduled to run last (a queue entry before a link without one).
   */
  lastError(instance: string): string | null {
    return (this.statements.lastError.get({ instance }) as { last_error: string } | null)?.last_error ?? null
  }

  /** Counts per instance for `scimify status`. */
  counts(instance: string): { pending: number; failed: number } {
    const row = this.statements.counts.get({ instance }) as { pending: number; failed: number }
    return { pending: row.pending ?? 0, failed: row.failed ?? 0 }
  }
}

function toQueueEntry(row: QueueRow): QueueEntry {
  return {
    instance: row.instance,
    type: row.resource_type,
    id: row.resource_id,
    generation: row.generation,
    dueAt: row.due_at,
    attempts: row.attempts,
    lastError: row.last_error,
  }
}

function toLink(row: LinkRow): SyncLink {
  const link: SyncLink = {
    instance: row.instance,
    type: row.resource_type,
    id: row.resource_id,
    status: row.status,
    lastError: row.last_error,
    syncedAt: row.synced_at,
  }
  if (row.downstream_id !== null) {
    link.downstream = { id: row.downstream_id, ...(row.downstream ? { data: JSON.parse(row.downstream) } : {}) }
  }
  if (row.applied) link.applied = JSON.parse(row.applied)
  return link
}

function prepare(db: Database) {
  const key = 'instance = $instance AND resource_type = $type AND resource_id = $id'
  return {
    enqueue: db.prepare(`
      INSERT INTO sync_queue (instance, resource_type, resource_id, generation, due_at, attempts)
      VALUES ($instance, $type, $id, 1, $now, 0)
      ON CONFLICT DO UPDATE SET generation = generation + 1, due_at = min(due_at, $now)`),
    enqueueKeepingBackoff: db.prepare(`
      INSERT INTO sync_queue (instance, resource_type, resource_id, generation, due_at, attempts)
      VALUES ($instance, $type, $id, 1, $now, 0)
      ON CONFLICT DO UPDATE SET generation = generation + 1,
        due_at = CASE WHEN attempts > 0 THEN due_at ELSE min(due_at, $now) END`),
    due: db.prepare(`
      SELECT * FROM sync_queue WHERE due_at <= $now AND (claimed_until IS NULL OR claimed_until <= $now)
        AND ($instance IS NULL OR instance = $instance)
      ORDER BY due_at LIMIT $limit`),
    claim: db.prepare(`
      UPDATE sync_queue SET claimed_until = $until
      WHERE ${key} AND due_at <= $now AND (claimed_until IS NULL OR claimed_until <= $now)`),
    extendClaim: db.prepare(`UPDATE sync_queue SET claimed_until = $until WHERE ${key}`),
    release: db.prepare(`UPDATE sync_queue SET claimed_until = NULL WHERE ${key}`),
    releaseAll: db.prepare('UPDATE sync_queue SET claimed_until = NULL WHERE claimed_until IS NOT NULL'),
    queueEntry: db.prepare(`SELECT * FROM sync_queue WHERE ${key}`),
    complete: db.prepare(`DELETE FROM sync_queue WHERE ${key} AND generation = $generation`),
    reschedule: db.prepare(`
      UPDATE sync_queue SET due_at = $due, last_error = $error, attempts = attempts + $increment, claimed_until = NULL WHERE ${key}`),
    retryNow: db.prepare(`
      UPDATE sync_queue SET due_at = $now, attempts = 0 WHERE instance = $instance AND ($id IS NULL OR resource_id = $id)`),
    queueLength: db.prepare('SELECT count(*) AS n FROM sync_queue WHERE $instance IS NULL OR instance = $instance'),
    link: db.prepare(`SELECT * FROM sync_links WHERE ${key}`),
    links: db.prepare('SELECT * FROM sync_links WHERE instance = $instance AND ($type IS NULL OR resource_type = $type)'),
    saveLink: db.prepare(`
      INSERT INTO sync_links (instance, resource_type, resource_id, downstream_id, downstream, applied, status, last_error, synced_at)
      VALUES ($instance, $type, $id, $downstreamId, $downstream, $applied, $status, $error, $syncedAt)
      ON CONFLICT DO UPDATE SET downstream_id = excluded.downstream_id, downstream = excluded.downstream,
        applied = excluded.applied, status = excluded.status, last_error = excluded.last_error, synced_at = excluded.synced_at`),
    deleteLink: db.prepare(`DELETE FROM sync_links WHERE ${key}`),
    journal: db.prepare(`SELECT operation, applied_after FROM sync_operations WHERE ${key} ORDER BY seq`),
    insertJournal: db.prepare(`
      INSERT INTO sync_operations (id, instance, resource_type, resource_id, seq, operation, applied_after)
      VALUES ($opId, $instance, $type, $id, $seq, $operation, $appliedAfter)`),
    deleteJournal: db.prepare('DELETE FROM sync_operations WHERE id = $opId'),
    resetAttempts: db.prepare(`UPDATE sync_queue SET attempts = 0 WHERE ${key}`),
    queueEntries: db.prepare('SELECT * FROM sync_queue WHERE instance = $instance ORDER BY due_at, resource_type DESC, resource_id'),
    enqueueAll: db.prepare(`
      INSERT INTO sync_queue (instance, resource_type, resource_id, generation, due_at, attempts)
      SELECT instance, type, id, 1, $now, 0 FROM resources WHERE instance = $instance
      UNION
      SELECT instance, resource_type, resource_id, 1, $now, 0 FROM sync_links WHERE instance = $instance
      ON CONFLICT DO UPDATE SET generation = generation + 1, due_at = min(due_at, $now)`),
    instanceConnector: db.prepare('SELECT connector_type, syncs FROM instance_connectors WHERE instance = $instance'),
    saveInstanceConnector: db.prepare(`
      INSERT INTO instance_connectors (instance, connector_type, syncs) VALUES ($instance, $type, $syncs)
      ON CONFLICT DO UPDATE SET connector_type = excluded.connector_type, syncs = excluded.syncs`),
    anyQueuedOrLinked: db.prepare(`
      SELECT 1 FROM sync_queue WHERE instance = $instance UNION ALL SELECT 1 FROM sync_links WHERE instance = $instance LIMIT 1`),
    lastError: db.prepare(`
      SELECT last_error FROM (
        SELECT last_error, due_at AS at FROM sync_queue WHERE instance = $instance AND last_error IS NOT NULL
        UNION ALL
        SELECT last_error, NULL AS at FROM sync_links WHERE instance = $instance AND status = 'failed' AND last_error IS NOT NULL
      ) ORDER BY at IS NULL, at DESC LIMIT 1`),
    counts: db.prepare(`
      SELECT (SELECT count(*) FROM sync_queue WHERE instance = $instance) AS pending,
             (SELECT count(*) FROM sync_links WHERE instance = $instance AND status = 'failed') AS failed`),
  }
}
