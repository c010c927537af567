import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { makeRetryCommand } from './retry'
import { databaseFixture, seedDemo, type DatabaseFixture, type SeededDemo } from './test-database'
import { FIXED_NOW, runCommand } from './test-harness'

let fixture: DatabaseFixture
let ids: SeededDemo
beforeEach(async () => {
  fixture = databaseFixture()
  ids = await seedDemo(fixture)
})
afterEach(() => fixture.remove())

const retry = (...args: string[]) => runCommand(makeRetryCommand, ['retry', ...args, '--config', fixture.configPath])

async function queue() {
  const app = fixture.open()
  try {
    return new Map(app.syncState.queueEntries('demo').map((entry) => [entry.id, entry]))
  } finally {
    await app.close()
  }
}

describe('scimify retry', () => {
  test('makes every waiting entry of the instance due now with a fresh attempt count', async () => {
    expect([...(await queue()).values()].map((entry) => entry.attempts)).toEqual([1, 1])
    expect(await retry('demo')).toEqual({ stdout: '2 resources of demo due for retry now\n', stderr: '', exitCode: 0 })
    for (const id of [ids.bob, ids.cat]) expect((await queue()).get(id)).toMatchObject({ dueAt: FIXED_NOW.getTime(), attempts: 0 })
  })

  test('one resource', async () => {
    expect(await retry('demo', ids.cat)).toEqual({ stdout: '1 resource of demo due for retry now\n', stderr: '', exitCode: 0 })
    expect((await queue()).get(ids.cat)).toMatchObject({ dueAt: FIXED_NOW.getTime(), attempts: 0 })
    expect((await queue()).get(ids.bob)).toMatchObject({ attempts: 1 })
    expect((await queue()).get(ids.bob)!.dueAt).toBeGreaterThan(Date.now())
  })

  test('the engine (as in a running serve) then picks them up', async () => {
    await retry('demo')
    const app = fixture.open()
    try {
      expect(await app.sync.runDue('demo')).toBe(2)
      expect(app.syncState.counts('demo')).toEqual({ pending: 0, failed: 0 })
    } finally {
      await app.close()
    }
  })

  test('nothing to retry', async () => {
    expect(await retry('other')).toEqual({ stdout: 'nothing to retry in other\n', stderr: '', exitCode: 0 })
    expect(await retry('demo', ids.ann)).toEqual({ stdout: `nothing to retry for ${ids.ann} in demo\n`, stderr: '', exitCode: 0 })
  })

  test('an unknown instance', async () => {
    expect(await retry('nope')).toEqual({ stdout: '', stderr: 'unknown instance "nope"\n', exitCode: 1 })
  })
})
