/**
 * @module Wires the parts into one app: store, keyring of the config in
 * force, HTTP. Nothing here listens or reads files; `serve` does that.
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
import { ResourceStore } from './store/resources'

export interface AppOptions {
  /** Where the database is; `:memory:` for tests. */
  databasePath: string
  logger?: Logger
  /** The connectors config `type`s refer to; the built-in list by default. */
  registry?: ConnectorRegistry
}

export interface App {
  /** Handles one request, with the access log line. */
  handle(request: Request): Promise<Response>
  /** Puts a new config in force (keys, instances, `enabled`) for the next request. */
  applyConfig(config: Config): void
  config(): Config
  readonly store: ResourceStore
  close(): void
}

export function createApp(initialConfig: Config, options: AppOptions): App {
  const logger = options.logger ?? createLogger()
  const db: Database = openDatabase(options.databasePath)
  const store = new ResourceStore(db)
  const registry = options.registry ?? new ConnectorRegistry(connectors)
  let config = initialConfig
  let keyring = new Keyring(config)
  let schemas = schemasByInstance(config, registry)

  const deps = {
    store,
    keyring: () => keyring,
    schemas: (instance: string) => schemas.get(instance)!,
    publicUrl: () => config.server.public_url,
    logger,
  }
  const handle = createFetchHandler(createHttpApp(deps), deps)

  return {
    handle,
    applyConfig(next) {
      config = next
      keyring = new Keyring(next)
      schemas = schemasByInstance(next, registry)
    },
    config: () => config,
    store,
    close() {
      db.close()
    },
  }
}

function schemasByInstance(config: Config, registry: ConnectorRegistry): Map<string, InstanceSchemas> {
  return new Map(config.instances.map((instance) => [instance.id, schemasOfInstance(instance, registry)]))
}
