import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { connectors } from '../../connectors'
import { fakeDownstreamApp } from '../../test/support/fake-app'
import type { App } from '../app'
import { ConnectorRegistry } from '../connector/registry'
import type { ResourceKey } from '../store/sync'
import type { InstanceRuntime } from '../sync/engine'
import { instanceRuntimes } from '../sync/runtime'
import { makeStatusCommand } from './status'
import { driftSummary, makeSyncCommand, planLines } from './sync'
import { BOB_ERROR, CAT_ERROR, databaseFixture, seedDemo, type DatabaseFixture } from './test-database'
import { runCommand } from './test-harness'

let fixture: DatabaseFixture
beforeEach(() => {
  fixture = databaseFixture()
})
afterEach(() => fixture.remove())

const sync = (...args: string[]) => runCommand(makeSyncCommand, ['sync', ...args, '--config', fixture.configPath])
const statusOf = async (instance: string) => JSON.parse((await runCommand(makeStatusCommand, ['status', instance, '--json', '--config', fixture.configPath])).stdout)[0]

async function withApp<T>(work: (app: App) => T | Promise<T>): Promise<T> {
  const app = fixture.open()
  try {
    return await work(app)
  } finally {
    await app.close()
  }
}

describe('scimify sync', () => {
  test('reconciles what is queued and says what is left', async () => {
    await seedDemo(fixture, { reconcile: false })
    // Progress goes to stderr: plain lines off a terminal.
    expect(await sync('demo')).toEqual({ stdout: 'reconciled 4 resources of demo: 0 pending, 0 failed\n', stderr: 'reconciling demo: 4/4\n', exitCode: 0 })
    expect(await statusOf('demo')).toMatchObject({ pending: 0, failed: 0 })
    expect(await sync('demo')).toEqual({ stdout: 'reconciled 0 resources of demo: 0 pending, 0 failed\n', stderr: '', exitCode: 0 })
  })

  test('exit 1 while resources wait after errors; they are listed on stderr', async () => {
    const ids = await seedDemo(fixture)
    expect(await sync('demo')).toEqual({
      stdout: 'reconciled 0 resources of demo: 2 pending, 1 failed\n',
      stderr: `reconciling demo: 0/2\nnot synced: User ${ids.cat} cat: ${CAT_ERROR}\nnot synced: User ${ids.bob} bob: ${BOB_ERROR}\n`,
      exitCode: 1,
    })
  })

  test('--full compares every resource, also those waiting for a retry, and records the full reconcile', async () => {
    await seedDemo(fixture)
    expect(await statusOf('demo')).toMatchObject({ lastFullSync: null })
    expect(await sync('demo', '--full')).toEqual({
      stdout:
        'full reconcile of demo: every resource compared; drift not checked (the connector cannot list the app)\n' +
        'reconciled 4 resources of demo: 0 pending, 0 failed\n',
      stderr: 'reconciling demo: 4/4\n',
      exitCode: 0,
    })
    const after = await statusOf('demo')
    expect(after).toMatchObject({ pending: 0, failed: 0, lastError: null })
    expect(Date.now() - Date.parse(after.lastFullSync)).toBeLessThan(60_000)
    expect(await statusOf('other')).toMatchObject({ pending: 0, lastFullSync: null })
  })

  test('--dry-run changes nothing and prints the plan (empty for a connector that provisions nothing)', async () => {
    await seedDemo(fixture)
    const queued = () => withApp((app) => app.syncState.queueEntries('demo'))
    const before = await queued()
    expect(await sync('demo', '--dry-run')).toEqual({ stdout: 'dry run of demo: 2 resources compared, 0 operations planned, nothing changed\n', stderr: '', exitCode: 0 })
    expect(await sync('demo', '--dry-run', '--full')).toEqual({ stdout: 'dry run of demo: 4 resources compared, 0 operations planned, nothing changed\n', stderr: '', exitCode: 0 })
    expect(await queued()).toEqual(before)
  })

  test('a disabled instance is refused (its queue would be pushed back an hour)', async () => {
    fixture.remove()
    fixture = databaseFixture({ demoEnabled: false })
    await withApp(() => {})
    for (const args of [['demo'], ['demo', '--dry-run']]) {
      expect(await sync(...args)).toEqual({ stdout: '', stderr: 'instance "demo" is disabled (enabled: false): nothing is synced for it\n', exitCode: 1 })
    }
  })

  test('an unknown instance; usage errors', async () => {
    await seedDemo(fixture)
    expect(await sync('nope')).toEqual({ stdout: '', stderr: 'unknown instance "nope"\n', exitCode: 1 })
    expect((await runCommand(makeSyncCommand, ['sync'])).stderr).toBe("error: missing required argument 'instance'\n")
  })
})

describe('planLines (sync --dry-run against a connector that provisions)', () => {
  // demo as if its connector provisioned users and groups: the runtime the engine would build for it.
  const fake = fakeDownstreamApp()
  const runtimeOf = (): InstanceRuntime => {
    const config = fixture.config()
    const instances = config.instances.map((i) => (i.id === 'demo' ? { ...i, connector: { type: fake.definition.type, settings: {} } } : i))
    return instanceRuntimes({ ...config, instances }, new ConnectorRegistry([...connectors, fake.definition])).get('demo')!
  }

  test('one line per operation: type, resource id, userName or displayName; nothing is written', async () => {
    const ids = await seedDemo(fixture, { reconcile: false })
    await withApp((app) => {
      const keys = app.syncState.queueEntries('demo')
      const before = JSON.stringify([keys, app.syncState.links('demo')])
      // cat is inactive and was never downstream: it stays out. ann is not downstream yet: the group waits for her.
      expect(planLines(app, runtimeOf(), keys).sort()).toEqual(
        [`user.created ${ids.ann} ann`, `user.created ${ids.bob} bob`, `group.created ${ids.eng} Engineering`].sort(),
      )
      expect(JSON.stringify([app.syncState.queueEntries('demo'), app.syncState.links('demo')])).toBe(before)
    })
  })

  test('uses links as the engine does: member adds once the member is downstream, deletes of resources gone', async () => {
    const ids = await seedDemo(fixture, { reconcile: false })
    await withApp(async (app) => {
      const client = fixture.client(app)
      const applied = (id: string, type: 'User' | 'Group', appliedState: object) =>
        app.syncState.saveLink({ instance: 'demo', type, id, downstream: { id: `d-${id}` }, applied: appliedState, status: 'synced', lastError: null, syncedAt: null })
      applied(ids.ann, 'User', { active: true, attributes: 'old' })
      applied(ids.bob, 'User', { active: true, attributes: 'old' })
      applied(ids.eng, 'Group', { attributes: 'old', members: [] })
      await client.delete(`/Users/${ids.bob}`)
      const keys: ResourceKey[] = [
        { instance: 'demo', type: 'User', id: ids.ann },
        { instance: 'demo', type: 'User', id: ids.bob },
        { instance: 'demo', type: 'Group', id: ids.eng },
      ]
      const lines = planLines(app, runtimeOf(), keys)
      expect(lines).toEqual([
        `user.updated ${ids.ann} ann`,
        `user.deleted ${ids.bob} -`,
        `group.updated ${ids.eng} Engineering`,
        `group.member_added ${ids.eng} Engineering`,
      ])
    })
  })

  test('operations journaled and not confirmed come first, as they are', async () => {
    const ids = await seedDemo(fixture, { reconcile: false })
    await withApp((app) => {
      const key = { instance: 'demo', type: 'User' as const, id: ids.bob }
      app.syncState.recordJournal(key, [
        { operation: { id: 'op-1', time: '2026-01-31T11:00:00Z', type: 'user.deactivated', resource: { id: ids.bob, userName: 'bob' } }, appliedAfter: { active: false } },
      ])
      expect(planLines(app, runtimeOf(), [key])).toEqual([`user.deactivated ${ids.bob} bob`])
    })
  })
})

describe('driftSummary', () => {
  const none = { missing: [], membership: [], unmanaged: [], repaired: false, pruned: 0 }
  test('what the full reconcile found and did', () => {
    expect(driftSummary('demo', none)).toBe('full reconcile of demo: drift 0 missing, 0 with other members, 0 unmanaged (nothing to repair)')
    expect(
      driftSummary('demo', {
        ...none,
        missing: [{ type: 'User', id: 'a', downstreamId: 'u1' }],
        unmanaged: [{ type: 'User', downstreamId: 'u9' }],
        repaired: true,
        pruned: 1,
      }),
    ).toBe('full reconcile of demo: drift 1 missing, 0 with other members, 1 unmanaged (repaired, 1 unmanaged removed)')
    expect(driftSummary('demo', { ...none, membership: [{ id: 'g', extra: ['a'], absent: [] }] })).toBe(
      'full reconcile of demo: drift 0 missing, 1 with other members, 0 unmanaged (reported only)',
    )
  })
})
