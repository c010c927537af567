/**
 * End-to-end test of `scimify backup` and `scimify restore` on the real
 * executable: a backup taken while writes pour in holds every write that was
 * acknowledged before it started; restore refuses while serve runs, and
 * after a stop puts that state back.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { newUser } from '../support/app'
import { bearer, runScimify, startServer, tempDir, writeConfig, type RunningServer } from './support'

const WRITES = 400
const CONCURRENCY = 8
/** The backup starts once this many writes are acknowledged, with the rest still coming. */
const BACKUP_AFTER = 100

const servers: RunningServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop('SIGKILL')
})

interface Ack {
  id: string
  /** performance.now() when the 201 arrived. */
  at: number
}

/**
 * POSTs WRITES users, CONCURRENCY at a time, and records each acknowledged
 * one. `onAck` runs after each acknowledgement (to start the backup).
 */
async function writeUsers(server: RunningServer, key: string, onAck: (acks: Ack[], inFlight: number) => void): Promise<Ack[]> {
  const acks: Ack[] = []
  let next = 0
  let inFlight = 0
  const worker = async () => {
    while (next < WRITES) {
      const n = next++
      inFlight++
      const response = await fetch(`${server.url}/scim/v2/demo/Users`, {
        method: 'POST',
        headers: bearer(key),
        body: JSON.stringify(newUser(`load-${n}@example.com`)),
      })
      inFlight--
      const body = (await response.json()) as { id: string }
      if (response.status !== 201) throw new Error(`POST ${n}: ${response.status} ${JSON.stringify(body)}`)
      acks.push({ id: body.id, at: performance.now() })
      onAck(acks, inFlight)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return acks
}

describe('scimify backup and restore', () => {
  test('a backup under load holds every write acknowledged before it started; restore puts it back', async () => {
    const dir = tempDir()
    const config = writeConfig(dir)
    const database = join(dir, 'state', 'scimify.db')
    const backupFile = join(dir, 'backups', 'scimify.db')
    const key = (await runScimify(['keys', 'create', 'demo', '--config', config])).stdout.trim()
    const first = await startServer(['--config', config])
    servers.push(first)
    mkdirSync(join(dir, 'backups'))

    let backup: Promise<{ startedAt: number; result: Awaited<ReturnType<typeof runScimify>> }> | undefined
    let inFlightAtBackup = 0
    const acks = await writeUsers(first, key, (acks, inFlight) => {
      if (backup || acks.length < BACKUP_AFTER) return
      inFlightAtBackup = inFlight
      const startedAt = performance.now()
      backup = runScimify(['backup', backupFile, '--config', config]).then((result) => ({ startedAt, result }))
    })
    const { startedAt, result } = await backup!
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`^backed up ${database} to ${backupFile} \\(\\d+ bytes\\)\\n$`))
    // The backup really ran beside the load.
    expect(inFlightAtBackup).toBeGreaterThan(0)
    expect(acks.length).toBe(WRITES)
    const before = acks.filter((ack) => ack.at < startedAt)
    expect(before.length).toBeGreaterThanOrEqual(BACKUP_AFTER)

    // Never over an existing file.
    const again = await runScimify(['backup', backupFile, '--config', config])
    expect(again.exitCode).toBe(1)
    expect(again.stderr).toBe(`backup failed: ${backupFile} already exists: choose another name (a backup never overwrites a file)\n`)

    // Not while serve runs.
    const refused = await runScimify(['restore', backupFile, '--config', config])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain(`restore failed: ${database} is in use: stop scimify serve`)
    expect((await fetch(`${first.url}/scim/v2/demo/Users?count=0`, { headers: bearer(key) })).status).toBe(200)

    expect(await first.stop('SIGTERM')).toBe(0)
    servers.length = 0
    const restored = await runScimify(['restore', backupFile, '--config', config])
    expect(restored.stderr).toBe('')
    expect(restored.exitCode).toBe(0)
    expect(restored.stdout).toMatch(/^kept .*scimify\.db as .*scimify\.db\.before-restore-\d{8}T\d{6}Z\n/)
    expect(restored.stdout).toContain(`restored ${backupFile} to ${database}`)
    const kept = /^kept \S+ as (\S+)\n/.exec(restored.stdout)![1]
    expect(existsSync(kept)).toBe(true)

    const second = await startServer(['--config', config])
    servers.push(second)
    const missing: string[] = []
    for (const ack of before) {
      const response = await fetch(`${second.url}/scim/v2/demo/Users/${ack.id}`, { headers: bearer(key) })
      if (response.status !== 200) missing.push(`${ack.id}: ${response.status}`)
    }
    expect(missing).toEqual([])
    const total = (await (await fetch(`${second.url}/scim/v2/demo/Users?count=0`, { headers: bearer(key) })).json()) as { totalResults: number }
    expect(total.totalResults).toBeGreaterThanOrEqual(before.length)
    expect(total.totalResults).toBeLessThanOrEqual(WRITES)
  }, 60_000)
})
