/**
 * @module Test helpers for the github connector: its settings pointed at a
 * fake GitHub, and an app (SCIM API + sync engine on an in-memory database)
 * whose instance `alpha` runs the connector against it.
 */
import * as v from 'valibot'
import { createGithubConnector, githubConnector, type GithubSettings } from '../../connectors/github'
import { Secret } from '../../src/config/references'
import type { InstanceConfig } from '../../src/config/schema'
import { createHttpClient } from '../../src/connector/http-client'
import type { ConnectorDefinition, DownstreamLink, ScimResourceJson, SyncOperation } from '../../src/connector/types'
import { appWithConnector } from '../support/fake-app'
import type { FakeGithub } from './fake-github'

/** A pending membership looks again this soon in tests (10 minutes in production). */
export const PENDING_RECHECK_MS = 20

export function settingsFor(github: FakeGithub): GithubSettings {
  return { org: 'acme', api_url: github.url, token: new Secret(github.token) }
}

/** The connector alone, for tests that hand it operations. */
export function connectorFor(github: FakeGithub, options: { settings?: Partial<GithubSettings>; now?: () => number } = {}) {
  return createGithubConnector(
    { ...settingsFor(github), ...options.settings },
    { http: createHttpClient({ timeoutMs: 2_000 }), pendingRecheckMs: PENDING_RECHECK_MS, now: options.now },
  )
}

/** One operation as the engine hands it over (fresh id, planned now). */
export function operation(type: SyncOperation['type'], resource: ScimResourceJson, extra: { link?: DownstreamLink; member?: unknown } = {}): SyncOperation {
  return { id: crypto.randomUUID(), time: new Date().toISOString(), type, resource, ...extra } as SyncOperation
}

export function githubApp(github: FakeGithub, sync: Partial<InstanceConfig['sync']> = {}) {
  // The real definition (schema extension, capabilities) under a type of its own, with settings fixed to the fake.
  const definition = {
    ...githubConnector,
    type: 'github-fake',
    settings: v.strictObject({}),
    create: (_settings, deps) => createGithubConnector(settingsFor(github), { http: deps.http, pendingRecheckMs: PENDING_RECHECK_MS }),
  } satisfies ConnectorDefinition<object>
  const { app, scim } = appWithConnector(definition, sync)

  /** Runs the engine until `done()`, within `withinMs`. */
  async function syncUntil(done: () => boolean, withinMs = 5_000): Promise<void> {
    const deadline = Date.now() + withinMs
    for (;;) {
      await app.sync.runDue('alpha')
      if (done()) return
      if (Date.now() > deadline) throw new Error(`sync not done within ${withinMs} ms; last errors: ${lastErrors().slice(0, 5).join(' | ')}`)
      await Bun.sleep(5)
    }
  }
  const settle = (withinMs?: number) => syncUntil(() => app.syncState.queueLength('alpha') === 0, withinMs)
  const link = (type: 'User' | 'Group', id: string) => app.syncState.link({ instance: 'alpha', type, id })
  const lastErrors = () =>
    [...app.syncState.links('alpha', 'User'), ...app.syncState.links('alpha', 'Group')].filter((l) => l.lastError).map((l) => `${l.type} ${l.id}: ${l.lastError}`)

  return { app, scim, syncUntil, settle, link, lastErrors, reconcileFull: () => app.sync.reconcileFull('alpha') }
}
