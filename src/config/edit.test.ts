import { afterAll, describe, expect, test } from 'bun:test'
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectors } from '../../connectors'
import { ConnectorRegistry } from '../connector/registry'
import { addApiKey, expireApiKeys, removeApiKey, writeConfigFileAtomic } from './edit'
import { parseConfig } from './load'
import type { ApiKeyConfig } from './schema'

const registry = new ConnectorRegistry(connectors)
const hash = (c: string) => `sha256:${c.repeat(64)}`
const NEW_KEY: ApiKeyConfig = { id: 'cccccccccccc', name: 'okta: prod', hash: hash('c'), created: '2026-02-01T00:00:00Z' }
const NEW_KEY_LINES = (indent: string) =>
  [`${indent}- id: cccccccccccc`, `${indent}  name: "okta: prod"`, `${indent}  hash: ${hash('c')}`, `${indent}  created: 2026-02-01T00:00:00Z`]

// Hand-written formatting on purpose: comments, odd spacing, quoting, blank lines.
const FILE = `# top comment
server:
  listen: "127.0.0.1:9000"   # quoted, odd spacing

instances:
  - id: alpha
    connector:
      type: directory
    keys:
      # the IdP key
      - id: aaaaaaaaaaaa
        name: okta
        hash: ${hash('a')}
        created: 2026-01-01T00:00:00Z   # first

      - id: bbbbbbbbbbbb
        hash: ${hash('b')}
        created: 2026-01-02T00:00:00Z
        expires: 2026-06-01T00:00:00Z # planned
    # trailing comment of alpha


  - id: beta
    name: 'Beta'
    connector: {type: directory}
`
const lines = FILE.split('\n')
const withLines = (at: number, remove: number, ...insert: string[]) => lines.toSpliced(at, remove, ...insert).join('\n')
const lineIndex = (prefix: string) => lines.findIndex((line) => line.startsWith(prefix))

function keysOf(text: string, instance: string) {
  const result = parseConfig(text, registry)
  if (!result.ok) throw new Error(JSON.stringify(result.issues))
  return result.config.instances.find((i) => i.id === instance)!.keys
}

describe('addApiKey', () => {
  const example = readFileSync(join(import.meta.dir, '../../config.example.yaml'), 'utf8')

  test('on config.example.yaml changes only the keys line, and removeApiKey restores the file', () => {
    const added = addApiKey(example, 'demo', NEW_KEY)
    expect(keysOf(added, 'demo')).toEqual([NEW_KEY])

    const before = example.split('\n')
    const after = added.split('\n')
    const keysLine = before.indexOf('    keys: []')
    expect(keysLine).toBeGreaterThan(0)
    // Every other line, byte for byte and in order; `keys: []` became `keys:` plus the entry.
    expect(after.toSpliced(keysLine, 5)).toEqual(before.toSpliced(keysLine, 1))
    expect(after.slice(keysLine, keysLine + 5)).toEqual(['    keys:', ...NEW_KEY_LINES('      ')])

    expect(removeApiKey(added, 'demo', NEW_KEY.id)).toBe(example)
  })

  test('appends after the last entry of a block list, before the comments that follow it', () => {
    const added = addApiKey(FILE, 'alpha', NEW_KEY)
    expect(added).toBe(withLines(lineIndex('    # trailing comment'), 0, ...NEW_KEY_LINES('      ')))
    expect(keysOf(added, 'alpha').map((key) => key.id)).toEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb', NEW_KEY.id])
  })

  test('adds a keys list to an instance that has none', () => {
    const added = addApiKey(FILE, 'beta', NEW_KEY)
    expect(added).toBe(withLines(lines.length - 1, 0, '    keys:', ...NEW_KEY_LINES('      ')))
    // Also when the file does not end with a newline.
    expect(addApiKey(FILE.trimEnd(), 'beta', NEW_KEY)).toBe(added)
  })

  test('turns an empty `keys:` (with a comment) into a block list', () => {
    const text = 'instances:\n  - id: a\n    connector: { type: directory }\n    keys: # none yet\n'
    const added = addApiKey(text, 'a', NEW_KEY)
    expect(added).toBe(['instances:', '  - id: a', '    connector: { type: directory }', '    keys: # none yet', ...NEW_KEY_LINES('      '), ''].join('\n'))
    expect(removeApiKey(added, 'a', NEW_KEY.id)).toBe(text.replace('keys: #', 'keys: [] #'))
  })

  test('rewrites a flow list with entries as a block list', () => {
    const text = `instances:\n  - id: a\n    connector: { type: directory }\n    keys: [{ id: aaaaaaaaaaaa, hash: "${hash('a')}", created: 2026-01-01T00:00:00Z }]\n`
    const added = addApiKey(text, 'a', NEW_KEY)
    expect(keysOf(added, 'a').map((key) => key.id)).toEqual(['aaaaaaaaaaaa', NEW_KEY.id])
    expect(added).toContain(`    keys:\n      - id: aaaaaaaaaaaa\n        hash: ${hash('a')}\n`)
  })

  test('quotes values YAML would read as something else', () => {
    const added = addApiKey(FILE, 'beta', { ...NEW_KEY, id: '123456789012', name: 'true' })
    expect(added).toContain('      - id: "123456789012"\n        name: "true"\n')
    expect(keysOf(added, 'beta')[0]).toMatchObject({ id: '123456789012', name: 'true' })
  })

  test('keeps CRLF line endings', () => {
    const crlf = FILE.replaceAll('\n', '\r\n')
    const added = addApiKey(crlf, 'alpha', NEW_KEY)
    expect(added.replaceAll('\r\n', '')).not.toContain('\n')
    expect(removeApiKey(added, 'alpha', NEW_KEY.id)).toBe(crlf)
  })

  test('refuses unknown instances and instances written in flow style', () => {
    expect(() => addApiKey(FILE, 'gamma', NEW_KEY)).toThrow('unknown instance "gamma"')
    const flow = 'instances: [{ id: a, connector: { type: directory } }]\n'
    expect(() => addApiKey(flow, 'a', NEW_KEY)).toThrow('instance "a" is written in flow style')
  })
})

describe('removeApiKey', () => {
  test('removes only the lines of the entry', () => {
    const start = lineIndex('      - id: aaaaaaaaaaaa')
    expect(removeApiKey(FILE, 'alpha', 'aaaaaaaaaaaa')).toBe(withLines(start, 4))
  })

  test('leaves `keys: []` when the last entry goes', () => {
    const once = removeApiKey(FILE, 'alpha', 'bbbbbbbbbbbb')
    const twice = removeApiKey(once, 'alpha', 'aaaaaaaaaaaa')
    expect(keysOf(twice, 'alpha')).toEqual([])
    const keysLine = lineIndex('    keys:')
    const expected = lines.toSpliced(lineIndex('      - id: bbbbbbbbbbbb'), 4).toSpliced(lineIndex('      - id: aaaaaaaaaaaa'), 4)
    expected[keysLine] = '    keys: []'
    expect(twice).toBe(expected.join('\n'))
  })

  test('removes from a flow list', () => {
    const text = `instances:\n  - id: a\n    connector: { type: directory }\n    keys: [{ id: aaaaaaaaaaaa, hash: "${hash('a')}", created: 2026-01-01T00:00:00Z }] # flow\n`
    expect(removeApiKey(text, 'a', 'aaaaaaaaaaaa')).toBe('instances:\n  - id: a\n    connector: { type: directory }\n    keys: [] # flow\n')
  })

  test('refuses an unknown key', () => {
    expect(() => removeApiKey(FILE, 'alpha', 'cccccccccccc')).toThrow('unknown key "cccccccccccc" in instance "alpha"')
    expect(() => removeApiKey(FILE, 'beta', 'aaaaaaaaaaaa')).toThrow('unknown key "aaaaaaaaaaaa" in instance "beta"')
  })
})

describe('expireApiKeys', () => {
  test('adds expires where missing and lowers a later one, keeping comments', () => {
    const expired = expireApiKeys(FILE, 'alpha', ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'], '2026-03-01T00:00:00Z')
    const expected = [...lines]
    expected[lineIndex('        expires: 2026-06-01')] = '        expires: 2026-03-01T00:00:00Z # planned'
    expected.splice(lineIndex('        created: 2026-01-01') + 1, 0, '        expires: 2026-03-01T00:00:00Z')
    expect(expired).toBe(expected.join('\n'))
    expect(keysOf(expired, 'alpha').map((key) => key.expires)).toEqual(['2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z'])
  })

  test('never extends an expiry', () => {
    expect(expireApiKeys(FILE, 'alpha', ['bbbbbbbbbbbb'], '2026-12-01T00:00:00Z')).toBe(FILE)
  })

  test('fills an empty `expires:` and updates flow entries', () => {
    const text = `instances:\n  - id: a\n    connector: { type: directory }\n    keys:\n      - id: aaaaaaaaaaaa\n        hash: ${hash('a')}\n        created: 2026-01-01T00:00:00Z\n        expires: # soon\n      - { id: bbbbbbbbbbbb, hash: "${hash('b')}", created: 2026-01-01T00:00:00Z }\n`
    const expired = expireApiKeys(text, 'a', ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'], '2026-03-01T00:00:00Z')
    expect(expired).toContain('        expires: 2026-03-01T00:00:00Z # soon\n')
    expect(keysOf(expired, 'a').map((key) => key.expires)).toEqual(['2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z'])
  })

  test('refuses an unknown key', () => {
    expect(() => expireApiKeys(FILE, 'alpha', ['cccccccccccc'], '2026-03-01T00:00:00Z')).toThrow('unknown key "cccccccccccc"')
  })
})

describe('writeConfigFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimify-edit-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('replaces the file by rename, with mode 0600, leaving no temp file', () => {
    const path = join(dir, 'config.yaml')
    writeFileSync(path, 'old\n', { mode: 0o644 })
    const inodeBefore = statSync(path).ino
    writeConfigFileAtomic(path, 'new\n')
    expect(readFileSync(path, 'utf8')).toBe('new\n')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(path).ino).not.toBe(inodeBefore)
    expect(readdirSync(dir)).toEqual(['config.yaml'])
  })

  test('leaves the original alone when it cannot write', () => {
    const path = join(dir, 'missing-dir', 'config.yaml')
    expect(() => writeConfigFileAtomic(path, 'x')).toThrow()
    expect(readdirSync(dir)).toEqual(['config.yaml'])
  })
})

describe('writeConfigFileAtomic keeps the owner', () => {
  test.skipIf(process.getuid?.() !== 0)('a file owned by the service user stays owned by it, mode 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scimify-owner-'))
    const path = `${dir}/config.yaml`
    writeFileSync(path, 'instances: []\n')
    chownSync(path, 65534, 65534) // nobody
    writeConfigFileAtomic(path, 'instances: []\n# edited\n')
    const stat = statSync(path)
    expect([stat.uid, stat.gid, stat.mode & 0o777]).toEqual([65534, 65534, 0o600])
  })
})
