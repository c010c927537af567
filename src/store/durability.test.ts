import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectors } from '../../connectors'
import { formatIssue, parseConfig } from '../config/load'
import { ConnectorRegistry } from '../connector/registry'
import { openDatabase } from './db'

const registry = new ConnectorRegistry(connectors)
const config = (server: string) => `server:\n${server}instances:\n  - id: demo\n    connector:\n      type: directory\n`
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

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
    const dir = mkdtempSync(join(tmpdir(), 'scimify-durability-'))
    dirs.push(dir)
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
