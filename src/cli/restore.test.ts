import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { newUser } from '../../test/support/app'
import { backupDatabase } from '../store/backup'
import { migrations } from '../store/migrations'
import { makeRestoreCommand } from './restore'
import { databaseFixture, seedDemo, type DatabaseFixture } from './test-database'
import { runCommand } from './test-harness'

// The state is made in a `seed` fixture and copied into the fixture restore
// works on: an app closed in this process keeps its connection (and the lock
// restore checks) until the store's prepared statements are garbage
// collected, so no app may have touched the restored database's file before
// the command runs. A CLI process exits instead.
let seed: DatabaseFixture
let fixture: DatabaseFixture
let backupPath: string
beforeEach(async () => {
  seed = databaseFixture()
  await seedDemo(seed)
  backupPath = join(seed.dir, 'backup.db')
  backupDatabase(seed.databasePath, backupPath) // ann, bob, cat
  const app = seed.open()
  try {
    expect((await seed.client(app).post('/Users', newUser('dan'))).status).toBe(201)
  } finally {
    await app.close()
  }
  fixture = databaseFixture()
  mkdirSync(dirname(fixture.databasePath))
  backupDatabase(seed.databasePath, fixture.databasePath) // ann, bob, cat, dan
})
afterEach(() => {
  fixture.remove()
  seed.remove()
})

const restore = (...args: string[]) => runCommand(makeRestoreCommand, ['restore', ...args, '--config', fixture.configPath])
// At FIXED_NOW of the test harness.
const keptName = () => `${fixture.databasePath}.before-restore-20260131T120000Z`

/** Users in `demo`; opens an app, so only at the end of a test. */
async function users(): Promise<number> {
  const app = fixture.open()
  try {
    return app.store.countByType('demo').users
  } finally {
    await app.close()
  }
}

describe('scimify restore', () => {
  test('keeps the current database and puts the backup in place, saying what it did', async () => {
    const run = await restore(backupPath)
    expect(run).toEqual({
      stdout:
        `kept ${fixture.databasePath} as ${keptName()}\n` +
        `restored ${backupPath} to ${fixture.databasePath} (${statSync(fixture.databasePath).size} bytes, schema version ${migrations.at(-1)!.version})\n` +
        'start scimify serve again (systemctl start scimify); an older schema is migrated on start\n',
      stderr: '',
      exitCode: 0,
    })
    expect(statSync(fixture.databasePath).mode & 0o777).toBe(0o600)
    expect(statSync(keptName()).size).toBeGreaterThan(0)
    expect(await users()).toBe(3)
  })

  test('refuses while the database is open, and changes nothing', async () => {
    const app = fixture.open() // as a running serve holds it
    try {
      expect(await restore(backupPath)).toEqual({
        stdout: '',
        stderr: `restore failed: ${fixture.databasePath} is in use: stop scimify serve (systemctl stop scimify) and any scimify command using it, then restore again\n`,
        exitCode: 1,
      })
      expect(readdirSync(dirname(fixture.databasePath)).filter((name) => !name.startsWith('scimify.db'))).toEqual([])
      expect(existsSync(keptName())).toBe(false)
      expect(app.store.countByType('demo').users).toBe(4)
    } finally {
      await app.close()
    }
  })

  test('--force is needed to replace an earlier before-restore file', async () => {
    expect((await restore(backupPath)).exitCode).toBe(0)
    const restored = statSync(fixture.databasePath)
    expect(await restore(backupPath)).toEqual({
      stdout: '',
      stderr: `restore failed: ${keptName()} already exists (from an earlier restore): --force replaces it\n`,
      exitCode: 1,
    })
    expect(statSync(fixture.databasePath).ino).toBe(restored.ino)
    const forced = await restore(backupPath, '--force')
    expect(forced.exitCode).toBe(0)
    expect(forced.stdout).toStartWith(`kept ${fixture.databasePath} as ${keptName()}\n`)
    expect(statSync(fixture.databasePath).ino).not.toBe(restored.ino)
    expect(await users()).toBe(3)
  })

  test('refuses a file that is not a backup', async () => {
    const run = await restore(fixture.configPath)
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toMatch(/^restore failed: .* is not a usable database: file is not a database\n$/)
    expect(existsSync(keptName())).toBe(false)
    expect(await users()).toBe(4)
  })

  test('--help explains how it detects a running serve, with an example', async () => {
    const help = await runCommand(makeRestoreCommand, ['restore', '--help'])
    expect(help.exitCode).toBe(0)
    // Commander wraps the description to the terminal width.
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('restore refuses while anything has the database open')
    expect(help.stdout).toContain('Example:\n  $ systemctl stop scimify\n  $ scimify restore ')
  })
})
