import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { makeGroupsCommand } from './groups'
import { syncFields } from './resource-listing'
import { BOB_ERROR, CAT_ERROR, databaseFixture, seedDemo, type DatabaseFixture, type SeededDemo } from './test-database'
import { runCommand } from './test-harness'
import { makeUsersCommand } from './users'

let fixture: DatabaseFixture
let ids: SeededDemo
beforeEach(async () => {
  fixture = databaseFixture()
  ids = await seedDemo(fixture)
})
afterEach(() => fixture.remove())

const users = (...args: string[]) => runCommand(makeUsersCommand, ['users', ...args, '--config', fixture.configPath])
const groups = (...args: string[]) => runCommand(makeGroupsCommand, ['groups', ...args, '--config', fixture.configPath])

describe('scimify users', () => {
  test('a table: id, userName, active, downstream link and sync state', async () => {
    expect(await users('demo')).toEqual({
      stdout:
        `${'ID'.padEnd(36)}  USERNAME  ACTIVE  LINK    STATE\n` +
        `${ids.ann}  ann       true    gh-ann  synced\n` +
        `${ids.bob}  bob       true    gh-bob  failed (${BOB_ERROR})\n` +
        `${ids.cat}  cat       false   -       pending (${CAT_ERROR})\n`,
      stderr: '',
      exitCode: 0,
    })
  })

  test('--json: the same as objects', async () => {
    const run = await users('demo', '--json')
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual([
      { id: ids.ann, userName: 'ann', active: true, link: 'gh-ann', state: 'synced', error: null },
      { id: ids.bob, userName: 'bob', active: true, link: 'gh-bob', state: 'failed', error: BOB_ERROR },
      { id: ids.cat, userName: 'cat', active: false, link: null, state: 'pending', error: CAT_ERROR },
    ])
    expect(run.stdout).not.toContain(fixture.secret)
  })

  test('--filter: a SCIM filter with the instance schemas', async () => {
    const run = await users('demo', '--filter', 'active eq true and emails.value ew "b@example.com"', '--json')
    expect(JSON.parse(run.stdout).map((user: { id: string }) => user.id)).toEqual([ids.bob])
    expect(JSON.parse((await users('demo', '--filter', 'userName eq "nobody"', '--json')).stdout)).toEqual([])
    expect((await users('demo', '--filter', 'userName eq "nobody"')).stdout).toBe(`${'ID'.padEnd(2)}  USERNAME  ACTIVE  LINK  STATE\n`)
  })

  test('a malformed filter or one on an unknown attribute: exit 1, nothing on stdout', async () => {
    expect(await users('demo', '--filter', 'userName eq')).toEqual({ stdout: '', stderr: expect.stringMatching(/^invalid --filter: .+\n$/), exitCode: 1 })
    expect(await users('demo', '--filter', 'shoeSize gt 40')).toEqual({ stdout: '', stderr: expect.stringMatching(/^invalid --filter: .*shoeSize.*\n$/), exitCode: 1 })
  })

  test('pages through everything', async () => {
    const app = fixture.open()
    for (let i = 0; i < 1203; i++) app.store.create('other', 'User', { data: { userName: `u${String(i).padStart(4, '0')}` } })
    await app.close()
    const listed = JSON.parse((await users('other', '--json')).stdout) as { userName: string; state: string }[]
    expect(listed.length).toBe(1203)
    expect(new Set(listed.map((user) => user.userName)).size).toBe(1203)
    expect(listed.at(-1)).toMatchObject({ userName: 'u1202', state: 'pending' })
  })

  test('an unknown instance', async () => {
    expect(await users('nope')).toEqual({ stdout: '', stderr: 'unknown instance "nope"\n', exitCode: 1 })
  })
})

describe('scimify groups', () => {
  test('a table and JSON: id, displayName, link, state', async () => {
    expect(await groups('demo')).toEqual({
      stdout: `${'ID'.padEnd(36)}  DISPLAYNAME  LINK  STATE\n${ids.eng}  Engineering  -     synced\n`,
      stderr: '',
      exitCode: 0,
    })
    expect(JSON.parse((await groups('demo', '--json')).stdout)).toEqual([{ id: ids.eng, displayName: 'Engineering', link: null, state: 'synced', error: null }])
    expect(JSON.parse((await groups('demo', '--filter', 'displayName sw "x"', '--json')).stdout)).toEqual([])
  })

  test('a group waiting to be reconciled is pending', async () => {
    const app = fixture.open()
    app.syncState.markDirty({ instance: 'demo', type: 'Group', id: ids.eng })
    await app.close()
    expect(JSON.parse((await groups('demo', '--json')).stdout)[0]).toMatchObject({ state: 'pending', error: null })
  })
})

describe('syncFields', () => {
  const key = { instance: 'demo', type: 'User' as const, id: 'x' }
  const entry = { ...key, generation: 1, dueAt: 0, attempts: 1, lastError: 'queue error' }

  test('failed wins, then a queue entry or a pending link, else synced', () => {
    expect(syncFields(undefined, undefined)).toEqual({ link: null, state: 'synced', error: null })
    expect(syncFields({ ...key, status: 'synced', lastError: null, syncedAt: null, downstream: { id: 'd' } }, undefined)).toEqual({ link: 'd', state: 'synced', error: null })
    expect(syncFields(undefined, entry)).toEqual({ link: null, state: 'pending', error: 'queue error' })
    expect(syncFields({ ...key, status: 'pending', lastError: null, syncedAt: null }, undefined)).toEqual({ link: null, state: 'pending', error: null })
    expect(syncFields({ ...key, status: 'failed', lastError: null, syncedAt: null }, entry)).toEqual({ link: null, state: 'failed', error: 'queue error' })
    expect(syncFields({ ...key, status: 'failed', lastError: 'link error', syncedAt: null }, entry)).toEqual({ link: null, state: 'failed', error: 'link error' })
  })
})
