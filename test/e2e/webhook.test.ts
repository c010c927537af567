/**
 * End-to-end test of the webhook connector on the real executable: scimify is
 * killed (SIGKILL) while a slow receiver holds deliveries, then restarted;
 * every change still reaches the receiver once in effect, in order per
 * resource, and the webhook secret never reaches the log.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { newUser, PATCH_OP, GROUP } from '../support/app'
import { replayEvents, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver'
import { bearer, eventually, runScimify, startServer, tempDir, type RunningServer } from './support'

const SECRET = `whsec-e2e-${crypto.randomUUID()}`
const ENV = { SCIMIFY_TEST_WEBHOOK_SECRET: SECRET }
/** How long the receiver holds each acknowledgement before the kill: long enough to kill scimify inside it. */
const HOLD_MS = 4_000

const servers: RunningServer[] = []
const receivers: WebhookReceiver[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop('SIGKILL')
  for (const receiver of receivers.splice(0)) await receiver.stop()
})

function writeWebhookConfig(dir: string, url: string): string {
  const path = join(dir, 'config.yaml')
  const text = `server:
  listen: "127.0.0.1:0"
  database: "./state/scimify.db"
instances:
  - id: hooks
    connector:
      type: webhook
      url: "${url}"
      secret: \${env:SCIMIFY_TEST_WEBHOOK_SECRET}
      timeout_ms: 8000
    keys: []
`
  writeFileSync(path, text)
  return path
}

function scim(server: RunningServer, key: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}/scim/v2/hooks${path}`, { method, headers: bearer(key), body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await response.text()
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`)
    return text ? JSON.parse(text) : undefined
  }
  return {
    post: (path: string, body: unknown) => call('POST', path, body),
    patch: (path: string, Operations: unknown[]) => call('PATCH', path, { schemas: [PATCH_OP], Operations }),
    delete: (path: string) => call('DELETE', path),
    get: (path: string) => call('GET', path),
  }
}

/** Without meta and groups: those carry the server's URL, which differs between the config (port 0) and the real port. */
function attributes(resource: Record<string, unknown>): Record<string, unknown> {
  const { meta: _meta, groups: _groups, ...rest } = resource
  return rest
}

describe('webhook connector, end to end', () => {
  test('killed while deliveries are in flight and restarted, scimify delivers every change once in effect, in order', async () => {
    const receiver = startWebhookReceiver(SECRET)
    receivers.push(receiver)
    const config = writeWebhookConfig(tempDir(), receiver.url)
    const created = await runScimify(['keys', 'create', 'hooks', '--config', config], { env: ENV })
    expect(created.exitCode).toBe(0)
    const key = created.stdout.trim()

    // Phase 1: the receiver processes each event at once but holds its acknowledgement.
    receiver.misbehave({ kind: 'slow-ack', ms: HOLD_MS }, { times: Infinity })
    const first = await startServer(['--config', config], { env: ENV })
    servers.push(first)
    let api = scim(first, key)
    const [ann, bob, cy, dee] = await Promise.all(['ann', 'bob', 'cy', 'dee'].map((name) => api.post('/Users', newUser(name))))
    const eng = await api.post('/Groups', { schemas: [GROUP], displayName: 'Eng', members: [{ value: ann.id }, { value: bob.id }] })
    expect(await eventually(async () => receiver.inFlight() >= 2, 5_000)).toBe(true)

    // More changes while those deliveries hang: queued behind them, or coalesced.
    await api.patch(`/Users/${ann.id}`, [{ op: 'replace', path: 'title', value: 'Lead' }])
    await api.patch(`/Users/${cy.id}`, [{ op: 'replace', path: 'active', value: false }])
    await api.delete(`/Users/${dee.id}`)
    await api.patch(`/Groups/${eng.id}`, [
      { op: 'replace', path: 'displayName', value: 'Engineering' },
      { op: 'remove', path: `members[value eq "${bob.id}"]` },
    ])
    const killedAt = Date.now()
    const heldAtKill = receiver.deliveries.filter((d) => d.outcome === 'slow-ack' && d.at > killedAt - HOLD_MS).map((d) => d.event!.id)
    expect(heldAtKill.length).toBeGreaterThanOrEqual(1)
    expect(await first.stop('SIGKILL')).not.toBe(0)
    const deliveredBeforeKill = receiver.deliveries.length

    // Phase 2: a restart, a receiver that answers again (after two more failures), and one more change.
    receiver.recover()
    receiver.misbehave({ kind: 'fail' }, { times: 2 })
    const second = await startServer(['--config', config], { env: ENV })
    servers.push(second)
    api = scim(second, key)
    const eve = await api.post('/Users', newUser('eve'))
    await api.patch(`/Groups/${eng.id}`, [{ op: 'add', path: 'members', value: [{ value: eve.id }] }])

    // What the receiver should end up with, from scimify's own state.
    const users = (await api.get('/Users?count=100')).Resources as Record<string, any>[]
    const group = await api.get(`/Groups/${eng.id}`)
    const converged = () => {
      const { state } = replayEvents(receiver.events)
      const activeUsers = users.filter((u) => u.active !== false)
      return (
        activeUsers.every((u) => state.users.get(u.id)?.active && Bun.deepEquals(attributes(state.users.get(u.id)!.resource), attributes(u))) &&
        [...state.users.keys()].every((id) => users.some((u) => u.id === id)) &&
        state.groups.get(eng.id)?.displayName === group.displayName &&
        Bun.deepEquals([...state.groups.get(eng.id)!.members].sort(), group.members.map((m: { value: string }) => m.value).sort())
      )
    }
    expect(await eventually(async () => converged(), 20_000)).toBe(true)
    // Settled: nothing more arrives once the receiver has everything.
    const settled = receiver.events.length
    await Bun.sleep(1_500)
    expect(receiver.events.length).toBe(settled)

    const { state, problems } = replayEvents(receiver.events)
    expect(problems).toEqual([])
    expect([...state.groups.get(eng.id)!.members].sort()).toEqual([ann.id, eve.id].sort())
    expect(state.users.has(dee.id)).toBe(false)
    expect(state.users.get(cy.id)?.active ?? false).toBe(false)
    expect(state.users.get(ann.id)!.resource.title).toBe('Lead')

    // The events held at the kill came again after the restart: same id, same bytes, processed once.
    const redeliveries = receiver.deliveries.slice(deliveredBeforeKill).filter((d) => d.redelivery)
    for (const id of heldAtKill) expect(redeliveries.some((d) => d.event!.id === id)).toBe(true)
    expect(receiver.bodyMismatches).toEqual([])
    expect(receiver.deliveries.every((d) => d.verified)).toBe(true)
    expect(new Set(receiver.events.map((e) => e.id)).size).toBe(receiver.events.length)

    const log = first.log() + second.log()
    expect(log).toContain('downstream operation failed')
    expect(log).not.toContain(SECRET)
    for (const delivery of receiver.deliveries) expect(log).not.toContain(delivery.signature!.slice('sha256='.length))
    console.info(
      `webhook e2e: ${receiver.deliveries.length} deliveries, ${receiver.events.length} events processed, ` +
        `${receiver.deliveries.filter((d) => d.redelivery).length} redeliveries (${heldAtKill.length} held at the kill)`,
    )
  }, 45_000)
})
