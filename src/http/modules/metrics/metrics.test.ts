/**
 * GET /metrics: where it is served (nowhere by default, the main port behind
 * a token, or a listener of its own), and what it says after a known
 * sequence of requests and downstream operations, read with a real parser of
 * the text format.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import * as v from 'valibot'
import { webhookConnector } from '../../../../connectors/webhook'
import { createApp, type App } from '../../../app'
import { generateApiKey } from '../../../auth/api-key'
import { Secret, withReferenceContext } from '../../../config/references'
import type { Config, MetricsConfig } from '../../../config/schema'
import { memoryLogger } from '../../../log'
import { HTTP_DURATION_BUCKETS } from '../../../metrics/scimify'
import { ERROR, newUser, scimClient, testApp, testInstanceConfig } from '../../../../test/support/app'
import { parseMetrics, sampleValue, type ParsedFamily } from '../../../../test/support/prometheus'
import { startWebhookReceiver, type WebhookReceiver } from '../../../../test/support/webhook-receiver'

const TOKEN = 'metrics-token-5b1e9c0d7a'

function withMetricsConfig(app: App, config: Config, metrics: MetricsConfig) {
  app.applyConfig({ ...config, server: { ...config.server, metrics } })
}

const scrape = (app: App, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  app.handle(new Request('http://localhost/metrics', { headers }))

async function scrapeParsed(app: App): Promise<Map<string, ParsedFamily>> {
  const response = await scrape(app)
  expect(response.status).toBe(200)
  return parseMetrics(await response.text())
}

describe('where /metrics is served', () => {
  test('without server.metrics, nowhere: the same 404 as any unknown path', async () => {
    const { app } = testApp()
    const response = await scrape(app)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ schemas: [ERROR], status: '404', detail: 'No endpoint at /metrics' })
  })

  test('with server.metrics.token, on the main port to a scraper presenting it', async () => {
    const { app, config, alpha } = testApp()
    withMetricsConfig(app, config, { token: new Secret(TOKEN) })

    const served = await scrape(app)
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(await served.text()).toContain('# TYPE scimify_http_requests_total counter')

    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`, `Bearer ${alpha.key}`]) {
      const refused = await scrape(app, authorization === undefined ? {} : { authorization })
      expect(refused.status).toBe(401)
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="scimify metrics"')
    }
  })

  test('with server.metrics.listen, only on that listener (with the token when one is set)', async () => {
    const { app, config } = testApp()
    withMetricsConfig(app, config, { listen: '127.0.0.1:0', token: new Secret(TOKEN) })
    expect((await scrape(app)).status).toBe(404)

    const onListener = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
      app.handleMetrics(new Request(`http://127.0.0.1:9464${path}`, { headers, method }))
    expect(onListener('/metrics', { authorization: `Bearer ${TOKEN}` }).status).toBe(200)
    expect(onListener('/metrics').status).toBe(401)
    expect(onListener('/healthz').status).toBe(404)
    expect(onListener('/metrics', {}, 'POST').status).toBe(405)

    withMetricsConfig(app, config, { listen: '127.0.0.1:0' })
    const open = onListener('/metrics')
    expect(open.status).toBe(200)
    expect(await open.text()).toContain('# TYPE scimify_sync_queue_depth gauge')
  })
})

describe('what /metrics says', () => {
  test('requests by instance, method, route template and status, their latencies, and the sync queue', async () => {
    const { app, config, alpha, beta, client } = testApp()
    withMetricsConfig(app, config, { token: new Secret(TOKEN) })
    const scim = client(alpha)
    const send = (path: string, init: RequestInit = {}) => app.handle(new Request(`http://localhost${path}`, init))

    const { id } = (await scim.post('/Users', newUser('ann'))).body
    for (let i = 0; i < 3; i++) expect((await scim.get(`/Users/${id}`)).status).toBe(200)
    expect((await scim.get('/Users/no-such-user')).status).toBe(404)
    expect((await scim.get('/users')).status).toBe(200) // an IdP's spelling, normalized to /Users
    expect((await client(beta).post('/Users', newUser('bob'))).status).toBe(201)
    expect((await client(beta).post('/Users', newUser('cy'))).status).toBe(201)
    expect((await send('/scim/v2/alpha/Users', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401)
    expect((await send(`/scim/v2/ghost-${id}/Users`, { headers: { authorization: `Bearer ${alpha.key}` } })).status).toBe(401)
    expect((await send('/healthz')).status).toBe(200)
    expect((await send(`/no/such/${id}`)).status).toBe(404)

    const families = await scrapeParsed(app)
    expect([...families.values()].map((f) => [f.name, f.type])).toEqual([
      ['scimify_http_requests_total', 'counter'],
      ['scimify_http_request_duration_seconds', 'histogram'],
      ['scimify_sync_queue_depth', 'gauge'],
      ['scimify_requests_refused_total', 'counter'],
      ['scimify_sync_failures_total', 'counter'],
      ['scimify_sync_retries_total', 'counter'],
      ['scimify_downstream_calls_total', 'counter'],
      ['scimify_rate_limit_waits_total', 'counter'],
      ['scimify_rate_limit_wait_seconds_total', 'counter'],
    ])
    for (const family of families.values()) expect(family.help.length).toBeGreaterThan(10)

    const requests = families.get('scimify_http_requests_total')!.samples.map((s) => ({ ...s.labels, value: s.value }))
    const expected = [
      { instance: 'alpha', method: 'POST', route: '/scim/v2/:instance/Users', status: '201', value: 1 },
      { instance: 'alpha', method: 'GET', route: '/scim/v2/:instance/Users/:id', status: '200', value: 3 },
      { instance: 'alpha', method: 'GET', route: '/scim/v2/:instance/Users/:id', status: '404', value: 1 },
      { instance: 'alpha', method: 'GET', route: '/scim/v2/:instance/Users', status: '200', value: 1 },
      // A refused key still names an instance of the config: counted under it.
      { instance: 'alpha', method: 'GET', route: '/scim/v2/:instance/Users', status: '401', value: 1 },
      { instance: 'beta', method: 'POST', route: '/scim/v2/:instance/Users', status: '201', value: 2 },
      // An instance the config does not have is no label value (empty is the same as none to Prometheus):
      // random paths cannot grow the series.
      { instance: '', method: 'GET', route: '/scim/v2/:instance/Users', status: '401', value: 1 },
      { instance: '', method: 'GET', route: '/healthz', status: '200', value: 1 },
      { instance: '', method: 'GET', route: 'unmatched', status: '404', value: 1 },
    ]
    const key = (s: Record<string, unknown>) => JSON.stringify(Object.entries(s).sort())
    expect(requests.map(key).sort()).toEqual(expected.map(key).sort())
    expect(JSON.stringify(requests)).not.toContain(id) // never a raw id

    // The histogram has one series per instance, method and route, consistent with the counter.
    const durations = families.get('scimify_http_request_duration_seconds')!.samples
    const seriesOf = (labels: Record<string, unknown>) => JSON.stringify([labels.instance, labels.method, labels.route])
    const series = new Set(durations.map((s) => seriesOf(s.labels)))
    expect(series).toEqual(new Set(expected.map(seriesOf)))
    for (const one of series) {
      const [instance, method, route] = JSON.parse(one) as string[]
      const labels = { instance: instance!, method: method!, route: route! }
      const count = expected.filter((e) => seriesOf(e) === one).reduce((n, e) => n + e.value, 0)
      const buckets = durations.filter((s) => s.name.endsWith('_bucket') && seriesOf(s.labels) === one)
      expect(buckets.map((b) => b.labels.le)).toEqual([...HTTP_DURATION_BUCKETS.map(String), '+Inf'])
      expect(buckets.map((b) => b.value)).toEqual([...buckets.map((b) => b.value)].sort((a, b) => a - b)) // cumulative
      expect(buckets.at(-1)!.value).toBe(count)
      expect(sampleValue(families, 'scimify_http_request_duration_seconds_count', labels)).toBe(count)
      expect(sampleValue(families, 'scimify_http_request_duration_seconds_sum', labels)).toBeGreaterThan(0)
    }

    // Both instances are store-only (directory): their writes queue nothing.
    expect(sampleValue(families, 'scimify_sync_queue_depth', { instance: 'alpha' })).toBe(0)
    expect(sampleValue(families, 'scimify_sync_queue_depth', { instance: 'beta' })).toBe(0)
    // An entry waits in the queue until the engine (not running here) takes it.
    app.syncState.markDirty({ instance: 'beta', type: 'User', id: 'someone' })
    app.syncState.markDirty({ instance: 'beta', type: 'User', id: 'someone-else' })
    expect(sampleValue(await scrapeParsed(app), 'scimify_sync_queue_depth', { instance: 'beta' })).toBe(2)
    await app.sync.runDue()
    expect(sampleValue(await scrapeParsed(app), 'scimify_sync_queue_depth', { instance: 'beta' })).toBe(0)

    // The scrape itself is counted, after its answer.
    expect(sampleValue(await scrapeParsed(app), 'scimify_http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).toBe(3)
  })

  test('requests the limits or the throttle answered instead of their work, by reason', async () => {
    const { app, config, alpha } = testApp({}, { limits: { max_body_bytes: 2048 } })
    withMetricsConfig(app, { ...config, server: { ...config.server, limits: { max_body_bytes: 2048 } } }, { token: new Secret(TOKEN) })
    const post = (body: string) =>
      app.handle(new Request('http://localhost/scim/v2/alpha/Users', { method: 'POST', headers: { authorization: `Bearer ${alpha.key}`, 'content-type': 'application/scim+json' }, body }))
    expect((await post(JSON.stringify({ ...newUser('big'), displayName: 'x'.repeat(4096) }))).status).toBe(413)
    expect((await post(JSON.stringify(newUser('small')))).status).toBe(201)
    // Wrong keys from one address: refused (401), then throttled (429).
    const statuses: number[] = []
    for (let i = 0; i < 15; i++) {
      const wrong = new Request('http://localhost/scim/v2/alpha/Users', { headers: { authorization: 'Bearer wrong' } })
      statuses.push((await app.handle(wrong, '192.0.2.7')).status)
    }
    const throttled = statuses.filter((status) => status === 429).length
    expect(throttled).toBeGreaterThan(0)
    const families = await scrapeParsed(app)
    expect(sampleValue(families, 'scimify_requests_refused_total', { reason: 'body_too_large' })).toBe(1)
    expect(sampleValue(families, 'scimify_requests_refused_total', { reason: 'auth_throttled' })).toBe(throttled)
  })

  describe('downstream', () => {
    const SECRET = 'whsec-metrics-test-2f4c9e'
    let running: { app: App; receiver: WebhookReceiver } | undefined
    afterEach(async () => {
      await running?.app.close()
      await running?.receiver.stop()
      running = undefined
    })

    test('calls by connector and result, failures, retries and rate-limit waits', async () => {
      const receiver = startWebhookReceiver(SECRET)
      const settings = withReferenceContext({ env: { HOOK_SECRET: SECRET }, baseDir: '/nonexistent' }, () =>
        v.parse(webhookConnector.settings, { url: receiver.url, secret: '${env:HOOK_SECRET}', timeout_ms: 100 }),
      )
      const key = generateApiKey()
      const config: Config = {
        server: { listen: '127.0.0.1:0', database: ':memory:', audit_retention: '90d', metrics: { token: new Secret(TOKEN) } },
        instances: [testInstanceConfig('hooks', key, { connector: { type: 'webhook', settings } })],
      }
      const app = createApp(config, { databasePath: ':memory:', logger: memoryLogger(), syncBackoff: { baseMs: 5, capMs: 20, failedAfter: 10 } })
      running = { app, receiver }

      receiver.misbehave({ kind: 'fail', status: 500 })
      receiver.misbehave({ kind: 'fail', status: 400 })
      receiver.misbehave({ kind: 'hang', ms: 300 })
      receiver.misbehave({ kind: 'rate-limit', retryAfterSeconds: 1 })
      const scim = scimClient(app, { id: 'hooks', key: key.secret, keyId: key.id })
      expect((await scim.post('/Users', newUser('ann'))).status).toBe(201)
      for (let i = 0; i < 400 && app.syncState.queueLength() > 0; i++) {
        await app.sync.runDue()
        await Bun.sleep(10)
      }
      expect(receiver.events.map((e) => e.type)).toEqual(['user.created'])

      const families = await scrapeParsed(app)
      const calls = (result: string) => sampleValue(families, 'scimify_downstream_calls_total', { connector: 'webhook', result })
      expect([calls('server_error'), calls('client_error'), calls('timeout'), calls('rate_limited'), calls('ok'), calls('network_error')]).toEqual([
        1, 1, 1, 1, 1, undefined,
      ])
      expect(sampleValue(families, 'scimify_sync_failures_total', { instance: 'hooks' })).toBe(4)
      expect(sampleValue(families, 'scimify_sync_retries_total', { instance: 'hooks' })).toBe(4)
      expect(sampleValue(families, 'scimify_rate_limit_waits_total', { connector: 'webhook' })).toBe(1)
      expect(sampleValue(families, 'scimify_rate_limit_wait_seconds_total', { connector: 'webhook' })).toBe(1)
      expect(sampleValue(families, 'scimify_sync_queue_depth', { instance: 'hooks' })).toBe(0)
    }, 10_000)
  })
})
