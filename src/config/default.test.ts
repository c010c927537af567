import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectors } from '../../connectors'
import { ConnectorRegistry } from '../connector/registry'
import { DEFAULT_CONFIG_YAML, ensureDefaultConfig } from './default'
import { addApiKey, removeApiKey } from './edit'
import { parseConfig } from './load'

describe('DEFAULT_CONFIG_YAML', () => {
  test('is the demo config', () => {
    const result = parseConfig(DEFAULT_CONFIG_YAML, new ConnectorRegistry(connectors))
    expect(result).toEqual({
      ok: true,
      config: {
        server: { audit_retention: '90d', listen: '127.0.0.1:8080', database: './scimify.db' },
        instances: [
          { id: 'demo', name: 'Demo directory', enabled: true, mode: 'users_and_groups', sync: { full_interval: '6h', drift: 'repair', prune_unmanaged: false, import_match: 'email' }, connector: { type: 'directory', settings: {} }, keys: [], extensions: [] },
        ],
      },
    })
  })

  test('takes a key and gives it back unchanged', () => {
    const key = { id: '3f9a0c1d2e4b', hash: `sha256:${'a'.repeat(64)}`, created: '2026-01-31T00:00:00Z' }
    expect(removeApiKey(addApiKey(DEFAULT_CONFIG_YAML, 'demo', key), 'demo', key.id)).toBe(DEFAULT_CONFIG_YAML)
  })
})

describe('ensureDefaultConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimify-default-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('creates parent directories and a 0600 file once', () => {
    const path = join(dir, 'nested', 'data', 'config.yaml')
    expect(ensureDefaultConfig(path)).toBe(true)
    expect(readFileSync(path, 'utf8')).toBe(DEFAULT_CONFIG_YAML)
    expect(statSync(path).mode & 0o777).toBe(0o600)

    writeFileSync(path, 'edited\n')
    expect(ensureDefaultConfig(path)).toBe(false)
    expect(readFileSync(path, 'utf8')).toBe('edited\n')
  })
})
