import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { useTempDirs } from '../../test/support/temp-dir'
import { connectors } from '../../connectors'
import { fakeDownstreamApp, configWithConnector } from '../../test/support/fake-app'
import { GROUP, newUser, scimClient } from '../../test/support/app'
import { createApp } from '../app'
import type { Config } from '../config/schema'
import { ConnectorRegistry } from '../connector/registry'
import { memoryLogger } from '../log'

const tempDir = useTempDirs()

/** `alpha` on the directory connector (store only), on a database file; and the same config on the fake app. */
function setup() {
  const dir = tempDir('scimify-store-only')
  const fake = fakeDownstreamApp()
  const registry = new ConnectorRegistry([...connectors, fake.definition])
  const { config: onFake, key } = configWithConnector(fake.definition.type)
  const storeOnly: Config = { ...onFake, instances: onFake.instances.map((i) => ({ ...i, connector: { type: 'directory', settings: {} } })) }
  const open = (config: Config) => {
    const app = createApp(config, { databasePath: join(dir, 'scimify.db'), logger: memoryLogger(), registry, syncBackoff: { baseMs: 1, capMs: 5, failedAfter: 3 } })
    return { app, scim: scimClient(app, { id: 'alpha', key: key.secret, keyId: key.id }) }
  }
  return { fake, storeOnly, onFake, open }
}

async function seed(scim: ReturnType<typeof scimClient>) {
  const ann = (await scim.post('/Users', newUser('ann'))).body.id as string
  await scim.post('/Users', newUser('bob'))
  await scim.post('/Groups', { schemas: [GROUP], displayName: 'Engineering', members: [{ value: ann }] })
}

describe('a store-only instance', () => {
  test('queues nothing for the sync engine: its writes are kept, nothing is reconciled', async () => {
    const { storeOnly, open } = setup()
    const { app, scim } = open(storeOnly)
    await seed(scim)
    expect(app.store.countByType('alpha')).toEqual({ users: 2, groups: 1 })
    expect(app.syncState.queueLength('alpha')).toBe(0)
    await app.close()
  })

  test('that gains a connector while running (config reload) has everything it holds queued once, and provisioned', async () => {
    const { fake, storeOnly, onFake, open } = setup()
    const { app, scim } = open(storeOnly)
    await seed(scim)
    app.applyConfig(onFake)
    expect(app.syncState.queueLength('alpha')).toBe(3)
    // The same config again queues nothing more.
    app.applyConfig(onFake)
    for (let i = 0; i < 50 && app.syncState.queueLength('alpha') > 0; i++) await app.sync.runDue('alpha')
    expect([...fake.users.values()].map((u) => u.userName).sort()).toEqual(['ann', 'bob'])
    expect([...fake.groups.values()].map((g) => g.displayName)).toEqual(['Engineering'])
    await app.close()
  })

  test('that starts with a connector after running store-only has everything queued at start; a restart on the same connector queues nothing', async () => {
    const { fake, storeOnly, onFake, open } = setup()
    const first = open(storeOnly)
    await seed(first.scim)
    await first.app.close()

    const second = open(onFake).app
    expect(second.syncState.queueLength('alpha')).toBe(3)
    for (let i = 0; i < 50 && second.syncState.queueLength('alpha') > 0; i++) await second.sync.runDue('alpha')
    expect(fake.users.size).toBe(2)
    await second.close()

    const third = open(onFake).app
    expect(third.syncState.queueLength('alpha')).toBe(0)
    await third.close()
  })
})
