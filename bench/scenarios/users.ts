/** @module Scenario 1: POST /Users while loading the database up to a number of users. */
import { join } from 'node:path'
import type { Bench } from '../context'
import { ceilingsOf, reachesShare, specFor } from '../context'
import { drive } from '../drive'
import type { UserRef } from '../spec'

export const POST_CONCURRENCY = 16

export async function loadUsers(bench: Bench, upTo: number): Promise<void> {
  const from = bench.users.length
  const outFile = join(bench.ws.dir, `created-${from}.json`)
  // Bounded by count, not time: every user must exist for the scenarios after it.
  const load = await drive(specFor(bench, 'create-users', POST_CONCURRENCY, { start: from, maxRequests: upTo - from, maxSeconds: 3_600, outFile, usersFile: undefined }), bench.server.process.pid)
  const created = (await Bun.file(outFile).json()) as UserRef[]
  bench.users.push(...created)
  await Bun.write(bench.usersFile, JSON.stringify(bench.users))
  const ceilings = ceilingsOf(bench.ceiling, 'create-users', POST_CONCURRENCY)
  const meets = reachesShare(load, ceilings.ceiling, 0.25)
  bench.rows.push({ scenario: `1. POST /Users (${from.toLocaleString('en-US')} → ${upTo.toLocaleString('en-US')})`, users: upTo, load, ...ceilings, value: `${load.seconds.toFixed(1)} s`, target: '≥ 25% of ceiling', meets })
}
