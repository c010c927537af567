/** @module Scenario 6: group push, G groups created then M members added to each, one PATCH add per member. */
import { join } from 'node:path'
import type { Bench } from '../context'
import { ceilingsOf, reachesShare, specFor } from '../context'
import { drive } from '../drive'

export const GROUP_CONCURRENCY = 16

export async function measureGroupPush(bench: Bench): Promise<void> {
  const { groups, members } = bench.profile
  const groupsFile = join(bench.ws.dir, 'groups.json')
  const unbounded = { maxSeconds: 3_600 }
  const created = await drive(specFor(bench, 'create-groups', GROUP_CONCURRENCY, { ...unbounded, maxRequests: groups, outFile: groupsFile }), bench.server.process.pid)
  // Created with POSTs like row 1's: judged by nothing, given against that ceiling.
  bench.rows.push({ scenario: `6. POST /Groups (${groups})`, users: bench.users.length, load: created, ...ceilingsOf(bench.ceiling, 'create-users', GROUP_CONCURRENCY) })
  const added = await drive(specFor(bench, 'group-add', GROUP_CONCURRENCY, { ...unbounded, maxRequests: groups * members, groupsFile, membersPerGroup: members }), bench.server.process.pid)
  const ceilings = ceilingsOf(bench.ceiling, 'group-add', GROUP_CONCURRENCY)
  const meets = reachesShare(added, ceilings.ceiling, 0.25)
  bench.rows.push({
    scenario: `6. Group push: PATCH add, ${groups} × ${members} members`,
    users: bench.users.length,
    load: added,
    ...ceilings,
    value: `${(created.seconds + added.seconds).toFixed(1)} s total`,
    target: '≥ 25% of ceiling (as PATCH)',
    meets,
  })
}
