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
import { createFetchHandler, createHttpApp } from './http/server'
import { createLogger, type Logger } from './log'
import { openDatabase } from './store/db'
import { AuditLog } from './store/audit'
import { ResourceStore } from './store/resources'
import { SyncStore } from './store/sync'
import { SyncRuns } from './store/sync-runs'
import type { BackoffPolicy } from './sync/backoff'
import { SyncEngine } from './sync/engine'
import { instanceRuntimes } from './sync/runtime'

export interface AppOptions {
  /** Where the database is; `:memory:` for tests. */
  databasePath: string
  logger?: Logger
  /** The connectors config `type`s refer to; the built-in list by default. */
  registry?: ConnectorRegistry
  /** Retry timing of the sync engine (tests shorten it). */
  syncBackoff?: BackoffPolicy
}

export interface App {
  /** Handles one request, with the access log line. */
  handle(request: Request): Promise<Response>
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
  /** Stops the sync engine at a safe point and closes the database. */
  close(): Promise<void>
}

export function createApp(initialConfig: Config, options: AppOptions): App {
  const logger = options.logger ?? createLogger()
  const db: Database = openDatabase(options.databasePath)
  const syncState = new SyncStore(db)
  const store = new ResourceStore(db, syncState)
  const audit = new AuditLog(db)
  const runs = new SyncRuns(db)
  const registry = options.registry ?? new ConnectorRegistry(connectors)
  let config = initialConfig
  let keyring = new Keyring(config)
  let schemas = schemasByInstance(config, registry)
  let listenOrigin: string | undefined
  let runtimes = instanceRuntimes(config, registry)
  const sync = new SyncEngine({ resources: store, sync: syncState, runs, audit, logger, instances: () => runtimes, backoff: options.syncBackoff })

  const deps = {
    store,
    keyring: () => keyring,
    schemas: (instance: string) => schemas.get(instance)!,
    publicUrl: () => config.server.public_url,
    logger,
    audit,
  }
  const handle = createFetchHandler(createHttpApp(deps), deps)

  return {
    handle,
    applyConfig(next) {
      config = next
      keyring = new Keyring(next)
      schemas = schemasByInstance(next, registry)
      runtimes = instanceRuntimes(next, registry, listenOrigin)
    },
    schemasOf: (instance) => schemas.get(instance)!,
    setListenOrigin(origin) {
      listenOrigin = origin
      runtimes = instanceRuntimes(config, registry, listenOrigin)
    },
    config: () => config,
    store,
    sync,
    syncState,
    audit,
    syncRuns: runs,
    async close() {
      await sync.stop()
      db.close()
    },
  }
}

function schemasByInstance(config: Config, registry: ConnectorRegistry): Map<string, InstanceSchemas> {
  return new Map(config.instances.map((instance) => [instance.id, schemasOfInstance(instance, registry)]))
}
