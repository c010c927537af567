/**
 * @module Test fixture for the commands that read the database: a temp
 * config file with two instances (`demo` with a key, `other`) on the
 * `queue-only` test connector (queued like a real one, nothing downstream),
 * its database beside it, and the app opened on it to put state in.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectors } from '../../connectors'
import { GROUP, newUser, scimClient } from '../../test/support/app'
import { createApp, type App } from '../app'
import { generateApiKey } from '../auth/api-key'
import { loadConfigFile } from '../config/load'
import type { Config } from '../config/schema'
import { ConnectorRegistry } from '../connector/registry'
import { memoryLogger } from '../log'
import { queueOnlyConnector } from '../../test/support/queue-only-connector'

/** The connectors of the fixture's config: the built-in ones and `queue-only`. */
export const fixtureRegistry = () => new ConnectorRegistry([...connectors, queueOnlyConnector])

export interface DatabaseFixture {
  dir: string
  configPath: string
  /** Where the config file's `server.database` (`./data/scimify.db`) resolves to. */
  databasePath: string
  /** The API key of `demo`, to check that no command prints it. */
  secret: string
  config(): Config
  /** Opens the app on the database (creating it); close it before running a command. */
  open(): App
  client(app: App): ReturnType<typeof scimClient>
  databaseExists(): boolean
  remove(): void
}

export function databaseFixture(options: { demoEnabled?: boolean } = {}): DatabaseFixture {
  const dir = mkdtempSync(join(tmpdir(), 'scimify-cli-'))
  const configPath = join(dir, 'config.yaml')
  const databasePath = join(dir, 'data', 'scimify.db')
  const key = generateApiKey()
  writeFileSync(
    configPath,
    [
      'server:',
      '  database: ./data/scimify.db',
      'instances:',
      '  - id: demo',
      `    enabled: ${options.demoEnabled ?? true}`,
      '    connector:',
      '      type: queue-only',
      '    keys:',
      `      - id: "${key.id}"`,
      `        hash: ${key.hash}`,
      '        created: 2026-01-01T00:00:00Z',
      '  - id: other',
      '    connector:',
      '      type: queue-only',
      '',
    ].join('\n'),
  )
  const config = () => {
    const loaded = loadConfigFile(configPath, fixtureRegistry(), {})
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues))
    return loaded.config
  }
  return {
    dir,
    configPath,
    databasePath,
    secret: key.secret,
    config,
    open: () => createApp(config(), { databasePath, logger: memoryLogger(), registry: fixtureRegistry() }),
    client: (app) => scimClient(app, { id: 'demo', key: key.secret, keyId: key.id }),
    databaseExists: () => existsSync(databasePath),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

export interface SeededDemo {
  ann: string
  bob: string
  cat: string
  eng: string
}

/** Errors the seeded state carries, and when their retries are due (after the real clock, so `runDue` leaves them). */
export const BOB_ERROR = 'HTTP 500 from the app'
export const CAT_ERROR = 'rate limited'

/**
 * Users ann, bob, cat (inactive) and group Engineering (ann) in `demo`,
 * written over SCIM. With `reconcile`, the engine then runs (nothing downstream:
 * everything becomes synced) and three states are put in: ann synced with a
 * downstream link, bob failed with a link, cat pending after an error.
 */
export async function seedDemo(fixture: DatabaseFixture, options: { reconcile?: boolean } = {}): Promise<SeededDemo> {
  const app = fixture.open()
  try {
    const client = fixture.client(app)
    const user = async (userName: string, active = true) => {
      const response = await client.post('/Users', newUser(userName, { active }))
      if (response.status !== 201) throw new Error(JSON.stringify(response.body))
      return response.body.id as string
    }
    const ann = await user('ann')
    const bob = await user('bob')
    const cat = await user('cat', false)
    const eng = (await client.post('/Groups', { schemas: [GROUP], displayName: 'Engineering', members: [{ value: ann }] })).body.id as string
    if (options.reconcile === false) return { ann, bob, cat, eng }

    await app.sync.runDue('demo')
    const key = (id: string) => ({ instance: 'demo', type: 'User' as const, id })
    const later = Date.now() + 60 * 60 * 1000
    app.syncState.saveLink({ ...key(ann), downstream: { id: 'gh-ann' }, status: 'synced', lastError: null, syncedAt: '2026-01-31T11:00:00Z' })
    app.syncState.markDirty(key(bob))
    app.syncState.reschedule(key(bob), later + 1000, BOB_ERROR, true)
    app.syncState.saveLink({ ...key(bob), downstream: { id: 'gh-bob' }, status: 'failed', lastError: BOB_ERROR, syncedAt: null })
    app.syncState.markDirty(key(cat))
    app.syncState.reschedule(key(cat), later, CAT_ERROR, true)
    return { ann, bob, cat, eng }
  } finally {
    await app.close()
  }
}
