/**
 * A realistic session in memory, every log line captured (as JSON, as
 * journald gets it, and as text): keys made with `scimify keys`, SCIM
 * traffic with right and wrong keys, a webhook connector with a signing
 * secret that fails and is rate-limited, scrapes of /metrics with its token.
 * No line may hold any key, secret, token or signature used.
 */
import { afterEach, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectors } from '../connectors'
import { createApp, type App } from './app'
import { makeKeysCommand } from './cli/keys'
import { runCommand } from './cli/test-harness'
import { loadConfigFile } from './config/load'
import { ConnectorRegistry } from './connector/registry'
import { memoryLogger, type Logger } from './log'
import { GROUP, newUser, PATCH_OP, scimClient } from '../test/support/app'
import { startWebhookReceiver, type WebhookReceiver } from '../test/support/webhook-receiver'

const HOOK_SECRET = 'whsec-session-8c41f07d2b'
const METRICS_TOKEN = 'mtok-session-61d0b9e3aa'
const env = { HOOK_SECRET, SCIMIFY_METRICS_TOKEN: METRICS_TOKEN }

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const step of cleanup.reverse()) await step()
  cleanup = []
})

function configText(hookUrl: string): string {
  return `server:
  database: ":memory:"
  metrics:
    token: \${env:SCIMIFY_METRICS_TOKEN}
instances:
  - id: hooks
    connector:
      type: webhook
      url: ${hookUrl}
      secret: \${env:HOOK_SECRET}
      timeout_ms: 200
    keys: []
  - id: demo
    connector:
      type: directory
    keys: []
`
}

async function createKey(path: string, instance: string): Promise<string> {
  const run = await runCommand(makeKeysCommand, ['keys', 'create', instance, '--config', path], { env })
  expect(run.exitCode).toBe(0)
  return run.stdout.trim()
}

/** Writes every line both ways: JSON (what journald gets) and text (a terminal). */
function capturingLogger() {
  const json = memoryLogger('json')
  const text = memoryLogger('text')
  const both = (level: keyof Logger): Logger[typeof level] => (message, fields) => {
    json[level](message, fields)
    text[level](message, fields)
  }
  const logger: Logger = { info: both('info'), warn: both('warn'), error: both('error') }
  return { logger, lines: () => [...json.lines, ...text.lines], jsonLines: () => json.lines.map((line) => JSON.parse(line)) }
}

test('no log line holds a key, a secret, a token or a signature', async () => {
  const receiver: WebhookReceiver = startWebhookReceiver(HOOK_SECRET)
  cleanup.push(() => receiver.stop())
  const dir = mkdtempSync(join(tmpdir(), 'scimify-secrets-'))
  cleanup.push(async () => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'config.yaml')
  writeFileSync(path, configText(receiver.url))

  const hooksKey = await createKey(path, 'hooks')
  const demoKey = await createKey(path, 'demo')
  const revokedKey = await createKey(path, 'hooks')
  const revoked = await runCommand(makeKeysCommand, ['keys', 'revoke', 'hooks', revokedKey.split('_')[1]!, '--config', path], { env })
  expect(revoked.exitCode).toBe(0)

  const registry = new ConnectorRegistry(connectors)
  const loaded = loadConfigFile(path, registry, env)
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues))
  const capture = capturingLogger()
  const app: App = createApp(loaded.config, { databasePath: ':memory:', logger: capture.logger, registry, syncBackoff: { baseMs: 5, capMs: 20, failedAfter: 3 } })
  cleanup.push(() => app.close())

  // The identity provider's traffic, with the right keys.
  const hooks = scimClient(app, { id: 'hooks', key: hooksKey, keyId: '' })
  const demo = scimClient(app, { id: 'demo', key: demoKey, keyId: '' })
  const ann = (await hooks.post('/Users', newUser('ann'))).body
  const bob = (await hooks.post('/Users', newUser('bob'))).body
  await hooks.post('/Groups', { schemas: [GROUP], displayName: 'Eng', members: [{ value: ann.id }, { value: bob.id }] })
  await hooks.patch(`/Users/${ann.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] })
  await hooks.get('/Users?filter=userName%20eq%20%22ann%22')
  await demo.post('/Users', newUser('cy'))
  await demo.call('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [{ method: 'POST', bulkId: 'x', path: '/Users', data: newUser('dee') }] })
  await demo.get('/Users/does-not-exist')
  await demo.post('/Users', { schemas: ['nope'] })

  // Wrong keys, every way a caller gets them wrong.
  const tampered = hooksKey.slice(0, -1) + (hooksKey.endsWith('A') ? 'B' : 'A')
  const wrong: Record<string, string>[] = [
    { authorization: `Bearer ${demoKey}` }, // another instance's key
    { authorization: `Bearer ${revokedKey}` },
    { authorization: `Bearer ${tampered}` },
    { authorization: `Bearer ${hooksKey.slice(0, 30)}` },
    { authorization: `Bearer ${hooksKey}extra` },
    { authorization: `Basic ${btoa(`user:${hooksKey}`)}` },
    { authorization: hooksKey },
    { authorization: `Bearer ${METRICS_TOKEN}` },
    { authorization: 'Bearer', 'x-api-key': hooksKey },
  ]
  for (const headers of wrong) {
    const response = await app.handle(new Request('http://localhost/scim/v2/hooks/Users', { headers }))
    expect(response.status).toBe(401)
  }
  // A key where it does not belong: in the query string, and as the request id (64 allowed characters).
  expect((await app.handle(new Request(`http://localhost/scim/v2/hooks/Users?access_token=${hooksKey}`))).status).toBe(401)
  const echoed = await app.handle(new Request('http://localhost/healthz', { headers: { 'x-request-id': hooksKey } }))
  expect(echoed.headers.get('x-request-id')).toBe(hooksKey) // back to the caller who sent it, and only there

  // Scrapes, with and without the token.
  for (const authorization of [`Bearer ${METRICS_TOKEN}`, `Bearer ${METRICS_TOKEN}0`, `Bearer ${hooksKey}`]) {
    await app.handle(new Request('http://localhost/metrics', { headers: { authorization } }))
  }

  // The webhook receiver fails, then rate-limits, then takes everything.
  receiver.misbehave({ kind: 'fail' }, { times: 2 })
  receiver.misbehave({ kind: 'rate-limit', retryAfterSeconds: 0 })
  receiver.misbehave({ kind: 'hang', ms: 400 })
  for (let i = 0; i < 300 && app.syncState.queueLength() > 0; i++) {
    await app.sync.runDue()
    await Bun.sleep(10)
  }
  expect(app.syncState.queueLength()).toBe(0)
  expect(receiver.deliveries.length).toBeGreaterThan(5)

  const lines = capture.lines()
  const secrets = [
    hooksKey,
    demoKey,
    revokedKey,
    tampered,
    METRICS_TOKEN,
    HOOK_SECRET,
    // The secret parts alone, and a stretch of each, in case a key was cut or wrapped.
    ...[hooksKey, demoKey, revokedKey].flatMap((key) => [key.slice(21), key.slice(30, 50)]),
    btoa(`user:${hooksKey}`),
    ...receiver.deliveries.map((d) => d.signature!.replace(/^sha256=/, '')),
  ]
  for (const line of lines) for (const secret of secrets) expect(line).not.toContain(secret)

  // The session was logged, so the absence above means something.
  const json = capture.jsonLines()
  expect(json.filter((line) => line.msg === 'request').length).toBeGreaterThan(20)
  // Each wrong key, the key in the query string, and the two refused scrapes.
  expect(json.filter((line) => line.msg === 'request' && line.status === 401).length).toBe(wrong.length + 3)
  expect(json.some((line) => line.msg === 'downstream operation failed')).toBe(true)
  expect(json.every((line) => typeof line.request_id === 'string' || line.msg !== 'request')).toBe(true)
  // The request id that was a key is logged with its secret part redacted.
  expect(json.some((line) => line.request_id === `scimify_${hooksKey.split('_')[1]}_[REDACTED]`)).toBe(true)
}, 20_000)
