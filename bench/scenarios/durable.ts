/**
 * @module Rows 1 and 4 again with `server.durability: full` (an fsync before answering, shared by the writes that
 * arrive together): a second scimify on a fresh database, loaded with as many users as the first tier, then PATCHed.
 */
import { join } from 'node:path'
import type { Bench } from '../context'
import { ceilingsOf, reachesShare } from '../context'
import { drive } from '../drive'
import { createKey, DIRECTORY_INSTANCE, prepareWorkspace, startScimify } from '../server'
import type { LoadSpec } from '../spec'
import { PATCH_CONCURRENCY } from './patch'
import { POST_CONCURRENCY } from './users'

export async function measureFullDurability(bench: Bench): Promise<void> {
  const users = bench.profile.tiers[0]
  const ws = prepareWorkspace(bench.ws.binary, DIRECTORY_INSTANCE, '  durability: full\n')
  const key = createKey(ws, 'bench')
  const server = await startScimify(ws)
  try {
    const usersFile = join(ws.dir, 'users.json')
    const base: LoadSpec = { kind: 'create-users', base: `${server.url}/scim/v2/bench`, key, concurrency: POST_CONCURRENCY, maxRequests: users, maxSeconds: 3_600, start: 0, outFile: usersFile }
    const created = await drive(base, server.process.pid)
    const postCeilings = ceilingsOf(bench.ceiling, 'create-users', POST_CONCURRENCY)
    bench.rows.push({ scenario: '1f. POST /Users, durability full (fsync)', users, load: created, ...postCeilings, value: `${created.seconds.toFixed(1)} s`, target: '≥ 25% of ceiling', meets: reachesShare(created, postCeilings.ceiling, 0.25) })
    const patched = await drive({ ...base, kind: 'patch-title', concurrency: PATCH_CONCURRENCY, maxRequests: bench.profile.maxRequests, maxSeconds: bench.profile.seconds, usersFile, outFile: undefined }, server.process.pid)
    const patchCeilings = ceilingsOf(bench.ceiling, 'patch-title', PATCH_CONCURRENCY)
    bench.rows.push({ scenario: '4f. PATCH Replace title, durability full (fsync)', users, load: patched, ...patchCeilings, target: '≥ 25% of ceiling', meets: reachesShare(patched, patchCeilings.ceiling, 0.25) })
  } finally {
    await server.stop()
  }
}
