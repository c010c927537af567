/** @module What the connector's operation modules share: the client, the settings, and what it learned while running. */
import type { SyncOperation } from '../../src/connector/types'
import type { GraphqlClient } from './client'
import type { BuildkiteSettings } from './settings'

export interface ConnectorContext {
  client: GraphqlClient
  settings: BuildkiteSettings
  /** SCIM group id → team node id, learned from group operations (for the teams of new invitations). */
  teamsByGroup: Map<string, string>
  /**
   * Whether the operation may have run before: it failed in this process
   * already, or it was planned before the connector started (a replay after
   * a crash). Then what it creates is looked for before it is made again.
   */
  mayBeReplay(operation: SyncOperation): boolean
}

/** Failed operation ids remembered; beyond this the oldest are forgotten. */
const REMEMBERED_FAILURES = 10_000

export function createContext(client: GraphqlClient, settings: BuildkiteSettings, now: () => number = Date.now) {
  const startedAt = now()
  const failed = new Set<string>()
  const context: ConnectorContext = {
    client,
    settings,
    teamsByGroup: new Map(),
    mayBeReplay: (operation) => failed.has(operation.id) || Date.parse(operation.time) < startedAt,
  }
  /** Remembers an operation that failed: the engine will hand it over again. */
  const failedOnce = (operation: SyncOperation) => {
    if (failed.size >= REMEMBERED_FAILURES) failed.delete(failed.values().next().value!)
    failed.add(operation.id)
  }
  return { context, failedOnce }
}
