/**
 * End-to-end tests of `scimify serve` as an admin runs it: the quick start on
 * the embedded default, config changes applied while running, and the
 * config and keys commands on the real executable.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bearer, eventually, runScimify, startServer, tempDir, writeConfig, type RunningServer } from './support'

const running: RunningServer[] = []

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop('SIGKILL')
})

async function usersStatus(server: RunningServer, key: string, instance = 'demo'): Promise<number> {
  return (await fetch(`${server.url}/scim/v2/${instance}/Users`, { headers: bearer(key) })).status
}

describe('scimify serve', () => {
  test('first start on the embedded default creates a demo instance and prints its key once', async () => {
    const cwd = tempDir()
    // The default listens on 127.0.0.1:8080; give this run a free port through the env-free path:
    // start once to create the file, then point it at port 0 for the test.
    const first = await runScimify(['config', 'check'], { cwd })
    expect(first.exitCode).not.toBe(0) // no ./data/config.yaml yet: nothing to check
    const configPath = join(cwd, 'data', 'config.yaml')

    const server = await startServer([], { cwd, env: { SCIMIFY_LISTEN: '127.0.0.1:0' } })
    running.push(server)
    expect(existsSync(configPath)).toBe(true)
    const key = /API key for demo[^\n]*\n\s+(scimify_\S+)/.exec(server.banner)?.[1]
    expect(key).toBeDefined()
    expect(server.banner).toContain('/scim/v2/demo')
    expect(await usersStatus(server, key!)).toBe(200)
    expect(existsSync(join(cwd, 'data', 'scimify.db'))).toBe(true)
    const file = readFileSync(configPath, 'utf8')
    expect(file).not.toContain(key!)
    expect(file).toContain('sha256:')
    await server.stop('SIGTERM')
    running.length = 0

    const second = await startServer([], { cwd, env: { SCIMIFY_LISTEN: '127.0.0.1:0' } })
    running.push(second)
    expect(second.banner).not.toContain('scimify_')
    expect(second.banner).toContain('scimify keys rotate demo')
    expect(await usersStatus(second, key!)).toBe(200)
  })

  test('config changes apply within 2 seconds; an invalid file keeps the last good config', async () => {
    const dir = tempDir()
    const config = writeConfig(dir)
    const first = (await runScimify(['keys', 'create', 'demo', '--config', config])).stdout.trim()
    const server = await startServer(['--config', config])
    running.push(server)
    expect(await usersStatus(server, first)).toBe(200)

    // A key created while serving works without a restart.
    const second = (await runScimify(['keys', 'create', 'demo', '--config', config])).stdout.trim()
    expect(await eventually(async () => (await usersStatus(server, second)) === 200, 2000)).toBe(true)

    // A revoked key stops working.
    const firstId = first.split('_')[1]!
    expect((await runScimify(['keys', 'revoke', 'demo', firstId, '--config', config])).exitCode).toBe(0)
    expect(await eventually(async () => (await usersStatus(server, first)) === 401, 2000)).toBe(true)

    // An invalid file is logged and the last good config stays in force.
    const good = readFileSync(config, 'utf8')
    writeFileSync(config, good.replace('type: directory', 'type: gitlab'))
    expect(await eventually(async () => /config file not applied.*unknown connector.*gitlab/.test(server.log()), 2000)).toBe(true)
    expect(await usersStatus(server, second)).toBe(200)

    // Disabling the instance answers 403.
    writeFileSync(config, good.replace('enabled: true', 'enabled: false'))
    expect(await eventually(async () => (await usersStatus(server, second)) === 403, 2000)).toBe(true)

    // A new instance is served with its own key, which does not work on the old one.
    writeFileSync(config, good + '  - id: extra\n    connector:\n      type: directory\n    keys: []\n')
    const extraKey = (await runScimify(['keys', 'create', 'extra', '--config', config])).stdout.trim()
    expect(await eventually(async () => (await usersStatus(server, extraKey, 'extra')) === 200, 2000)).toBe(true)
    expect(await usersStatus(server, extraKey, 'demo')).toBe(401)

    const log = server.log()
    for (const key of [first, second, extraKey]) expect(log).not.toContain(key)
    // stderr is a pipe here, as under systemd: one JSON object per line.
    const lines = log.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line))
    expect(lines.find((line) => line.msg === 'request' && line.path === '/scim/v2/demo/Users' && line.status === 200)).toMatchObject({
      method: 'GET',
      duration_ms: expect.any(Number),
      instance: 'demo',
      key_id: expect.stringMatching(/^[0-9a-f]{12}$/),
    })
  })

  test('SIGTERM stops the server cleanly with exit code 0', async () => {
    const config = writeConfig(tempDir())
    const server = await startServer(['--config', config])
    expect(await server.stop('SIGTERM')).toBe(0)
  })

  test('/healthz answers without auth', async () => {
    const config = writeConfig(tempDir())
    const server = await startServer(['--config', config])
    running.push(server)
    const response = await fetch(`${server.url}/healthz`)
    expect(response.status).toBe(200)
  })
})

describe('scimify config check', () => {
  test('exit 0 on a valid file, exit 1 with every error and its line otherwise', async () => {
    const dir = tempDir()
    const config = writeConfig(dir)
    const ok = await runScimify(['config', 'check', '--config', config])
    expect(ok.exitCode).toBe(0)
    writeFileSync(config, readFileSync(config, 'utf8').replace('type: directory', 'type: gitlab').replace('enabled: true', 'enabled: maybe'))
    const bad = await runScimify(['config', 'check'], { env: { SCIMIFY_CONFIG: config } })
    expect(bad.exitCode).toBe(1)
    expect(bad.stderr).toContain('instances[0].connector.type: unknown connector "gitlab" (line 10)')
    expect(bad.stderr).toMatch(/instances\[0\]\.enabled: .* \(line 8\)/)
  })

  test('every command explains itself with an example', async () => {
    for (const command of [[], ['serve'], ['config'], ['config', 'check'], ['keys'], ['keys', 'create'], ['keys', 'list'], ['keys', 'revoke'], ['keys', 'rotate']]) {
      const help = await runScimify([...command, '--help'])
      expect({ command, exitCode: help.exitCode }).toEqual({ command, exitCode: 0 })
      expect(help.stdout).toContain('Example')
      expect(help.stdout).toContain('$ scimify')
    }
  })
})
