/**
 * Import and drift with the webhook connector: the receiver tells its state at
 * `state_url`; scimify links what it finds and puts back what was changed by hand.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import * as v from 'valibot'
import { createApp, type App } from '../../src/app'
import { generateApiKey } from '../../src/auth/api-key'
import { withReferenceContext } from '../../src/config/references'
import type { Config } from '../../src/config/schema'
import { memoryLogger } from '../../src/log'
import { importDownstream } from '../../src/sync/import'
import { GROUP, newUser, PATCH_OP, scimClient, testInstanceConfig } from '../../test/support/app'
import { replayEvents, startWebhookReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver'
import { webhookConnector } from '.'

const SECRET = 'whsec-state-test-51c0e2'
const running: { app: App; receiver: WebhookReceiver }[] = []
afterEach(async () => {
  for (const { app, receiver } of running.splice(0)) {
    await app.close()
    await receiver.stop()
  }
})

function setup() {
  const receiver = startWebhookReceiver(SECRET)
  const settings = withReferenceContext({ env: { HOOK_SECRET: SECRET }, baseDir: '/nonexistent' }, () =>
    v.parse(webhookConnector.settings, { url: receiver.url, state_url: receiver.stateUrl, secret: '${env:HOOK_SECRET}', timeout_ms: 500 }),
  )
  const key = generateApiKey()
  const config: Config = {
    server: { listen: '127.0.0.1:0', database: ':memory:', audit_retention: '90d' },
    instances: [testInstanceConfig('hooks', key, { connector: { type: 'webhook', settings } })],
  }
  const app = createApp(config, { databasePath: ':memory:', logger: memoryLogger(), syncBackoff: { baseMs: 10, capMs: 50, failedAfter: 3 } })
  running.push({ app, receiver })
  const scim = scimClient(app, { id: 'hooks', key: key.secret, keyId: key.id })
  const settle = async () => {
    for (let i = 0; i < 300 && app.syncState.queueLength('hooks') > 0; i++) {
      await app.sync.runDue('hooks')
      await Bun.sleep(5)
    }
  }
  const connector = () => webhookConnector.create(settings, { instance: 'hooks', http: { fetch: (url, init) => fetch(url, init) } })
  return { app, receiver, scim, settle, connector }
}

describe('webhook state_url', () => {
  test('drift made by hand in the receiver is repaired: a deleted user and a removed membership come back', async () => {
    const { app, receiver, scim, settle } = setup()
    const ann = (await scim.post('/Users', newUser('ann'))).body.id
    const group = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Eng', members: [{ value: ann }] })).body.id
    await settle()
    expect(receiver.state().groups.get(group)!.members.has(ann)).toBe(true)

    receiver.editState((state) => state.groups.get(group)?.members.delete(ann))
    const report = await app.sync.reconcileFull('hooks')
    expect(report.membership).toEqual([{ id: group, extra: [], absent: [ann] }])
    await settle()
    expect(receiver.events.at(-1)).toMatchObject({ type: 'group.member_added', resource: { id: group }, member: { value: ann } })

    // The edit is undone by the re-add; now the user disappears by hand.
    receiver.editState((state) => state.users.delete(ann))
    const second = await app.sync.reconcileFull('hooks')
    expect(second.missing).toEqual([{ type: 'User', id: ann, downstreamId: ann }])
    await settle()
    expect(receiver.events.slice(-2).map((e) => e.type)).toEqual(['user.created', 'group.member_added'])
    expect(replayEvents(receiver.events.slice(0, 3)).problems).toEqual([])
  })

  test('import links the receiver\'s users and groups; the IdP finds them and nothing is sent twice', async () => {
    const { app, receiver, scim, settle, connector } = setup()
    receiver.editState((state) => {
      state.users.set('r-1', { resource: { id: 'r-1', userName: 'ann-local', emails: [{ value: 'ann@example.com' }] }, active: true })
      state.groups.set('r-g', { displayName: 'Ops', members: new Set(['r-1']) })
    })
    const report = await importDownstream({
      instance: 'hooks',
      connector: connector(),
      schemas: app.schemasOf('hooks'),
      baseUrl: 'http://localhost/scim/v2/hooks',
      match: 'email',
      resources: app.store,
      sync: app.syncState,
    })
    expect(report.users).toEqual({ linked: 0, created: 1, alreadyLinked: 0 })
    expect(report.groups).toEqual({ linked: 0, created: 1, alreadyLinked: 0 })
    await settle()
    expect(receiver.events).toEqual([])

    const found = (await scim.get(`/Users?filter=${encodeURIComponent('userName eq "ann@example.com"')}`)).body
    expect(found.totalResults).toBe(1)
    await scim.patch(`/Users/${found.Resources[0].id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] })
    await settle()
    expect(receiver.events.map((e) => [e.type, e.downstreamId])).toEqual([['user.updated', 'r-1']])
  })
})
