import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { useTempDirs } from '../../test/support/temp-dir'
import { connectors } from '../../connectors'
import { formatIssue, parseConfig } from '../config/load'
import { ConnectorRegistry } from '../connector/registry'
import { openDatabase } from './db'

const tempDir = useTempDirs()

const registry = new ConnectorRegistry(connectors)
const config = (server: string) => `server:\n${server}instances:\n  - id: demo\n    connector:\n      type: directory\n`
describe('server.durability', () => {
  test('normal (the default) or full; anything else is an error naming the key and line', () => {
    const unset = parseConfig(config('  listen: 127.0.0.1:8080\n'), registry)
    const full = parseConfig(config('  durability: full\n'), registry)
    const wrong = parseConfig(config('  listen: 127.0.0.1:8080\n  durability: paranoid\n'), registry)
    expect(unset.ok && unset.config.server.durability).toBeUndefined()
    expect(full.ok && full.config.server.durability).toBe('full')
    expect(wrong.ok ? [] : wrong.issues.map(formatIssue)).toEqual(['server.durability: must be "normal" or "full" (line 3)'])
  })

  test('sets how SQLite syncs: normal writes the WAL before answering, full also fsyncs it', () => {
    const dir = tempDir('scimify-durability')
    const synchronous = (durability?: 'normal' | 'full') => {
      const db = openDatabase(join(dir, 'scimify.db'), durability)
      const value = (db.query('PRAGMA synchronous').get() as { synchronous: number }).synchronous
      db.close()
      return value
    }
    // SQLite's numbers: 1 NORMAL, 2 FULL.
    expect([synchronous(), synchronous('normal'), synchronous('full')]).toEqual([1, 1, 2])
  })
})
