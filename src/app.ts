/**
 * @module Wires the parts into one app: store, keyring of the config in
 * force, HTTP, sync engine. Nothing here listens, reads files or starts the
 * engine; `serve` does that.
 *
 * @example
 *   const app = createApp(config, { databasePath: ':memory:' })
 *   const response = await app.handle(new Request('http://localhost/healthz'))
 */
import type { Database } from 'bun:sqlite'
import { connectors } from '../connectors'
import { Keyring } from './auth/keyring'
import { schemasOfInstance } from './config/extensions'
import type { Config } from './config/schema'
import { ConnectorRegistry } from './connector/registry'
import type { InstanceSchemas } from './scim/schemas/instance'
import { AuthThrottle } from './http/auth-throttle'
import { CidrSet } from './net/cidr'
import type { InstanceHealth } from './http/deps'
import { requestLimits } from './http/request-limits'
import { createMetricsHandler } from './http/modules/metrics/listener'
import { createFetchHandler, createHttpApp } from './http/server'
import { createLogger, type Logger } from './log'
import { createScimifyMetrics, type ScimifyMetrics } from './metrics/scimify'
import { startCheckpointer } from './store/checkpointer'
import { openDatabase } from './store/db'
import { AuditLog } from './store/audit'
import { ResourceStore } from './store/resources'
import { SyncStore } from './store/sync'
import { SyncRuns } from './store/sync-runs'
import type { BackoffPolicy } from './sync/backoff'
import { SyncEngine, type SyncObserver } from './sync/engine'
import { DownstreamHealthTracker } from './sync/health'
import { instanceRuntimes } from './sync/runtime'

export interface AppOptions {
  /** Where the database is; `:memory:` for tests. */
  databasePath: string
  logger?: Logger
  /** The connectors config `type`s refer to; the built-in list by default. */
  registry?: ConnectorRegistry
  /** Retry timing of the sync engine (tests shorten it). */
  syncBackoff?: BackoffPolicy
  /** Checkpoint the WAL on a worker thread, off the request path (`serve`). */
  backgroundCheckpoints?: boolean
}

export interface App {
  /**
   * Handles one request, with the access log line. `peer`: the address the
   * connection came from (Bun's `server.requestIP`); unknown in memory.
   */
  handle(request: Request, peer?: string): Promise<Response>
  /** Handles a request to the metrics listener of its own (`server.metrics.listen`). */
  handleMetrics(request: Request): Response
  /** Puts a new config in force (keys, instances, `enabled`) for the next request. */
  applyConfig(config: Config): void
  /** The resource types and schemas of an instance of the config in force. */
  schemasOf(instance: string): InstanceSchemas
  /** Where the server listens, for resource URLs sent downstream when there is no `public_url`. */
  setListenOrigin(origin: string): void
  config(): Config
  readonly store: ResourceStore
  /** The sync engine; `serve` starts it, tests run it with `runDue()`. */
  readonly sync: SyncEngine
  readonly syncState: SyncStore
  readonly audit: AuditLog
  readonly syncRuns: SyncRuns
  readonly metrics: ScimifyMetrics
  /** Stops the sync engine at a safe point and closes the database. */
  close(): Promise<void>
}

export function createApp(initialConfig: Config, options: AppOptions): App {
  const logger = options.logger ?? createLogger()
  const db: Database = openDatabase(options.databasePath, initialConfig.server.durability)
  const checkpointer = options.backgroundCheckpoints && options.databasePath !== ':memory:' ? startCheckpointer(db, options.databasePath, logger) : undefined
  const registry = options.registry ?? new ConnectorRegistry(connectors)
  let config = initialConfig
  const syncState = new SyncStore(db)
  let syncing = noteConnectors(config, registry, syncState)
  const store = new ResourceStore(db, syncState, (instance) => syncing.has(instance))
  const audit = new AuditLog(db)
  const runs = new SyncRuns(db)
  let keyring = new Keyring(config)
  let schemas = schemasByInstance(config, registry)
  let trustedProxies = new CidrSet(config.server.trusted_proxies ?? [])
  let limits = requestLimits(config.server.limits)
  let listenOrigin: string | undefined
  const metrics = createScimifyMetrics({ queueDepths: () => config.instances.map((i) => [i.id, syncState.queueLength(i.id)]) })
  const health = new DownstreamHealthTracker()
  const observer: SyncObserver = {
    operationSucceeded: (instance) => health.record(instance, false),
    operationFailed(instance) {
      health.record(instance, true)
      metrics.syncFailure(instance)
    },
    retrying: (instance) => metrics.syncRetry(instance),
  }
  const runtimesOf = (next: Config) => instanceRuntimes(next, registry, listenOrigin, metrics.downstreamCall)
  let runtimes = runtimesOf(config)
  const sync = new SyncEngine({ resources: store, sync: syncState, runs, audit, logger, instances: () => runtimes, backoff: options.syncBackoff, observer })

  const deps = {
    store,
    keyring: () => keyring,
    schemas: (instance: string) => schemas.get(instance)!,
    publicUrl: () => config.server.public_url,
    logger,
    audit,
    metrics,
    instanceIds: () => new Set(config.instances.map((i) => i.id)),
    // With a listener of its own, /metrics is served there only.
    metricsToken: () => (config.server.metrics?.listen ? undefined : config.server.metrics?.token),
    instanceHealth: (): InstanceHealth[] =>
      [...runtimes.values()].map((runtime) => ({
        instance: runtime.id,
        connector: config.instances.find((i) => i.id === runtime.id)?.connector.type ?? 'unknown',
        ...health.of(runtime.id),
      })),
    limits: () => limits,
    trustedProxies: () => trustedProxies,
    authThrottle: new AuthThrottle(),
  }
  const handle = createFetchHandler(createHttpApp(deps), deps)

  return {
    handle,
    handleMetrics: createMetricsHandler({ metrics, token: () => config.server.metrics?.token, logger }),
    applyConfig(next) {
      config = next
      syncing = noteConnectors(next, registry, syncState)
      keyring = new Keyring(next)
      schemas = schemasByInstance(next, registry)
      trustedProxies = new CidrSet(next.server.trusted_proxies ?? [])
      limits = requestLimits(next.server.limits)
      runtimes = runtimesOf(next)
    },
    schemasOf: (instance) => schemas.get(instance)!,
    setListenOrigin(origin) {
      listenOrigin = origin
      runtimes = runtimesOf(config)
    },
    config: () => config,
    store,
    sync,
    syncState,
    audit,
    syncRuns: runs,
    metrics,
    async close() {
      await sync.stop()
      store.flush()
      await checkpointer?.stop()
      db.close()
    },
  }
}

/**
 * The instances whose connector syncs (has something downstream): only their
 * writes are queued for the engine. Records each instance's connector, which
 * queues everything of an instance that has just gained one.
 */
function noteConnectors(config: Config, registry: ConnectorRegistry, syncState: SyncStore): Set<string> {
  const syncing = new Set<string>()
  for (const instance of config.instances) {
    const syncs = registry.get(instance.connector.type)?.create !== undefined
    if (syncs) syncing.add(instance.id)
    syncState.noteConnector(instance.id, instance.connector.type, syncs)
  }
  return syncing
}

function schemasByInstance(config: Config, registry: ConnectorRegistry): Map<string, InstanceSchemas> {
  return new Map(config.instances.map((instance) => [instance.id, schemasOfInstance(instance, registry)]))
}
