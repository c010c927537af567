import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectors } from '../../connectors'
import { hashApiKey, parseApiKeyId } from '../auth/api-key'
import { removeApiKey } from '../config/edit'
import { parseConfig } from '../config/load'
import { ConnectorRegistry } from '../connector/registry'
import { makeKeysCommand } from './keys'
import { FIXED_NOW, runCommand } from './test-harness'

const EXAMPLE = readFileSync(join(import.meta.dir, '../../config.example.yaml'), 'utf8')
const KEY_LINE = /^scimify_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n$/
const HOUR = 60 * 60 * 1000
const at = (offsetMs: number) => new Date(FIXED_NOW.getTime() + offsetMs).toISOString().replace('.000Z', 'Z')

let dir: string
let path: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scimify-keys-'))
  path = join(dir, 'config.yaml')
  writeFileSync(path, EXAMPLE)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const keys = (...args: string[]) => runCommand(makeKeysCommand, ['keys', ...args])
const fileText = () => readFileSync(path, 'utf8')
function demoKeys() {
  const result = parseConfig(fileText(), new ConnectorRegistry(connectors))
  if (!result.ok) throw new Error(JSON.stringify(result.issues))
  return result.config.instances.find((instance) => instance.id === 'demo')!.keys
}

describe('scimify keys create', () => {
  test('prints the key alone and stores only its hash, keeping the rest of the file', async () => {
    const run = await keys('create', 'demo', '--config', path, '--name', 'okta', '--expires', '90d')
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(KEY_LINE)
    const secret = run.stdout.trimEnd()
    const id = parseApiKeyId(secret)!

    expect(demoKeys()).toEqual([
      { id, name: 'okta', hash: hashApiKey(secret), created: '2026-01-31T12:00:00Z', expires: at(90 * 24 * HOUR) },
    ])
    expect(fileText()).not.toContain(secret)
    // Everything else, comments included, is as it was.
    expect(removeApiKey(fileText(), 'demo', id)).toBe(EXAMPLE)
    expect(run.stderr).toBe(
      `Created key ${id} for instance "demo". It is shown only this once: store it now.\n` +
        'A running `scimify serve` picks it up within 2 s.\n',
    )
  })

  test('finds the file through SCIMIFY_CONFIG and gives each key its own id', async () => {
    const env = { SCIMIFY_CONFIG: path }
    const first = await runCommand(makeKeysCommand, ['keys', 'create', 'demo'], { env })
    const second = await runCommand(makeKeysCommand, ['keys', 'create', 'demo'], { env })
    const ids = [first, second].map((run) => parseApiKeyId(run.stdout.trimEnd()))
    expect(demoKeys().map((key) => key.id)).toEqual(ids as string[])
    expect(ids[0]).not.toBe(ids[1])
    expect(demoKeys()[0]).not.toHaveProperty('expires')
  })

  test('refuses an unknown instance', async () => {
    expect(await keys('create', 'nope', '--config', path)).toEqual({ stdout: '', stderr: 'unknown instance "nope"\n', exitCode: 1 })
    expect(fileText()).toBe(EXAMPLE)
  })

  test('refuses to touch an invalid file and lists its issues', async () => {
    const invalid = EXAMPLE.replace('type: directory', 'type: gitlab')
    writeFileSync(path, invalid)
    const run = await keys('create', 'demo', '--config', path)
    expect(run).toEqual({ stdout: '', stderr: expect.stringMatching(/^instances\[0\]\.connector\.type: unknown connector "gitlab" \(line \d+\)\n$/), exitCode: 1 })
    expect(fileText()).toBe(invalid)
  })

  test('rejects a bad --expires before doing anything', async () => {
    const run = await keys('create', 'demo', '--config', path, '--expires', '3 months')
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('invalid duration "3 months"')
    expect(fileText()).toBe(EXAMPLE)
  })

  test('usage errors go through the context', async () => {
    const run = await keys('create')
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe("error: missing required argument 'instance'\n")
  })
})

describe('scimify keys list', () => {
  test('shows ids, names, dates and status, never keys or hashes', async () => {
    const okta = (await keys('create', 'demo', '--config', path, '--name', 'okta')).stdout.trimEnd()
    const old = (await keys('create', 'demo', '--config', path, '--expires', '0s')).stdout.trimEnd()
    const [oktaId, oldId] = [okta, old].map((secret) => parseApiKeyId(secret)!)

    const table = await keys('list', 'demo', '--config', path)
    expect(table).toEqual({
      stdout:
        'ID            NAME  CREATED               EXPIRES               STATUS\n' +
        `${oktaId}  okta  2026-01-31T12:00:00Z  never                 active\n` +
        `${oldId}  -     2026-01-31T12:00:00Z  2026-01-31T12:00:00Z  expired\n`,
      stderr: '',
      exitCode: 0,
    })

    const json = await keys('list', 'demo', '--config', path, '--json')
    expect(JSON.parse(json.stdout)).toEqual([
      { id: oktaId, name: 'okta', created: '2026-01-31T12:00:00Z', expires: null, status: 'active' },
      { id: oldId, name: null, created: '2026-01-31T12:00:00Z', expires: '2026-01-31T12:00:00Z', status: 'expired' },
    ])

    for (const output of [table.stdout, json.stdout]) {
      for (const secret of [okta, old]) {
        expect(output).not.toContain(secret)
        expect(output).not.toContain(hashApiKey(secret).slice('sha256:'.length))
      }
      expect(output).not.toContain('sha256:')
    }
  })

  test('an instance without keys gives the header only', async () => {
    expect((await keys('list', 'demo', '--config', path)).stdout).toBe('ID  NAME  CREATED  EXPIRES  STATUS\n')
  })
})

describe('scimify keys revoke', () => {
  test('removes the entry and nothing else', async () => {
    const id = parseApiKeyId((await keys('create', 'demo', '--config', path)).stdout.trimEnd())!
    const run = await keys('revoke', 'demo', id, '--config', path)
    expect(run).toEqual({
      stdout: '',
      stderr: `Revoked key ${id} of instance "demo". A running \`scimify serve\` refuses it within 2 s.\n`,
      exitCode: 0,
    })
    expect(fileText()).toBe(EXAMPLE)
  })

  test('refuses an unknown key', async () => {
    expect(await keys('revoke', 'demo', '0123456789ab', '--config', path)).toEqual({
      stdout: '',
      stderr: 'unknown key "0123456789ab" in instance "demo"\n',
      exitCode: 1,
    })
    expect(fileText()).toBe(EXAMPLE)
  })
})

describe('scimify keys rotate', () => {
  test('prints a new key and lets every older key expire after the grace period at the latest', async () => {
    const created = async (...args: string[]) => parseApiKeyId((await keys('create', 'demo', '--config', path, ...args)).stdout.trimEnd())
    const forever = await created()
    const soon = await created('--expires', '1h')
    const later = await created('--expires', '90d')

    const run = await keys('rotate', 'demo', '--config', path, '--name', 'okta 2')
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(KEY_LINE)
    const secret = run.stdout.trimEnd()
    expect(run.stderr).toContain(`The 3 older key(s) stop working at ${at(24 * HOUR)} at the latest.\n`)

    expect(demoKeys()).toEqual([
      expect.objectContaining({ id: forever, expires: at(24 * HOUR) }),
      expect.objectContaining({ id: soon, expires: at(HOUR) }),
      expect.objectContaining({ id: later, expires: at(24 * HOUR) }),
      { id: parseApiKeyId(secret), name: 'okta 2', hash: hashApiKey(secret), created: '2026-01-31T12:00:00Z' },
    ])
  })

  test('takes --grace', async () => {
    await keys('create', 'demo', '--config', path)
    await keys('rotate', 'demo', '--config', path, '--grace', '30m')
    expect(demoKeys().map((key) => key.expires)).toEqual([at(HOUR / 2), undefined])
  })
})
