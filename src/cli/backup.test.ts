import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createApp } from '../app'
import { memoryLogger } from '../log'
import { makeBackupCommand } from './backup'
import { databaseFixture, seedDemo, type DatabaseFixture } from './test-database'
import { runCommand } from './test-harness'

let fixture: DatabaseFixture
beforeEach(() => {
  fixture = databaseFixture()
})
afterEach(() => fixture.remove())

const backup = (...args: string[]) => runCommand(makeBackupCommand, ['backup', ...args, '--config', fixture.configPath])

async function usersIn(databasePath: string): Promise<number> {
  const app = createApp(fixture.config(), { databasePath, logger: memoryLogger() })
  try {
    return app.store.countByType('demo').users
  } finally {
    await app.close()
  }
}

describe('scimify backup', () => {
  test('writes a checked copy beside an open app and says where and how big', async () => {
    await seedDemo(fixture)
    const app = fixture.open() // as a running serve holds it
    try {
      const target = join(fixture.dir, 'backup.db')
      const run = await backup(target)
      expect(run).toEqual({ stdout: `backed up ${fixture.databasePath} to ${target} (${statSync(target).size} bytes)\n`, stderr: '', exitCode: 0 })
      expect(statSync(target).mode & 0o777).toBe(0o600)
    } finally {
      await app.close()
    }
    expect(await usersIn(join(fixture.dir, 'backup.db'))).toBe(3)
  })

  test('refuses to overwrite a file', async () => {
    await seedDemo(fixture)
    const target = join(fixture.dir, 'backup.db')
    writeFileSync(target, 'keep me')
    expect(await backup(target)).toEqual({
      stdout: '',
      stderr: `backup failed: ${target} already exists: choose another name (a backup never overwrites a file)\n`,
      exitCode: 1,
    })
    expect(readFileSync(target, 'utf8')).toBe('keep me')
  })

  test('refuses when there is no database, and does not create one', async () => {
    const target = join(fixture.dir, 'backup.db')
    expect(await backup(target)).toEqual({ stdout: '', stderr: `backup failed: no database at ${fixture.databasePath}\n`, exitCode: 1 })
    expect(fixture.databaseExists()).toBe(false)
    expect(existsSync(target)).toBe(false)
  })

  test('needs only server.database: a connector secret the shell cannot resolve does not matter', async () => {
    await seedDemo(fixture)
    appendFileSync(fixture.configPath, '  - id: hooks\n    connector:\n      type: webhook\n      url: https://hooks.example.com/x\n      secret: ${env:SCIMIFY_TEST_UNSET}\n')
    const target = join(fixture.dir, 'backup.db')
    expect((await backup(target)).exitCode).toBe(0)
    expect(existsSync(target)).toBe(true)

    // A problem in the server block itself is reported as `config check` would.
    writeFileSync(fixture.configPath, readFileSync(fixture.configPath, 'utf8').replace('database: ./data/scimify.db', 'database: 7'))
    const broken = await backup(join(fixture.dir, 'other.db'))
    expect(broken).toEqual({ stdout: '', stderr: 'server.database: must be a string, not 7 (line 2)\n', exitCode: 1 })
  })

  test('--help explains it with an example', async () => {
    const help = await runCommand(makeBackupCommand, ['backup', '--help'])
    expect(help.exitCode).toBe(0)
    // Commander wraps the description to the terminal width.
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('SQLite VACUUM INTO on a connection of its own')
    expect(help.stdout).toContain('Example:\n  $ scimify backup ')
  })
})
