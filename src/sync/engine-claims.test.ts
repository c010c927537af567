/** Two processes on one database (serve and `scimify sync`): a resource is reconciled by one of them at a time. */
import { afterEach, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { connectors } from '../../connectors'
import { newUser, scimClient, testInstanceConfig } from '../../test/support/app'
import { createApp } from '../app'
import { generateApiKey } from '../auth/api-key'
import type { Config } from '../config/schema'
import { ConnectorRegistry } from '../connector/registry'
import type { ConnectorDefinition, SyncOperation } from '../connector/types'
import { memoryLogger } from '../log'
import { openDatabase } from '../store/db'
import { SyncStore } from '../store/sync'

let dir: string | undefined
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }))

test('claims: an entry is taken by one reconcile at a time and lapses by itself', () => {
  const sync = new SyncStore(openDatabase(':memory:'))
  const key = { instance: 'a', type: 'User' as const, id: 'x' }
  sync.markDirty(key, 1_000)
  expect(sync.claim(key, 1_000, 5_000)).toBe(true)
  expect(sync.claim(key, 2_000, 6_000)).toBe(false)
  expect(sync.due(2_000, 10)).toEqual([])
  expect(sync.due(5_000, 10).map((e) => e.id)).toEqual(['x']) // lapsed
  sync.release(key)
  expect(sync.claim(key, 2_000, 6_000)).toBe(true)
  sync.reschedule(key, 3_000, 'boom', true) // a reschedule frees it
  expect(sync.due(3_000, 10, 'a').map((e) => e.id)).toEqual(['x'])
  expect(sync.due(3_000, 10, 'b')).toEqual([])
})

test('two engines on one database apply each operation once', async () => {
  dir = mkdtempSync(join(tmpdir(), 'scimify-claims-'))
  const databasePath = join(dir, 'scimify.db')
  const applied: SyncOperation[] = []
  const definition = {
    type: 'slow',
    description: 'records operations, slowly',
    settings: v.strictObject({}),
    capabilities: { users: true, groups: true, import: false },
    create: () => ({
      async apply(operation: SyncOperation) {
        applied.push(operation)
        await Bun.sleep(20)
        return operation.type.endsWith('.created') ? { link: { id: `d-${operation.resource.id}` } } : {}
      },
    }),
  } satisfies ConnectorDefinition<object>
  const key = generateApiKey()
  const config: Config = {
    server: { listen: '127.0.0.1:0', database: databasePath, audit_retention: '90d' },
    instances: [testInstanceConfig('alpha', key, { connector: { type: 'slow', settings: {} } })],
  }
  const registry = new ConnectorRegistry([...connectors, definition])
  const open = () => createApp(config, { databasePath, logger: memoryLogger(), registry })
  const [serve, cli] = [open(), open()]
  const client = scimClient(serve, { id: 'alpha', key: key.secret, keyId: key.id })
  for (const name of ['ann', 'bob', 'cat', 'dan']) expect((await client.post('/Users', newUser(name))).status).toBe(201)

  await Promise.all([serve.sync.runDue('alpha'), cli.sync.runDue('alpha')])
  expect(applied.map((op) => op.type)).toEqual(['user.created', 'user.created', 'user.created', 'user.created'])
  expect(new Set(applied.map((op) => op.resource.id)).size).toBe(4)
  expect(serve.syncState.queueLength('alpha')).toBe(0)
  await Promise.all([serve.close(), cli.close()])
})
