/**
 * The webhook connector under the sync engine, in memory: SCIM writes go in
 * through the app, the engine runs with a fast backoff, and a local receiver
 * (which can be told to misbehave) records what comes out.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import * as v from 'valibot'
import { createApp, type App } from '../../src/app'
import { generateApiKey } from '../../src/auth/api-key'
import { withReferenceContext } from '../../src/config/references'
import type { Config } from '../../src/config/schema'
import { memoryLogger } from '../../src/log'
import { GROUP, newUser, PATCH_OP, scimClient, testInstanceConfig } from '../../test/support/app'
import { deliveriesOf, replayEvents, startWebhookReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver'
import { webhookConnector, type WebhookEvent } from '.'

const SECRET = 'whsec-sync-test-7d2e0b91c4'
const BACKOFF = { baseMs: 10, capMs: 100, failedAfter: 3 }

const running: { app: App; receiver: WebhookReceiver }[] = []
afterEach(async () => {
  for (const { app, receiver } of running.splice(0)) {
    await app.close()
    await receiver.stop()
  }
})

function setup({ timeoutMs = 300 } = {}) {
  const receiver = startWebhookReceiver(SECRET)
  // Through the connector's own schema, as a config file would be read.
  const settings = withReferenceContext({ env: { HOOK_SECRET: SECRET }, baseDir: '/nonexistent' }, () =>
    v.parse(webhookConnector.settings, { url: receiver.url, secret: '${env:HOOK_SECRET}', timeout_ms: timeoutMs }),
  )
  const key = generateApiKey()
  const config: Config = {
    // One public URL for SCIM answers and event bodies, so they can be compared whole.
    server: { listen: '127.0.0.1:0', database: ':memory:', public_url: 'https://scim.example.com', audit_retention: '90d' },
    instances: [testInstanceConfig('hooks', key, { connector: { type: 'webhook', settings } })],
  }
  const logger = memoryLogger()
  const app = createApp(config, { databasePath: ':memory:', logger, syncBackoff: BACKOFF })
  running.push({ app, receiver })
  const scim = scimClient(app, { id: 'hooks', key: key.secret, keyId: key.id })

  /**
   * Runs the engine until `done()`. runDue returns when nothing is due now;
   * a key in backoff is due a little later, hence the loop.
   */
  async function syncUntil(done: () => boolean, withinMs = 5_000): Promise<void> {
    const deadline = Date.now() + withinMs
    for (;;) {
      await app.sync.runDue()
      if (done()) return
      if (Date.now() > deadline) throw new Error(`not done within ${withinMs} ms; received: ${summary(receiver.events)}`)
      await Bun.sleep(5)
    }
  }
  const syncAll = (withinMs?: number) => syncUntil(() => app.syncState.queueLength() === 0, withinMs)
  const link = (type: 'User' | 'Group', id: string) => app.syncState.link({ instance: 'hooks', type, id })

  const createUser = async (userName: string, extra: Record<string, unknown> = {}) => {
    const response = await scim.post('/Users', newUser(userName, extra))
    expect(response.status).toBe(201)
    return response.body as { id: string } & Record<string, unknown>
  }
  const createGroup = async (displayName: string, memberIds: string[]) => {
    const response = await scim.post('/Groups', { schemas: [GROUP], displayName, members: memberIds.map((value) => ({ value })) })
    expect(response.status).toBe(201)
    return response.body as { id: string } & Record<string, unknown>
  }
  const patch = async (path: string, Operations: unknown[]) => {
    const response = await scim.patch(path, { schemas: [PATCH_OP], Operations })
    expect(response.status).toBeLessThan(300)
  }
  return { app, receiver, scim, logger, syncUntil, syncAll, link, createUser, createGroup, patch }
}

/** `type resource-id [member]`, for messages and compact assertions. */
function summary(events: WebhookEvent[]): string[] {
  return events.map((e) => [e.type, e.resource.id, e.member?.value].filter(Boolean).join(' '))
}
const about = (events: WebhookEvent[], id: string) => events.filter((e) => e.resource.id === id || e.member?.value === id)
const types = (events: WebhookEvent[]) => events.map((e) => e.type)
const indexOf = (events: WebhookEvent[], type: string, id: string, member?: string) =>
  events.findIndex((e) => e.type === type && e.resource.id === id && (member === undefined || e.member?.value === member))

describe('webhook connector under the sync engine', () => {
  test("a user's life: each change is one event, in order, carrying the user as stored", async () => {
    const s = setup()
    const created = await s.createUser('ann')
    await s.syncAll()
    await s.patch(`/Users/${created.id}`, [{ op: 'replace', path: 'title', value: 'Engineer' }])
    await s.syncAll()
    const updated = (await s.scim.get(`/Users/${created.id}`)).body
    await s.patch(`/Users/${created.id}`, [{ op: 'Replace', path: 'active', value: 'False' }])
    await s.syncAll()
    await s.patch(`/Users/${created.id}`, [{ op: 'replace', value: { active: true } }])
    await s.syncAll()
    expect((await s.scim.delete(`/Users/${created.id}`)).status).toBe(204)
    await s.syncAll()

    const events = s.receiver.events
    expect(types(events)).toEqual(['user.created', 'user.updated', 'user.deactivated', 'user.reactivated', 'user.deleted'])
    expect(events[0]).toMatchObject({ type: 'user.created', instance: 'hooks', resource: created })
    expect(events[1].resource).toEqual(updated)
    expect(events[2].resource).toMatchObject({ id: created.id, active: false, title: 'Engineer' })
    expect(events[4].resource).toEqual({ id: created.id })
    // One delivery each, all verified; event times are when each change was planned.
    expect(s.receiver.deliveries.map((d) => [d.verified, d.redelivery])).toEqual(Array(5).fill([true, false]))
    expect(new Set(events.map((e) => e.id)).size).toBe(5)
    expect([...events.map((e) => e.time)].sort()).toEqual(events.map((e) => e.time))
    expect(s.link('User', created.id)).toBeUndefined()
  })

  test('a group is created before its members are added; renames, removals and deletion follow', async () => {
    const s = setup()
    const ann = await s.createUser('ann')
    const bob = await s.createUser('bob')
    const group = await s.createGroup('Eng', [ann.id])
    await s.syncAll()

    let events = s.receiver.events
    expect(indexOf(events, 'user.created', ann.id)).toBeLessThan(indexOf(events, 'group.member_added', group.id, ann.id))
    expect(indexOf(events, 'group.created', group.id)).toBeLessThan(indexOf(events, 'group.member_added', group.id, ann.id))
    expect(events[indexOf(events, 'group.member_added', group.id)]).toMatchObject({
      resource: { id: group.id, displayName: 'Eng' },
      member: { value: ann.id },
    })
    expect(Object.keys(events[indexOf(events, 'group.member_added', group.id)].resource).sort()).toEqual(['displayName', 'id'])

    await s.patch(`/Groups/${group.id}`, [
      { op: 'replace', path: 'displayName', value: 'Engineering' },
      { op: 'add', path: 'members', value: [{ value: bob.id }] },
      { op: 'remove', path: `members[value eq "${ann.id}"]` },
    ])
    await s.syncAll()
    expect((await s.scim.delete(`/Groups/${group.id}`)).status).toBe(204)
    await s.syncAll()

    events = s.receiver.events.filter((e) => e.resource.id === group.id)
    expect(summary(events)).toEqual([
      `group.created ${group.id}`,
      `group.member_added ${group.id} ${ann.id}`,
      `group.updated ${group.id}`,
      `group.member_removed ${group.id} ${ann.id}`,
      `group.member_added ${group.id} ${bob.id}`,
      `group.deleted ${group.id}`,
    ])
    expect(events[2].resource).toMatchObject({ displayName: 'Engineering', members: [{ value: bob.id }] })
    expect(events.find((e) => e.type === 'group.member_removed')!.resource).toEqual({ id: group.id, displayName: 'Engineering' })
  })

  test('a PATCH that changes nothing (Entra re-sending the same values) and a PUT of the same content send nothing', async () => {
    const s = setup()
    const ann = await s.createUser('ann')
    const bob = await s.createUser('bob')
    const group = await s.createGroup('Eng', [ann.id])
    await s.syncAll()
    const delivered = s.receiver.deliveries.length
    expect(delivered).toBe(4)

    await s.patch(`/Users/${ann.id}`, [
      { op: 'Replace', path: 'active', value: 'True' },
      { op: 'Replace', value: { 'name.givenName': 'Ann', 'name.familyName': 'Lee' } },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'ann@example.com' },
    ])
    const { meta: _meta, groups: _groups, ...same } = (await s.scim.get(`/Users/${bob.id}`)).body
    expect((await s.scim.put(`/Users/${bob.id}`, same)).status).toBe(200)
    await s.patch(`/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: ann.id }] }])
    await s.syncAll()

    expect(s.receiver.deliveries.length).toBe(delivered)
  })

  test('changes made before the engine runs coalesce into one event with the final state', async () => {
    const s = setup()
    const ann = await s.createUser('ann', { title: 'one' })
    await s.patch(`/Users/${ann.id}`, [{ op: 'replace', path: 'title', value: 'two' }])
    await s.patch(`/Users/${ann.id}`, [{ op: 'replace', path: 'displayName', value: 'Ann Lee' }])
    await s.syncAll()
    expect(types(s.receiver.events)).toEqual(['user.created'])
    expect(s.receiver.events[0].resource).toMatchObject({ title: 'two', displayName: 'Ann Lee' })

    for (const title of ['three', 'four', 'five']) await s.patch(`/Users/${ann.id}`, [{ op: 'replace', path: 'title', value: title }])
    await s.syncAll()
    expect(types(s.receiver.events)).toEqual(['user.created', 'user.updated'])
    expect(s.receiver.events[1].resource).toEqual((await s.scim.get(`/Users/${ann.id}`)).body)
    expect(s.receiver.events[1].resource.title).toBe('five')
    expect(s.receiver.deliveries).toHaveLength(2)
  })

  test("a member added before the user is downstream is delivered after the user's user.created", async () => {
    const s = setup()
    s.receiver.misbehave({ kind: 'fail', status: 503 }, { times: Infinity, when: (e) => e.type === 'user.created' })
    const ann = await s.createUser('ann')
    const group = await s.createGroup('Eng', [ann.id])
    await s.syncUntil(() => deliveriesOf(s.receiver, s.receiver.deliveries.find((d) => d.event?.type === 'user.created')!.event!.id).length >= 3)

    // The group went ahead without its member, who is not downstream yet.
    expect(summary(s.receiver.events)).toEqual([`group.created ${group.id}`])
    s.receiver.recover()
    await s.syncAll()

    expect(summary(s.receiver.events)).toEqual([`group.created ${group.id}`, `user.created ${ann.id}`, `group.member_added ${group.id} ${ann.id}`])
  })

  test('deleting a user who is a member sends user.deleted and group.member_removed', async () => {
    const s = setup()
    const ann = await s.createUser('ann')
    const bob = await s.createUser('bob')
    const group = await s.createGroup('Eng', [ann.id, bob.id])
    await s.syncAll()
    const before = s.receiver.events.length

    expect((await s.scim.delete(`/Users/${ann.id}`)).status).toBe(204)
    await s.syncAll()

    expect(summary(s.receiver.events.slice(before)).sort()).toEqual([`group.member_removed ${group.id} ${ann.id}`, `user.deleted ${ann.id}`].sort())
    expect(about(s.receiver.events, bob.id).map((e) => e.type)).toEqual(['user.created', 'group.member_added'])
  })

  test('a misbehaving receiver (500s, 429, a hang, lost acknowledgements) gets every change once in effect', async () => {
    const s = setup({ timeoutMs: 200 })
    s.receiver.misbehave({ kind: 'fail' }, { times: 2 })
    // On a user event: a group's wait can be cut short by its members (see the retry-after test below).
    s.receiver.misbehave({ kind: 'rate-limit', retryAfterSeconds: 1 }, { when: (e) => e.type.startsWith('user.') })
    s.receiver.misbehave({ kind: 'hang', ms: 600 })
    s.receiver.misbehave({ kind: 'drop-ack' }, { times: 2 })
    const users = [await s.createUser('ann'), await s.createUser('bob'), await s.createUser('cy')]
    const group = await s.createGroup('Eng', [users[0].id, users[1].id])
    await s.patch(`/Users/${users[2].id}`, [{ op: 'replace', path: 'title', value: 'Boss' }])
    await s.syncAll(10_000)

    const { events, deliveries } = s.receiver
    // 6 changes: 3 users, the group, 2 memberships; each misbehaviour costs exactly one more delivery.
    expect(events).toHaveLength(6)
    expect(new Set(events.map((e) => e.id)).size).toBe(6)
    expect(deliveries).toHaveLength(12)
    expect(deliveries.filter((d) => d.redelivery)).toHaveLength(6)
    expect(deliveries.map((d) => d.outcome).sort()).toEqual(
      expect.arrayContaining(['drop-ack', 'drop-ack', 'fail', 'fail', 'hang', 'rate-limit', 'duplicate']),
    )
    // Redeliveries are the same event: same id, same bytes; and every one was signed.
    expect(s.receiver.bodyMismatches).toEqual([])
    expect(deliveries.every((d) => d.verified)).toBe(true)
    // A lost acknowledgement was redelivered and dropped by id, not processed twice.
    const dropped = deliveries.filter((d) => d.outcome === 'drop-ack').map((d) => d.event!.id)
    for (const id of dropped) expect(events.filter((e) => e.id === id)).toHaveLength(1)
    // The 429 asked for a second; the engine waited at least that long.
    const limited = deliveries.find((d) => d.outcome === 'rate-limit')!
    const next = deliveriesOf(s.receiver, limited.event!.id).find((d) => d.at > limited.at)!
    expect(next.at - limited.at).toBeGreaterThanOrEqual(990)

    expect(replayEvents(events).problems).toEqual([])
    expect(events.find((e) => e.resource.id === users[2].id)!.resource.title).toBe('Boss')
    for (const user of users) expect(indexOf(events, 'user.created', user.id)).toBeGreaterThanOrEqual(0)
    expect(indexOf(events, 'group.created', group.id)).toBeLessThan(indexOf(events, 'group.member_added', group.id, users[0].id))
    for (const member of users.slice(0, 2)) {
      expect(indexOf(events, 'user.created', member.id)).toBeLessThan(indexOf(events, 'group.member_added', group.id, member.id))
    }
  })

  // Engine issue, reported with a proposed fix: SyncStore.markDirty sets due_at = min(due_at, now), so
  // when a member reaches the app, the engine's re-plan of its groups cuts short a retry-after the app
  // asked for. Turn this into test() once the fix is in.
  test('a group waiting out a retry-after is not retried early when one of its members arrives', async () => {
    const s = setup()
    s.receiver.misbehave({ kind: 'rate-limit', retryAfterSeconds: 1 }, { when: (e) => e.type === 'group.created' })
    // Two quick failures (10-30 ms of backoff) make the member arrive after the group's 429 was recorded.
    s.receiver.misbehave({ kind: 'fail' }, { times: 2, when: (e) => e.type === 'user.created' })
    const ann = await s.createUser('ann')
    await s.createGroup('Eng', [ann.id])
    await s.syncAll()

    const [limited, retried] = s.receiver.deliveries.filter((d) => d.event?.type === 'group.created')
    expect(limited.outcome).toBe('rate-limit')
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(990)
  })

  test('a resource that keeps failing shows as failed while others flow, and recovers when the receiver does', async () => {
    const s = setup()
    const bad = await s.createUser('bad')
    s.receiver.misbehave({ kind: 'fail' }, { times: Infinity, when: (e) => e.resource.id === bad.id })
    const good = await s.createUser('good')
    await s.syncUntil(() => s.link('User', bad.id)?.status === 'failed')

    expect(s.link('User', bad.id)).toMatchObject({ status: 'failed', lastError: expect.stringContaining('answered 500') })
    const badAttempts = () => s.receiver.deliveries.filter((d) => d.event?.resource.id === bad.id)
    expect(badAttempts().length).toBeGreaterThanOrEqual(BACKOFF.failedAfter)
    expect(summary(s.receiver.events)).toEqual([`user.created ${good.id}`])

    // Others keep flowing while it fails.
    const later = await s.createUser('later')
    await s.patch(`/Users/${good.id}`, [{ op: 'replace', path: 'title', value: 'Still here' }])
    await s.syncUntil(() => s.receiver.events.length === 3)
    expect(summary(s.receiver.events).slice(1).sort()).toEqual([`user.created ${later.id}`, `user.updated ${good.id}`].sort())
    expect(s.link('User', bad.id)?.status).toBe('failed')

    s.receiver.recover()
    await s.syncUntil(() => s.link('User', bad.id)?.status === 'synced', 2_000)
    const attempts = badAttempts()
    expect(new Set(attempts.map((d) => d.event!.id)).size).toBe(1)
    expect(new Set(attempts.map((d) => d.body)).size).toBe(1)
    expect(about(s.receiver.events, bad.id).map((e) => e.type)).toEqual(['user.created'])
    expect(s.app.syncState.queueLength()).toBe(0)

    // Failures were logged, and neither the secret nor a signature was.
    const log = s.logger.lines.join('')
    expect(log).toContain('downstream operation failed')
    expect(log).not.toContain(SECRET)
    for (const delivery of s.receiver.deliveries) expect(log).not.toContain(delivery.signature!.slice('sha256='.length))
  })
})
