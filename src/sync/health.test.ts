import { expect, test } from 'bun:test'
import { DownstreamHealthTracker, FAILING_AFTER } from './health'

test('an instance is ok, degraded after a failure, failing after FAILING_AFTER in a row, ok again at a success', () => {
  let now = Date.parse('2026-01-31T12:00:00Z')
  const tracker = new DownstreamHealthTracker(() => new Date(now))
  expect(tracker.of('alpha')).toEqual({ state: 'ok', consecutiveFailures: 0 })

  tracker.record('alpha', true)
  expect(tracker.of('alpha')).toEqual({ state: 'degraded', consecutiveFailures: 1, lastFailure: '2026-01-31T12:00:00.000Z' })
  for (let i = 1; i < FAILING_AFTER; i++) tracker.record('alpha', true)
  expect(tracker.of('alpha').state).toBe('failing')
  expect(tracker.of('beta').state).toBe('ok') // instances are counted apart

  now += 60_000
  tracker.record('alpha', false)
  expect(tracker.of('alpha')).toEqual({
    state: 'ok',
    consecutiveFailures: 0,
    lastSuccess: '2026-01-31T12:01:00.000Z',
    lastFailure: '2026-01-31T12:00:00.000Z',
  })
  // A success in between restarts the count: failures must be in a row.
  tracker.record('alpha', true)
  tracker.record('alpha', true)
  tracker.record('alpha', false)
  tracker.record('alpha', true)
  expect(tracker.of('alpha')).toMatchObject({ state: 'degraded', consecutiveFailures: 1 })
})
