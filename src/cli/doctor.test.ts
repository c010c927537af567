import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { connectors } from '../../connectors'
import { generateApiKey } from '../auth/api-key'
import { ConnectorRegistry } from '../connector/registry'
import type { ConnectorDefinition, ConnectorDeps } from '../connector/types'
import { openDatabase } from '../store/db'
import { makeDoctorCommand } from './doctor'
import type { AccessChecker } from './doctor/access'
import type { Check } from './doctor/check'
import { judgeSkew } from './doctor/clock'
import { runCommand } from './test-harness'

// The receiver a webhook instance points at: doctor may only send it OPTIONS.
const received: { method: string; body: string }[] = []
let receiver: ReturnType<typeof Bun.serve>
beforeAll(() => {
  receiver = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (request) => {
      received.push({ method: request.method, body: await request.text() })
      return new Response(null, { status: 405 })
    },
  })
})
afterAll(() => receiver.stop(true))

/** A port nothing listens on: bound, then closed again. */
function closedPort(): number {
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response() })
  const port = server.port!
  server.stop(true)
  return port
}

const HOOK_SECRET = 'hook-secret-never-printed'
const env = { HOOK_SECRET }
const key = generateApiKey()
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  received.length = 0
})

interface Setup {
  /** `expires:` of demo's key (none when absent). */
  expires?: string
  webhookUrl?: string
  database?: string
  /** Create the database, with modes 0700 (folder) and 0600 (file). Default: true. */
  createDatabase?: boolean
}

/** A healthy setup unless told otherwise: config 0600, database created, a directory and a webhook instance. */
function setup(options: Setup = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'scimify-doctor-'))
  dirs.push(dir)
  const configPath = join(dir, 'config.yaml')
  const database = options.database ?? './data/scimify.db'
  const webhookUrl = options.webhookUrl ?? `http://127.0.0.1:${receiver.port}/scimify`
  const keyLines = (indent: string) => [
    `${indent}- id: "${key.id}"`,
    `${indent}  hash: ${key.hash}`,
    `${indent}  created: 2026-01-01T00:00:00Z`,
    ...(options.expires ? [`${indent}  expires: ${options.expires}`] : []),
  ]
  writeFileSync(
    configPath,
    [
      'server:',
      `  database: ${database}`,
      'instances:',
      '  - id: demo',
      '    connector: { type: directory }',
      '    keys:',
      ...keyLines('      '),
      '  - id: hooks',
      '    connector:',
      '      type: webhook',
      `      url: ${webhookUrl}`,
      '      secret: ${env:HOOK_SECRET}',
      '    keys:',
      `      - id: "${generateApiKey().id}"`,
      `        hash: ${key.hash}`,
      '        created: 2026-01-01T00:00:00Z',
      '',
    ].join('\n'),
  )
  chmodSync(configPath, 0o600)
  const databasePath = join(dir, database)
  if (options.createDatabase !== false) {
    // close(true) finalizes the migration statements, so the connection really closes and removes -wal and -shm.
    openDatabase(databasePath).close(true)
    chmodSync(join(dir, 'data'), 0o700)
    chmodSync(databasePath, 0o600)
  }
  return { dir, configPath, databasePath }
}

const doctor = (configPath: string, ...args: string[]) => runCommand((ctx) => makeDoctorCommand(ctx), ['doctor', ...args, '--config', configPath], { env })

async function checksOf(configPath: string, ...args: string[]): Promise<{ checks: Check[]; ok: boolean; exitCode: number }> {
  const run = await doctor(configPath, ...args, '--json')
  return { ...JSON.parse(run.stdout), exitCode: run.exitCode }
}

const find = (checks: Check[], what: string) => checks.filter((check) => check.what === what)

describe('scimify doctor', () => {
  test('a healthy setup: every line ok (or skipped with a reason), exit 0', async () => {
    const { configPath, databasePath } = setup()
    const run = await doctor(configPath)
    expect(run.exitCode).toBe(0)
    expect(run.stderr).toBe('')
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines.at(-1)).toBe('no problems found')
    expect(lines.slice(0, -1).every((line) => /^(ok|skip)  /.test(line))).toBe(true)
    expect(run.stdout).toContain(`ok    config file: ${configPath} is valid (2 instances)\n`)
    expect(run.stdout).toContain(`ok    database integrity: PRAGMA quick_check: ok\n`)
    expect(run.stdout).toMatch(/^ok {4}database schema: version \d+, as this build expects$/m)
    expect(run.stdout).toMatch(/^ok {4}WAL files: none beside the database/m)
    expect(run.stdout).toContain(`ok    instance hooks: reach http://127.0.0.1:${receiver.port}: connected; OPTIONS answered 405\n`)
    // The clock needs an HTTPS server the config names; a plain-HTTP receiver is not one.
    expect(run.stdout).toMatch(/^skip  clock: the config names no HTTPS server/m)
    expect(run.stdout).not.toContain(HOOK_SECRET)
    expect(run.stdout).not.toContain(key.secret)
    // Nothing that a receiver could take for an event, and nothing changed on disk.
    expect(received.map((request) => request.method)).toEqual(['OPTIONS'])
    expect(received[0].body).toBe('')
    expect(existsSync(`${databasePath}-wal`)).toBe(false)
  })

  test('--json: ok and every check with status, what, detail and fix', async () => {
    const { configPath } = setup({ expires: '2026-02-05T00:00:00Z' })
    const result = await checksOf(configPath)
    expect(result.ok).toBe(true)
    expect(result.exitCode).toBe(0)
    expect(find(result.checks, 'instance demo: keys')).toEqual([
      {
        status: 'warn',
        what: 'instance demo: keys',
        detail: `key ${key.id} expires on 2026-02-05T00:00:00Z, in 4 days, and no key lasts longer`,
        fix: `scimify keys rotate demo --grace 24h --config ${configPath}, update the IdP (docs/key-rotation.md)`,
      },
    ])
  })

  test('a world-writable config fails: anyone could add an API key', async () => {
    const { configPath } = setup()
    chmodSync(configPath, 0o666)
    const run = await doctor(configPath)
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(
      new RegExp(`^fail  config file permissions: mode 0666, owner \\S+: anyone on this machine can change it and add an API key — fix: chmod 0600 ${configPath} `, 'm'),
    )
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('1 failed')
  })

  test('a config readable by others is a warning, with the mode to set', async () => {
    const { configPath } = setup()
    chmodSync(configPath, 0o644)
    const result = await checksOf(configPath)
    expect(result.exitCode).toBe(0)
    expect(find(result.checks, 'config file permissions')[0]).toMatchObject({ status: 'warn', fix: expect.stringContaining(`chmod 0600 ${configPath}`) })
  })

  test('an expired key fails, with the command that makes a new one', async () => {
    const { configPath } = setup({ expires: '2026-01-30T00:00:00Z' })
    const run = await doctor(configPath)
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(
      'fail  instance demo: keys: every key has expired (the last on 2026-01-30T00:00:00Z): the IdP gets 401 — fix: ' +
        `scimify keys create demo --name <idp> --expires 365d --config ${configPath}, then paste the key into the IdP\n`,
    )
  })

  test('a missing database folder fails, and doctor does not create it', async () => {
    const { configPath, dir } = setup({ database: './missing/scimify.db', createDatabase: false })
    const result = await checksOf(configPath)
    expect(result.exitCode).toBe(1)
    expect(find(result.checks, 'database')).toEqual([
      expect.objectContaining({ status: 'fail', detail: `${join(dir, 'missing/scimify.db')}: its folder ${join(dir, 'missing')} does not exist` }),
    ])
    expect(existsSync(join(dir, 'missing'))).toBe(false)
  })

  test('no database yet in an existing folder is a warning: serve creates it', async () => {
    const { configPath, databasePath, dir } = setup({ createDatabase: false })
    mkdirSync(join(dir, 'data'), { mode: 0o700 })
    const result = await checksOf(configPath)
    expect(find(result.checks, 'database')[0]).toMatchObject({ status: 'warn', detail: `no database at ${databasePath} yet` })
    expect(existsSync(databasePath)).toBe(false)
  })

  test('a database of a newer scimify fails, and is not changed', async () => {
    const { configPath, databasePath } = setup()
    const db = openDatabase(databasePath)
    db.run("INSERT INTO _migrations (version, name, applied_at) VALUES (999, 'future', '2027-01-01T00:00:00Z')")
    db.close(true)
    const result = await checksOf(configPath)
    expect(result.exitCode).toBe(1)
    expect(existsSync(`${databasePath}-wal`)).toBe(false)
    expect(find(result.checks, 'database schema')).toEqual([
      {
        status: 'fail',
        what: 'database schema',
        detail: expect.stringMatching(/^version 999, written by a newer scimify; this build knows \d+ and serve refuses to start on it$/),
        fix: 'run the newer scimify binary again, or restore the backup taken before the upgrade (docs/upgrading.md)',
      },
    ])
  })

  test('a file that is not a database fails the integrity check', async () => {
    const { configPath, databasePath } = setup()
    writeFileSync(databasePath, 'not sqlite at all, but long enough to have a header...........')
    const result = await checksOf(configPath)
    expect(result.exitCode).toBe(1)
    expect(find(result.checks, 'database integrity')[0]).toMatchObject({ status: 'fail', fix: expect.stringContaining(`scimify restore <backup> --config ${configPath}`) })
  })

  test('a state folder others can write is reported', async () => {
    const { configPath, dir } = setup()
    chmodSync(join(dir, 'data'), 0o777)
    const result = await checksOf(configPath)
    expect(result.exitCode).toBe(1)
    expect(find(result.checks, 'state folder')[0]).toMatchObject({ status: 'fail', detail: expect.stringContaining('anyone on this machine can replace the database') })
  })

  test.skipIf(process.getuid?.() !== 0)('a -shm owned by another user than the database fails (root left it behind)', async () => {
    const { configPath, databasePath } = setup()
    chownSync(databasePath, 65534, 65534) // nobody: the service user here
    writeFileSync(`${databasePath}-shm`, '') // root's, as after a sqlite3 session as root
    const result = await checksOf(configPath)
    expect(find(result.checks, 'WAL files')).toEqual([
      expect.objectContaining({ status: 'fail', detail: expect.stringMatching(/-shm is owned by root:root, the database by \S+: the service cannot write it$/) }),
    ])
  })

  test('an unreachable webhook URL fails (a closed local port)', async () => {
    const port = closedPort()
    const { configPath } = setup({ webhookUrl: `http://127.0.0.1:${port}/hook?token=abc` })
    const run = await doctor(configPath)
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(`fail  instance hooks: reach http://127.0.0.1:${port}: connection refused: nothing listens there — fix: `)
    // Only the origin is printed: a query string may carry a token.
    expect(run.stdout).not.toContain('token=abc')
  })

  test('an invalid config: each problem fails; the database is still checked, instances are not', async () => {
    const { configPath } = setup()
    writeFileSync(configPath, 'server:\n  database: ./data/scimify.db\ninstances:\n  - id: demo\n    connector:\n      type: gitlab\n', { mode: 0o600 })
    const result = await checksOf(configPath)
    expect(result.exitCode).toBe(1)
    expect(find(result.checks, 'config file')).toEqual([
      expect.objectContaining({ status: 'fail', detail: `${configPath}: instances[0].connector.type: unknown connector "gitlab" (line 6)` }),
    ])
    expect(find(result.checks, 'database integrity')[0].status).toBe('ok')
    expect(find(result.checks, 'instances')).toEqual([{ status: 'skip', what: 'instances', detail: 'not checked: fix the config file first' }])
  })

  test('a secret the shell lacks: says to run doctor with the service environment', async () => {
    const { configPath } = setup()
    const run = await runCommand((ctx) => makeDoctorCommand(ctx), ['doctor', '--config', configPath, '--json'], { env: {} })
    const problem = (JSON.parse(run.stdout).checks as Check[]).find((check) => check.detail.includes('HOOK_SECRET'))
    expect(problem).toMatchObject({ status: 'fail', fix: expect.stringContaining('/etc/scimify/scimify.env') })
  })

  test('one instance when named; an unknown one is refused', async () => {
    const { configPath } = setup({ expires: '2026-01-30T00:00:00Z' })
    const hooks = await checksOf(configPath, 'hooks')
    expect(hooks.exitCode).toBe(0)
    expect(hooks.checks.some((check) => check.what.startsWith('instance demo'))).toBe(false)
    expect(await doctor(configPath, 'nope')).toEqual({ stdout: '', stderr: 'unknown instance "nope"\n', exitCode: 1 })
  })

  test('a disabled instance is skipped, not probed', async () => {
    const { configPath } = setup({ webhookUrl: `http://127.0.0.1:${closedPort()}/hook` })
    writeFileSync(configPath, (await Bun.file(configPath).text()).replace('  - id: hooks\n', '  - id: hooks\n    enabled: false\n'), { mode: 0o600 })
    const result = await checksOf(configPath)
    expect(result.exitCode).toBe(0)
    expect(find(result.checks, 'instance hooks')).toEqual([expect.objectContaining({ status: 'skip' })])
  })
})

describe('a connector with checkAccess', () => {
  const calls: { settings: unknown; deps: ConnectorDeps }[] = []
  const checked = {
    type: 'checked',
    description: 'test connector with an access check',
    settings: v.strictObject({ org: v.string() }),
    capabilities: { users: true, groups: true, import: false },
    create: () => ({ apply: async () => ({}) }),
    checkAccess: async (settings: unknown, deps: ConnectorDeps) => {
      calls.push({ settings, deps })
      return {
        ok: false,
        checks: [
          { name: 'credentials', ok: true, detail: 'accepted' },
          { name: 'permissions', ok: false, detail: 'the token lacks admin:org', fix: 'grant admin:org' },
        ],
      }
    },
  } satisfies ConnectorDefinition & { checkAccess: AccessChecker }
  const registry = new ConnectorRegistry([...connectors, checked])

  test('is called with its settings and an HTTP client; its checks become lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scimify-doctor-'))
    dirs.push(dir)
    const configPath = join(dir, 'config.yaml')
    writeFileSync(configPath, `instances:\n  - id: app\n    connector: { type: checked, org: acme }\n`, { mode: 0o600 })
    const run = await runCommand((ctx) => makeDoctorCommand(ctx), ['doctor', '--config', configPath], { registry })
    expect(calls).toHaveLength(1)
    expect(calls[0].settings).toEqual({ org: 'acme' })
    expect(calls[0].deps.instance).toBe('app')
    expect(typeof calls[0].deps.http.fetch).toBe('function')
    expect(run.stdout).toContain('ok    instance app: checked access (credentials): accepted\n')
    expect(run.stdout).toContain('fail  instance app: checked access (permissions): the token lacks admin:org — fix: grant admin:org\n')
    expect(run.exitCode).toBe(1)
  })
})

describe('judgeSkew', () => {
  test('within 30 s is ok, beyond is a warning, beyond 5 minutes a failure', () => {
    expect(judgeSkew(400, 'https://a.example')).toEqual({ status: 'ok', what: 'clock', detail: 'within a second of https://a.example' })
    expect(judgeSkew(-12_000, 'https://a.example')).toMatchObject({ status: 'ok', detail: '12 s ahead of https://a.example' })
    expect(judgeSkew(45_000, 'https://a.example')).toMatchObject({ status: 'warn', detail: '45 s behind https://a.example', fix: expect.stringContaining('timedatectl set-ntp true') })
    expect(judgeSkew(-600_000, 'https://a.example')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^600 s ahead of/) })
  })
})
