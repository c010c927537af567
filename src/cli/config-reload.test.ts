import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectors } from '../../connectors'
import { createApp, type App } from '../app'
import { generateApiKey } from '../auth/api-key'
import { addApiKey } from '../config/edit'
import { loadConfigFile } from '../config/load'
import type { Config } from '../config/schema'
import { ConnectorRegistry } from '../connector/registry'
import { memoryLogger } from '../log'
import { configReloader, handleHangup, type ConfigReloader } from './config-reload'

const registry = new ConnectorRegistry(connectors)
let dir: string
let path: string
let app: App
let logger: ReturnType<typeof memoryLogger>
let reloader: ConfigReloader

function load(): Config {
  const loaded = loadConfigFile(path, registry, {})
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues))
  return loaded.config
}

function withNewKey(): string {
  const key = generateApiKey()
  writeFileSync(path, addApiKey(readFileSync(path, 'utf8'), 'demo', { id: key.id, hash: key.hash, created: '2026-01-31T12:00:00Z' }))
  return key.secret
}

async function usersStatus(key: string): Promise<number> {
  const response = await app.handle(new Request('http://localhost/scim/v2/demo/Users', { headers: { authorization: `Bearer ${key}` } }))
  return response.status
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scimify-reload-'))
  path = join(dir, 'config.yaml')
  writeFileSync(path, 'server:\n  database: ":memory:"\ninstances:\n  - id: demo\n    connector:\n      type: directory\n    keys: []\n')
  const startup = load()
  logger = memoryLogger()
  app = createApp(startup, { databasePath: ':memory:', logger })
  reloader = configReloader({ path, registry, env: {}, app, logger, startup })
})
afterEach(async () => {
  await app.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('configReloader.reload (SIGHUP)', () => {
  test('a key added to the file is accepted right after the reload', async () => {
    const key = withNewKey()
    expect(await usersStatus(key)).toBe(401)
    reloader.reload('SIGHUP')
    expect(await usersStatus(key)).toBe(200)
    expect(logger.lines.join('')).toMatch(new RegExp(`INFO config reloaded path=${path} instances=1 signal=SIGHUP\\n`))
  })

  test('an invalid file is logged and the last good config stays', async () => {
    const key = withNewKey()
    reloader.reload('SIGHUP')
    writeFileSync(path, readFileSync(path, 'utf8').replace('type: directory', 'type: gitlab'))
    reloader.reload('SIGHUP')
    expect(await usersStatus(key)).toBe(200)
    const log = logger.lines.join('')
    expect(log).toMatch(/ERROR config file not applied issue="instances\[0\]\.connector\.type: unknown connector \\"gitlab\\" \(line 6\)" signal=SIGHUP\n/)
    expect(log).toMatch(/WARN keeping the last valid config path=/)
  })

  test('says when a change needs a restart', () => {
    writeFileSync(path, readFileSync(path, 'utf8').replace('database: ":memory:"', 'database: ":memory:"\n  listen: 127.0.0.1:9999'))
    reloader.reload('SIGHUP')
    expect(logger.lines.join('')).toContain('WARN server.listen, server.database and server.metrics.listen take effect after a restart')
  })

  test('says that TLS and the body limit take effect on SIGHUP or a restart, and applies the rest of server.limits at once', () => {
    writeFileSync(path, readFileSync(path, 'utf8').replace('database: ":memory:"', 'database: ":memory:"\n  limits:\n    max_body_bytes: 4096\n    max_concurrent: 4'))
    reloader.reload('SIGHUP')
    expect(logger.lines.join('')).toContain('WARN server.tls and server.limits.max_body_bytes take effect on SIGHUP (systemctl reload) or a restart')
    expect(logger.lines.join('')).not.toContain('server.listen, server.database')
    expect(app.config().server.limits).toEqual({ max_body_bytes: 4096, max_concurrent: 4 })
  })
})

describe('handleHangup', () => {
  const hangupSignal = () => process.emit('SIGHUP' as NodeJS.Signals)

  test('a SIGHUP while serve starts reloads once the reloader is there; after stop() SIGHUP is no longer handled here', async () => {
    const hangup = handleHangup()
    try {
      const key = withNewKey()
      hangupSignal()
      expect(await usersStatus(key)).toBe(401)
      hangup.reloadWith(reloader)
      expect(await usersStatus(key)).toBe(200)

      const next = withNewKey()
      hangupSignal()
      expect(await usersStatus(next)).toBe(200)
    } finally {
      hangup.stop()
    }
    const reloads = logger.lines.filter((line) => line.includes('config reloaded')).length
    hangupSignal()
    expect(logger.lines.filter((line) => line.includes('config reloaded')).length).toBe(reloads)
    expect(reloads).toBe(2)
  })
})
