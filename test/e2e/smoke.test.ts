/**
 * End-to-end smoke test of the executable: create a key, start, POST a user,
 * GET it, SIGKILL, restart, GET it again; and no acknowledged write lost when
 * the process is killed while writes are in flight.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { bearer, runScimify, startServer, tempDir, writeConfig, type RunningServer } from './support'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const running: RunningServer[] = []

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop('SIGKILL')
})

async function start(config: string) {
  const server = await startServer(['--config', config])
  running.push(server)
  return server
}

describe('the scimify binary', () => {
  test('a user written before SIGKILL is there after a restart', async () => {
    const config = writeConfig(tempDir())
    const created = await runScimify(['keys', 'create', 'demo', '--config', config, '--name', 'smoke'])
    expect(created.exitCode).toBe(0)
    const key = created.stdout.trim()
    expect(created.stdout).toBe(`${key}\n`)
    expect(key).toMatch(/^scimify_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)

    let server = await start(config)
    const post = await fetch(`${server.url}/scim/v2/demo/Users`, {
      method: 'POST',
      headers: bearer(key),
      body: JSON.stringify({ schemas: [USER], userName: 'smoke.user', emails: [{ value: 'smoke@example.com', primary: true }] }),
    })
    expect(post.status).toBe(201)
    const user = (await post.json()) as { id: string; userName: string }
    const get = await fetch(`${server.url}/scim/v2/demo/Users/${user.id}`, { headers: bearer(key) })
    expect(get.status).toBe(200)
    expect(((await get.json()) as { userName: string }).userName).toBe('smoke.user')

    expect(await server.stop('SIGKILL')).not.toBe(0)
    server = await start(config)
    const again = await fetch(`${server.url}/scim/v2/demo/Users/${user.id}`, { headers: bearer(key) })
    expect(again.status).toBe(200)
    expect(((await again.json()) as { userName: string }).userName).toBe('smoke.user')
    expect(server.log()).not.toContain(key)
    // Nothing went wrong on the way, e.g. the WAL checkpointer's worker missing from the executable.
    expect(server.log()).not.toContain('"level":"error"')
  })

  test('every write acknowledged before a SIGKILL survives it', async () => {
    const config = writeConfig(tempDir())
    const key = (await runScimify(['keys', 'create', 'demo', '--config', config])).stdout.trim()
    let server = await start(config)
    const acknowledged: string[] = []
    let killed = false

    // Keep 16 writers busy; kill the process the moment the 200th answer arrives,
    // while others are still in flight.
    const writer = async (worker: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const response = await fetch(`${server.url}/scim/v2/demo/Users`, {
            method: 'POST',
            headers: bearer(key),
            body: JSON.stringify({ schemas: [USER], userName: `w${worker}-${i}` }),
          })
          if (response.status !== 201) continue
          acknowledged.push(((await response.json()) as { id: string }).id)
          if (acknowledged.length >= 200 && !killed) {
            killed = true
            server.process.kill('SIGKILL')
          }
        } catch {
          return // connection refused or reset: the process is gone
        }
      }
    }
    await Promise.all(Array.from({ length: 16 }, (_, worker) => writer(worker)))
    await server.process.exited
    expect(acknowledged.length).toBeGreaterThanOrEqual(200)

    server = await start(config)
    const missing: string[] = []
    for (const id of acknowledged) {
      const response = await fetch(`${server.url}/scim/v2/demo/Users/${id}`, { headers: bearer(key) })
      if (response.status !== 200) missing.push(id)
    }
    expect(missing).toEqual([])
  })
})
