/** @module Scenario 7: peak server RSS, database size per 100,000 users, binary size, and start to the first 200 on /healthz. */
import { Database } from 'bun:sqlite'
import { readFileSync, statSync } from 'node:fs'
import type { Bench } from '../context'
import { startScimify, type Workspace } from '../server'

const MB = 1024 * 1024
const sizeOf = (path: string) => {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/** Peak resident set of a running process (VmHWM), in bytes. */
export function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
  return kb ? Number(kb) * 1024 : 0
}

/** The database with its WAL, now. */
export function databaseBytes(ws: Workspace): number {
  return sizeOf(ws.database) + sizeOf(`${ws.database}-wal`)
}

/**
 * The database's size per 100,000 users. The WAL is first checkpointed into the file and cut back (from a
 * connection of the bench's own, beside the running server), so what is measured is what the data takes, not how
 * far the WAL had grown (it is bounded by the server's checkpoints and its size limit, see src/store/checkpointer.ts).
 */
export function recordDatabaseSize(bench: Bench): void {
  const users = bench.users.length
  const walBefore = sizeOf(`${bench.ws.database}-wal`)
  const db = new Database(bench.ws.database, { readwrite: true })
  db.exec('PRAGMA busy_timeout = 5000')
  db.query('PRAGMA wal_checkpoint(TRUNCATE)').get()
  db.close()
  const bytes = databaseBytes(bench.ws)
  const per100k = (bytes * 100_000) / users
  bench.rows.push({
    scenario: '7. Database size per 100,000 users (db + WAL after a checkpoint, scaled)',
    users,
    value: `${(per100k / MB).toFixed(0)} MB (${(bytes / MB).toFixed(1)} MB measured; the WAL was ${(walBefore / MB).toFixed(1)} MB before)`,
  })
}

export function recordPeakRss(bench: Bench): void {
  const users = bench.users.length
  const rss = peakRss(bench.server.process.pid)
  bench.rows.push({
    scenario: '7. Peak server RSS (VmHWM) over the run',
    users,
    value: `${(rss / MB).toFixed(0)} MB`,
    target: '≤ 150 MB with 100k users',
    meets: users >= 100_000 ? rss <= 150 * MB : undefined,
  })
}

export function recordBinarySize(bench: Bench): void {
  bench.rows.push({ scenario: '7. Binary size', value: `${(sizeOf(bench.ws.binary) / MB).toFixed(0)} MB` })
}

/** With the bench server stopped: best of n starts on the bench database. */
export async function measureStartup(bench: Bench, users: number): Promise<void> {
  const times: number[] = []
  for (let i = 0; i < bench.profile.startups; i++) {
    const run = await startScimify(bench.ws, `startup-${i}.log`)
    times.push(run.startMs)
    await run.stop()
  }
  const best = Math.min(...times)
  bench.rows.push({
    scenario: `7. Start to first 200 on /healthz (best of ${times.length})`,
    users,
    value: `${best.toFixed(0)} ms (all: ${times.map((t) => t.toFixed(0)).join(', ')})`,
    target: '≤ 300 ms',
    meets: best <= 300,
  })
}
