import { describe, expect, test } from 'bun:test'
import { ERROR, newUser, testApp } from '../../test/support/app'
import { parseMetrics, sampleValue } from '../../test/support/prometheus'
import { Secret } from '../config/references'

describe('when the group commit fails', () => {
  test('the write is answered 503 with Retry-After, and its access-log line and request id say so', async () => {
    const { app, alpha, logger, config } = testApp()
    app.applyConfig({ ...config, server: { ...config.server, metrics: { token: new Secret('metrics-token-commit') } } })
    // The commit of the turn fails (disk full, I/O error): what the store reports to every request waiting on it.
    const durable = app.store.durable
    app.store.durable = () => Promise.reject(new Error('the database could not commit: disk I/O error'))
    const response = await app.handle(
      new Request('http://localhost/scim/v2/alpha/Users', {
        method: 'POST',
        headers: { authorization: `Bearer ${alpha.key}`, 'content-type': 'application/scim+json', 'x-request-id': 'commit-fails-1' },
        body: JSON.stringify(newUser('ann')),
      }),
    )
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('1')
    expect(response.headers.get('x-request-id')).toBe('commit-fails-1')
    expect(await response.json()).toMatchObject({ schemas: [ERROR], status: '503' })
    const lines = logger.lines.filter((line) => line.includes('commit-fails-1'))
    expect(lines.some((line) => line.includes('commit failed') && line.includes('disk I/O error'))).toBe(true)
    expect(lines.filter((line) => line.includes('INFO request ')).map((line) => /status=(\d+)/.exec(line)?.[1])).toEqual(['503'])
    app.store.durable = durable // the disk is back: the scrape's own wait succeeds
    const scrape = await app.handle(new Request('http://localhost/metrics', { headers: { authorization: 'Bearer metrics-token-commit' } }))
    expect(sampleValue(parseMetrics(await scrape.text()), 'scimify_requests_refused_total', { reason: 'commit_failed' })).toBe(1)
  })
})
