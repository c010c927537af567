import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { makeAuditCommand } from './audit'
import type { CliContext } from './context'
import { makeGroupsCommand } from './groups'
import { makeRetryCommand } from './retry'
import { makeStatusCommand } from './status'
import { makeSyncCommand } from './sync'
import { BOB_ERROR, databaseFixture, seedDemo, type DatabaseFixture } from './test-database'
import { runCommand } from './test-harness'
import { makeUsersCommand } from './users'

let fixture: DatabaseFixture
beforeEach(() => {
  fixture = databaseFixture()
})
afterEach(() => fixture.remove())

const status = (...args: string[]) => runCommand(makeStatusCommand, ['status', ...args, '--config', fixture.configPath])

describe('scimify status', () => {
  test('a table of every instance: users, groups, pending, failed, last full sync, last error', async () => {
    await seedDemo(fixture)
    expect(await status()).toEqual({
      stdout:
        'INSTANCE  USERS  GROUPS  PENDING  FAILED  LAST FULL SYNC  LAST ERROR\n' +
        `demo      3      1       2        1       never           ${BOB_ERROR}\n` +
        'other     0      0       0        0       never           -\n',
      stderr: '',
      exitCode: 0,
    })
  })

  test('--json: an array of objects; one instance when named', async () => {
    await seedDemo(fixture)
    const run = await status('demo', '--json')
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual([{ instance: 'demo', users: 3, groups: 1, pending: 2, failed: 1, lastFullSync: null, lastError: BOB_ERROR }])
    expect(run.stdout).not.toContain(fixture.secret)
  })

  test('after a reconcile with nothing left over, nothing is pending', async () => {
    await seedDemo(fixture, { reconcile: false })
    const app = fixture.open()
    expect(JSON.parse((await status('demo', '--json')).stdout)[0]).toMatchObject({ pending: 4, failed: 0, lastError: null })
    await app.sync.runDue('demo')
    await app.close()
    expect(JSON.parse((await status('demo', '--json')).stdout)[0]).toMatchObject({ users: 3, groups: 1, pending: 0, failed: 0, lastError: null })
  })

  test('an unknown instance', async () => {
    await seedDemo(fixture)
    expect(await status('nope')).toEqual({ stdout: '', stderr: 'unknown instance "nope"\n', exitCode: 1 })
  })
})

describe('every database command', () => {
  const commands: [string, (ctx: CliContext) => Command, string[]][] = [
    ['status', makeStatusCommand, ['status']],
    ['sync', makeSyncCommand, ['sync', 'demo']],
    ['sync --dry-run', makeSyncCommand, ['sync', 'demo', '--dry-run']],
    ['retry', makeRetryCommand, ['retry', 'demo']],
    ['users', makeUsersCommand, ['users', 'demo']],
    ['groups', makeGroupsCommand, ['groups', 'demo']],
    ['audit', makeAuditCommand, ['audit', 'demo']],
    ['audit --prune-older-than', makeAuditCommand, ['audit', 'demo', '--prune-older-than', '90d']],
  ]

  for (const [name, make, args] of commands) {
    test(`${name}: does not create a missing database`, async () => {
      const run = await runCommand(make, [...args, '--config', fixture.configPath])
      expect(run).toEqual({ stdout: '', stderr: `no database at ${fixture.databasePath} yet: start \`scimify serve\` first\n`, exitCode: 1 })
      expect(fixture.databaseExists()).toBe(false)
      expect(existsSync(join(fixture.dir, 'data'))).toBe(false)
    })

    test(`${name}: refuses an invalid config file`, async () => {
      writeFileSync(fixture.configPath, 'instances:\n  - id: demo\n    connector:\n      type: gitlab\n')
      const run = await runCommand(make, [...args, '--config', fixture.configPath])
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toBe('')
      expect(run.stderr).toMatch(/^instances\[0\]\.connector\.type: unknown connector "gitlab" \(line 4\)\n$/)
    })

    test(`${name}: finds the config through SCIMIFY_CONFIG`, async () => {
      await seedDemo(fixture)
      const run = await runCommand(make, args, { env: { SCIMIFY_CONFIG: fixture.configPath } })
      expect(run.stderr).not.toContain('no database')
      expect(run.stdout).not.toBe('')
      expect(run.stdout + run.stderr).not.toContain(fixture.secret)
    })
  }

  test('a file that is not a database is reported, not overwritten', async () => {
    await seedDemo(fixture)
    for (const suffix of ['-wal', '-shm']) rmSync(fixture.databasePath + suffix, { force: true })
    writeFileSync(fixture.databasePath, 'not sqlite at all, but long enough to have a header...........')
    const run = await status()
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toStartWith(`cannot open the database ${fixture.databasePath}: `)
  })
})
