/**
 * End-to-end test of SIGHUP (`systemctl reload scimify`) on the real
 * executable: the config file is read again at once, and the process keeps
 * serving. (src/cli/config-reload.test.ts tests the reload itself, without
 * the polling watcher that would also pick a change up.)
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { bearer, eventually, runScimify, startServer, tempDir, writeConfig, type RunningServer } from './support'

const servers: RunningServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop('SIGKILL')
})

/** Log lines saying a SIGHUP reloaded the config (text or JSON logs). */
const hangupReloads = (server: RunningServer) => server.log().split('\n').filter((line) => /config reloaded.*SIGHUP/.test(line)).length

async function usersStatus(server: RunningServer, key: string): Promise<number> {
  return (await fetch(`${server.url}/scim/v2/demo/Users`, { headers: bearer(key) })).status
}

describe('SIGHUP', () => {
  test('rereads the config file at once and keeps serving; an invalid file keeps the last good config', async () => {
    const config = writeConfig(tempDir())
    const first = (await runScimify(['keys', 'create', 'demo', '--config', config])).stdout.trim()
    const server = await startServer(['--config', config])
    servers.push(server)

    // An unchanged file: the watcher reports nothing, so this line comes from the signal alone.
    server.process.kill('SIGHUP')
    expect(await eventually(async () => hangupReloads(server) === 1, 2000)).toBe(true)
    expect(await usersStatus(server, first)).toBe(200)

    // A key added to the file works as soon as the reload that followed it is logged.
    const second = (await runScimify(['keys', 'create', 'demo', '--config', config])).stdout.trim()
    server.process.kill('SIGHUP')
    expect(await eventually(async () => hangupReloads(server) === 2, 2000)).toBe(true)
    expect(await usersStatus(server, second)).toBe(200)

    const good = readFileSync(config, 'utf8')
    writeFileSync(config, good.replace('type: directory', 'type: gitlab'))
    server.process.kill('SIGHUP')
    expect(await eventually(async () => /config file not applied.*gitlab.*SIGHUP/.test(server.log()), 2000)).toBe(true)
    expect(await usersStatus(server, second)).toBe(200)

    expect(await server.stop('SIGTERM')).toBe(0)
    servers.length = 0
  })
})
