/**
 * @module Test setup for the Buildkite connector: settings pointing at a fake
 * server (parsed by the connector's own schema, as a config file would be),
 * and an app whose instance `alpha` syncs to it, with a bounded `settle()`.
 */
import * as v from 'valibot'
import { buildkiteConnector, type BuildkiteSettings } from '../../connectors/buildkite'
import { createApp, type App } from '../../src/app'
import { generateApiKey } from '../../src/auth/api-key'
import { withReferenceContext } from '../../src/config/references'
import type { Config, InstanceConfig } from '../../src/config/schema'
import { memoryLogger } from '../../src/log'
import { scimClient, testInstanceConfig } from '../support/app'
import type { FakeBuildkite } from './server'

/** Settings for the fake, through the connector's schema (the token as an `${env:…}` reference). */
export function fakeSettings(fake: FakeBuildkite, extra: Record<string, unknown> = {}): BuildkiteSettings {
  return withReferenceContext({ env: { BUILDKITE_TOKEN: fake.token }, baseDir: '/nonexistent' }, () =>
    v.parse(buildkiteConnector.settings, { org: fake.org.slug, graphql_url: fake.url, token: '${env:BUILDKITE_TOKEN}', ...extra }),
  )
}

/** Entries due later than this count as waiting on purpose (an invitation recheck), not as work left. */
const LATER_MS = 30_000

export function buildkiteApp(fake: FakeBuildkite, extra: Record<string, unknown> = {}, sync: Partial<InstanceConfig['sync']> = {}) {
  const key = generateApiKey()
  const instance = testInstanceConfig('alpha', key, { connector: { type: 'buildkite', settings: fakeSettings(fake, extra) } })
  instance.sync = { ...instance.sync, full_interval: '0s', ...sync }
  const config: Config = { server: { listen: '127.0.0.1:0', database: ':memory:', audit_retention: '90d' }, instances: [instance] }
  const logger = memoryLogger()
  const app: App = createApp(config, { databasePath: ':memory:', logger, syncBackoff: { baseMs: 1, capMs: 5, failedAfter: 3 } })
  const scim = scimClient(app, { id: 'alpha', key: key.secret, keyId: key.id })

  /**
   * Runs the engine until nothing is due soon: the queue is empty, or what is
   * left waits on purpose (a membership rechecking a pending invitation).
   * Bounded in time.
   */
  async function settle(withinMs = 5_000): Promise<void> {
    const deadline = Date.now() + withinMs
    for (;;) {
      await app.sync.runDue('alpha')
      const entries = app.syncState.queueEntries('alpha')
      if (entries.every((entry) => entry.dueAt > Date.now() + LATER_MS)) return
      if (Date.now() > deadline) {
        throw new Error(`not settled within ${withinMs} ms: ${entries.map((e) => `${e.type} ${e.id}: ${e.lastError}`).join('; ')}`)
      }
      await Bun.sleep(3)
    }
  }
  const link = (type: 'User' | 'Group', id: string) => app.syncState.link({ instance: 'alpha', type, id })
  return { app, scim, logger, settle, link, config }
}
