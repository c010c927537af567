/**
 * End-to-end: what an operator's monitoring sees of the real executable run
 * as under systemd (stderr a pipe): JSON log lines with request ids,
 * /readyz, and /metrics on a listener of its own behind a token.
 */
import { afterEach, expect, test } from 'bun:test'
import { parseMetrics, sampleValue } from '../support/prometheus'
import { bearer, eventually, runScimify, startServer, tempDir, writeConfig, type RunningServer } from './support'

const TOKEN = 'e2e-metrics-token-4d8a1f'
const env = { SCIMIFY_METRICS_TOKEN: TOKEN }
const running: RunningServer[] = []

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop('SIGKILL')
})

test('metrics on their own listener, /readyz, request ids, and JSON log lines on a piped stderr', async () => {
  const config = writeConfig(tempDir(), '  metrics:\n    listen: "127.0.0.1:0"\n    token: ${env:SCIMIFY_METRICS_TOKEN}\n')
  const key = (await runScimify(['keys', 'create', 'demo', '--config', config], { env })).stdout.trim()
  const server = await startServer(['--config', config], { env })
  running.push(server)
  expect(await eventually(async () => /metrics: http:\/\/\S+/.test(server.banner), 2000)).toBe(true)
  const metricsUrl = /metrics: (http:\/\/\S+)/.exec(server.banner)![1]!

  const users = await fetch(`${server.url}/scim/v2/demo/Users`, { headers: { ...bearer(key), 'x-request-id': 'e2e-req-1' } })
  expect(users.status).toBe(200)
  expect(users.headers.get('x-request-id')).toBe('e2e-req-1')

  const ready = await fetch(`${server.url}/readyz`)
  expect(ready.status).toBe(200)
  expect(await ready.json()).toMatchObject({ status: 'ready', instances: [{ instance: 'demo', connector: 'directory', state: 'ok' }] })

  // Served on the metrics listener only, and there only with the token.
  expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404)
  expect((await fetch(metricsUrl)).status).toBe(401)
  const scrape = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } })
  expect(scrape.status).toBe(200)
  const families = parseMetrics(await scrape.text())
  const requests = (route: string, status: string) => sampleValue(families, 'scimify_http_requests_total', { method: 'GET', route, status })
  expect(requests('/scim/v2/:instance/Users', '200')).toBe(1)
  expect(requests('/readyz', '200')).toBe(1)
  expect(requests('/metrics', '404')).toBe(1)
  expect(sampleValue(families, 'scimify_sync_queue_depth', { instance: 'demo' })).toBe(0)

  expect(await server.stop('SIGTERM')).toBe(0)
  const lines = server.log().split('\n').filter((line) => line !== '')
  const parsed = lines.map((line) => JSON.parse(line))
  for (const line of parsed) {
    expect(Object.keys(line).slice(0, 3)).toEqual(['time', 'level', 'msg'])
    expect(['info', 'warn', 'error']).toContain(line.level)
  }
  expect(parsed.find((line) => line.request_id === 'e2e-req-1')).toMatchObject({ msg: 'request', path: '/scim/v2/demo/Users', status: 200, instance: 'demo' })
  expect(parsed.filter((line) => line.msg === 'request').every((line) => typeof line.request_id === 'string')).toBe(true)
  expect(parsed.some((line) => line.msg === 'shutting down')).toBe(true)
  for (const secret of [key, TOKEN]) expect(server.log()).not.toContain(secret)
}, 30_000)
