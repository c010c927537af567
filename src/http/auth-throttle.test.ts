import { describe, expect, test } from 'bun:test'
import { ERROR, testApp } from '../../test/support/app'
import { AuthThrottle } from './auth-throttle'

describe('AuthThrottle', () => {
  test('past maxFailures within the window, failures wait until the window ends', () => {
    let now = 0
    const throttle = new AuthThrottle({ maxFailures: 3, windowMs: 60_000, now: () => now })
    expect([1, 2, 3].map(() => throttle.fail('192.0.2.1', 'alpha'))).toEqual([0, 0, 0])
    now = 15_000
    expect(throttle.fail('192.0.2.1', 'alpha')).toBe(45)
    now = 60_000
    expect(throttle.fail('192.0.2.1', 'alpha')).toBe(0) // a new window
  })

  test('counts per address and per instance; the IPv4-mapped form is the same address', () => {
    const throttle = new AuthThrottle({ maxFailures: 1 })
    throttle.fail('192.0.2.1', 'alpha')
    expect(throttle.fail('::ffff:192.0.2.1', 'alpha')).toBeGreaterThan(0)
    expect(throttle.fail('192.0.2.2', 'alpha')).toBe(0)
    expect(throttle.fail('192.0.2.1', 'beta')).toBe(0)
  })

  test('remembers at most maxEntries addresses, forgetting the least recent', () => {
    const throttle = new AuthThrottle({ maxFailures: 1, maxEntries: 100 })
    throttle.fail('10.0.0.1', 'alpha')
    for (let i = 0; i < 1000; i++) {
      throttle.fail(`10.1.${i >> 8}.${i & 255}`, 'alpha')
      throttle.fail('10.0.0.1', 'alpha') // keeps failing: stays recent
      expect(throttle.size).toBeLessThanOrEqual(100)
    }
    expect(throttle.size).toBe(100)
    expect(throttle.fail('10.0.0.1', 'alpha')).toBeGreaterThan(0)
    expect(throttle.fail('10.1.0.0', 'alpha')).toBe(0) // forgotten long ago
  })
})

describe('failed-authentication throttling through the app', () => {
  const call = (app: ReturnType<typeof testApp>['app'], peer: string, key: string, instance = 'alpha') =>
    app.handle(new Request(`http://localhost/scim/v2/${instance}/Users`, { headers: { authorization: `Bearer ${key}` } }), peer)

  test('a noisy address gets 429 with Retry-After; its valid key passes at once; other addresses and instances are unaffected', async () => {
    const { app, alpha, beta } = testApp()
    const noisy = '198.51.100.7'
    for (let i = 0; i < 10; i++) expect((await call(app, noisy, 'wrong')).status).toBe(401)
    const throttled = await call(app, noisy, 'wrong')
    expect(throttled.status).toBe(429)
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await throttled.json()).toMatchObject({ schemas: [ERROR], status: '429' })

    const started = performance.now()
    expect((await call(app, noisy, alpha.key)).status).toBe(200)
    expect(performance.now() - started).toBeLessThan(500)
    expect((await call(app, '203.0.113.5', 'wrong')).status).toBe(401)
    expect((await call(app, '203.0.113.5', alpha.key)).status).toBe(200)
    expect((await call(app, noisy, 'wrong', 'beta')).status).toBe(401)
    expect((await call(app, noisy, beta.key, 'beta')).status).toBe(200)
  })

  test('without a known client address (in memory) nothing is throttled', async () => {
    const { app } = testApp()
    for (let i = 0; i < 15; i++) {
      const response = await app.handle(new Request('http://localhost/scim/v2/alpha/Users', { headers: { authorization: 'Bearer wrong' } }))
      expect(response.status).toBe(401)
    }
  })
})
