import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { makeAuditCommand } from './audit'
import { databaseFixture, type DatabaseFixture } from './test-database'
import { FIXED_NOW, runCommand } from './test-harness'

const HOUR = 60 * 60 * 1000
const ago = (ms: number) => new Date(FIXED_NOW.getTime() - ms).toISOString()

let fixture: DatabaseFixture
beforeEach(async () => {
  fixture = databaseFixture()
  // Only entries put in here: no SCIM writes, so nothing else lands in the log.
  const app = fixture.open()
  app.audit.record({ time: ago(50 * HOUR), instance: 'demo', actor: 'key:3f9a0c1d2e4b', action: 'POST /Users', target: 'u-old', result: '201' })
  app.audit.record({ time: ago(2 * HOUR), instance: 'demo', actor: 'key:3f9a0c1d2e4b', action: 'PATCH /Users/u-1', target: 'u-1', result: '200' })
  app.audit.record({ time: ago(30 * 60 * 1000), instance: 'demo', actor: 'sync', action: 'user.created', target: 'u-1', result: 'error: HTTP 500\nfrom the app' })
  app.audit.record({ time: ago(10 * 60 * 1000), instance: 'demo', actor: 'key:3f9a0c1d2e4b', action: 'GET /Schemas', result: '200' })
  app.audit.record({ time: ago(60 * HOUR), instance: 'other', actor: 'sync', action: 'user.deleted', target: 'u-9', result: 'ok' })
  await app.close()
})
afterEach(() => fixture.remove())

const audit = (...args: string[]) => runCommand(makeAuditCommand, ['audit', ...args, '--config', fixture.configPath])

describe('scimify audit', () => {
  test('a table of the last 24 hours: time, actor, action, target, result', async () => {
    expect(await audit('demo')).toEqual({
      stdout:
        'TIME                      ACTOR             ACTION            TARGET  RESULT\n' +
        `${ago(2 * HOUR)}  key:3f9a0c1d2e4b  PATCH /Users/u-1  u-1     200\n` +
        `${ago(30 * 60 * 1000)}  sync              user.created      u-1     error: HTTP 500 from the app\n` +
        `${ago(10 * 60 * 1000)}  key:3f9a0c1d2e4b  GET /Schemas      -       200\n`,
      stderr: '',
      exitCode: 0,
    })
  })

  test('--since and --json', async () => {
    const run = await audit('demo', '--since', '1h', '--json')
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual([
      { time: ago(30 * 60 * 1000), actor: 'sync', action: 'user.created', target: 'u-1', result: 'error: HTTP 500\nfrom the app' },
      { time: ago(10 * 60 * 1000), actor: 'key:3f9a0c1d2e4b', action: 'GET /Schemas', target: null, result: '200' },
    ])
    expect(JSON.parse((await audit('demo', '--since', '7d', '--json')).stdout)).toHaveLength(4)
    expect(JSON.parse((await audit('other', '--json')).stdout)).toEqual([])
  })

  test('--prune-older-than deletes older entries of every instance and says how many', async () => {
    expect(await audit('demo', '--prune-older-than', '1d')).toEqual({
      stdout: `deleted 2 audit entries older than ${ago(24 * HOUR)} (all instances)\n`,
      stderr: '',
      exitCode: 0,
    })
    expect(JSON.parse((await audit('demo', '--since', '30d', '--json')).stdout)).toHaveLength(3)
    expect(JSON.parse((await audit('other', '--since', '30d', '--json')).stdout)).toEqual([])
    expect((await audit('demo', '--prune-older-than', '1d')).stdout).toStartWith('deleted 0 audit entries older than ')
  })

  test('bad durations and conflicting options are usage errors', async () => {
    const bad = await audit('demo', '--since', 'yesterday')
    expect(bad.exitCode).toBe(1)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toContain('invalid duration "yesterday"')
    const both = await audit('demo', '--since', '1h', '--prune-older-than', '90d')
    expect(both.exitCode).toBe(1)
    expect(both.stderr).toContain('cannot be used with')
  })

  test('an unknown instance', async () => {
    expect(await audit('nope')).toEqual({ stdout: '', stderr: 'unknown instance "nope"\n', exitCode: 1 })
  })
})
