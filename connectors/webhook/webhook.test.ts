import { afterEach, describe, expect, test } from 'bun:test'
import * as v from 'valibot'
import { startWebhookReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver'
import { Secret, withReferenceContext } from '../../src/config/references'
import { parseConfig } from '../../src/config/load'
import { ConnectorRegistry } from '../../src/connector/registry'
import { createHttpClient, type HttpClient } from '../../src/connector/http-client'
import { RetryableError } from '../../src/connector/errors'
import type { SyncOperation } from '../../src/connector/types'
import { createWebhookConnector, verifyWebhookSignature, webhookConnector } from '.'

const SECRET = 'whsec-unit-test-4f1c9e'
const TIME = '2026-01-31T10:00:00.000Z'
const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u-1', userName: 'ann@example.com', active: true }

function parseSettings(input: Record<string, unknown>, env: Record<string, string> = { HOOK_SECRET: SECRET }) {
  return withReferenceContext({ env, baseDir: '/nonexistent' }, () => v.safeParse(webhookConnector.settings, input))
}

/** An HttpClient that records requests and answers `status`. */
function recordingHttp(status = 204) {
  const requests: { url: string; headers: Headers; body: string }[] = []
  const http: HttpClient = {
    async fetch(url, init = {}) {
      requests.push({ url, headers: new Headers(init.headers), body: String(init.body) })
      return new Response(null, { status })
    },
  }
  return { http, requests }
}

describe('webhook settings', () => {
  test('take a URL and a secret reference; timeout_ms defaults to 10 s', () => {
    const result = parseSettings({ url: 'https://hooks.example.com/scimify', secret: '${env:HOOK_SECRET}' })
    expect(result.success).toBe(true)
    expect(result.output).toMatchObject({ url: 'https://hooks.example.com/scimify', timeout_ms: 10_000 })
    expect((result.output as { secret: Secret }).secret.reveal()).toBe(SECRET)
  })

  test('refuse an inline secret, a non-URL, a non-http URL, a tiny timeout and unknown keys', () => {
    const messages = (input: Record<string, unknown>) => (parseSettings(input).issues ?? []).map((issue) => issue.message)
    const good = { url: 'https://hooks.example.com/scimify', secret: '${env:HOOK_SECRET}' }
    expect(messages({ ...good, secret: 'abc' })).toEqual(['must be a ${env:NAME} or ${file:/path} reference, not an inline secret'])
    const notHttp = ['must be an absolute http:// or https:// URL, e.g. "https://hooks.example.com/scimify"']
    expect(messages({ ...good, url: 'hooks.example.com/scimify' })).toEqual(notHttp)
    expect(messages({ ...good, url: 'ftp://hooks.example.com/' })).toEqual(notHttp)
    expect(messages({ ...good, timeout_ms: 10 })).toEqual(['must be at least 100 (milliseconds)'])
    expect(messages({ ...good, timeout_ms: 60_000 })).toEqual(['must be at most 30000 (30 seconds)'])
    expect(messages({ ...good, retries: 3 })).toHaveLength(1)
    expect(parseSettings({ url: good.url }).success).toBe(false)
  })

  test('a config file with an inline secret fails its check, naming the path and not the secret', () => {
    const text = 'instances:\n  - id: hooks\n    connector:\n      type: webhook\n      url: not a url\n      secret: abc-inline\n'
    const result = parseConfig(text, new ConnectorRegistry([webhookConnector]), {})
    expect(result.ok).toBe(false)
    const issues = result.ok ? [] : result.issues
    expect(issues.map((issue) => issue.path)).toEqual(['instances[0].connector.url', 'instances[0].connector.secret'])
    expect(JSON.stringify(issues)).not.toContain('abc-inline')
  })
})

describe('webhook connector', () => {
  const settings = { url: 'https://hooks.example.com/scimify?tenant=1', secret: new Secret(SECRET), timeout_ms: 10_000 }

  test('POSTs the event as JSON with a timestamp and a signature of "<timestamp>.<body>"', async () => {
    const { http, requests } = recordingHttp()
    const connector = createWebhookConnector(settings, { instance: 'hooks', http, now: () => Date.parse(TIME) })
    await connector.apply({ id: 'op-1', time: TIME, type: 'user.created', resource: user })

    expect(requests).toHaveLength(1)
    const [request] = requests
    expect(request.url).toBe(settings.url)
    expect(request.headers.get('content-type')).toBe('application/json')
    expect(request.headers.get('x-scimify-timestamp')).toBe(String(Date.parse(TIME) / 1000))
    expect(JSON.parse(request.body)).toEqual({ id: 'op-1', type: 'user.created', instance: 'hooks', time: TIME, resource: user })
    const signature = request.headers.get('x-scimify-signature')
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(verifyWebhookSignature(SECRET, request.headers.get('x-scimify-timestamp'), request.body, signature, { now: Date.parse(TIME) })).toBe(true)
  })

  test('a redelivery has the same body byte for byte, and a fresh timestamp and signature', async () => {
    const { http, requests } = recordingHttp()
    let now = Date.parse(TIME)
    const connector = createWebhookConnector(settings, { instance: 'hooks', http, now: () => now })
    const operation: SyncOperation = { id: 'op-1', time: TIME, type: 'user.updated', resource: user }
    await connector.apply(operation)
    now += 90_000
    // The engine replays an operation from its journal, as parsed JSON.
    await connector.apply(JSON.parse(JSON.stringify(operation)))

    const [first, second] = requests
    expect(second.body).toBe(first.body)
    expect(second.headers.get('x-scimify-timestamp')).not.toBe(first.headers.get('x-scimify-timestamp'))
    expect(second.headers.get('x-scimify-signature')).not.toBe(first.headers.get('x-scimify-signature'))
    for (const request of [first, second]) {
      const verify = () => verifyWebhookSignature(SECRET, request.headers.get('x-scimify-timestamp'), request.body, request.headers.get('x-scimify-signature'), { now })
      expect(verify()).toBe(true)
    }
  })

  test('links what it created by SCIM id, unlinks what it deleted, keeps the link otherwise', async () => {
    const { http } = recordingHttp(200)
    const connector = createWebhookConnector(settings, { instance: 'hooks', http })
    const group = { id: 'g-1', displayName: 'Admins' }
    const apply = (operation: Omit<SyncOperation, 'id' | 'time'>) => connector.apply({ id: crypto.randomUUID(), time: TIME, ...operation } as SyncOperation)
    expect(await apply({ type: 'user.created', resource: user })).toEqual({ link: { id: 'u-1' } })
    expect(await apply({ type: 'group.created', resource: group })).toEqual({ link: { id: 'g-1' } })
    expect(await apply({ type: 'user.deactivated', resource: user })).toEqual({})
    expect(await apply({ type: 'group.member_added', resource: group, member: { value: 'u-1' } } as never)).toEqual({})
    expect(await apply({ type: 'user.deleted', resource: { id: 'u-1' } })).toEqual({ link: null })
    expect(await apply({ type: 'group.deleted', resource: group })).toEqual({ link: null })
  })

  test('a non-2xx answer is an error naming the status, never the secret or the signature', async () => {
    for (const status of [301, 400, 401, 404]) {
      const { http, requests } = recordingHttp(status)
      const connector = createWebhookConnector(settings, { instance: 'hooks', http })
      const error = await connector.apply({ id: 'op-1', time: TIME, type: 'user.created', resource: user }).catch((e: Error) => e)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toBe(`POST https://hooks.example.com/scimify answered ${status}, not 2xx`)
      expect((error as Error).message).not.toContain(requests[0].headers.get('x-scimify-signature')!.slice(7))
    }
  })
})

describe('webhook connector over HTTP', () => {
  let receiver: WebhookReceiver
  afterEach(() => receiver?.stop())

  const connectorFor = (url: string, timeout_ms = 10_000) =>
    webhookConnector.create({ url, secret: new Secret(SECRET), timeout_ms }, { instance: 'hooks', http: createHttpClient() })
  const operation: SyncOperation = { id: 'op-1', time: TIME, type: 'user.created', resource: user }

  test('a 2xx acknowledges; the receiver verifies the delivery', async () => {
    receiver = startWebhookReceiver(SECRET)
    expect(await connectorFor(receiver.url).apply(operation)).toEqual({ link: { id: 'u-1' } })
    expect(receiver.deliveries.map((d) => [d.verified, d.outcome])).toEqual([[true, 'processed']])
  })

  test('5xx, 429 with retry-after and no answer within timeout_ms are retryable', async () => {
    receiver = startWebhookReceiver(SECRET)
    receiver.misbehave({ kind: 'fail', status: 502 })
    receiver.misbehave({ kind: 'rate-limit', retryAfterSeconds: 7 })
    receiver.misbehave({ kind: 'hang', ms: 1_000 })
    const connector = connectorFor(receiver.url, 150)

    const failed = await connector.apply(operation).catch((e) => e)
    expect(failed).toBeInstanceOf(RetryableError)
    expect(failed.message).toContain('answered 502')
    const limited = await connector.apply(operation).catch((e) => e)
    expect(limited).toBeInstanceOf(RetryableError)
    expect(limited.retryAfterMs).toBe(7_000)
    const started = Date.now()
    const hung = await connector.apply(operation).catch((e) => e)
    expect(hung).toBeInstanceOf(RetryableError)
    expect(hung.message).toContain('no answer within 150 ms')
    expect(Date.now() - started).toBeLessThan(900)
    expect(await connector.apply(operation)).toEqual({ link: { id: 'u-1' } })

    expect(receiver.events.map((e) => e.id)).toEqual(['op-1'])
    expect(receiver.bodyMismatches).toEqual([])
    for (const error of [failed, limited, hung]) expect(error.message).not.toContain(SECRET)
  })
})
