/** @module Scenario 6: group push, G groups created then M members added to each, one PATCH add per member. */
import { join } from 'node:path'
import type { Bench } from '../context'
import { specFor } from '../context'
import { drive } from '../drive'

export const GROUP_CONCURRENCY = 16

export async function measureGroupPush(bench: Bench): Promise<void> {
  const { groups, members } = bench.profile
  const ceiling = bench.ceiling.get(GROUP_CONCURRENCY)
  const groupsFile = join(bench.ws.dir, 'groups.json')
  const unbounded = { maxSeconds: 3_600 }
  const created = await drive(specFor(bench, 'create-groups', GROUP_CONCURRENCY, { ...unbounded, maxRequests: groups, outFile: groupsFile }))
  bench.rows.push({ scenario: `6. POST /Groups (${groups})`, users: bench.users.length, load: created, ceiling })
  const added = await drive(specFor(bench, 'group-add', GROUP_CONCURRENCY, { ...unbounded, maxRequests: groups * members, groupsFile, membersPerGroup: members }))
  const meets = ceiling ? added.perSecond >= 0.25 * ceiling && added.errors === 0 : undefined
  bench.rows.push({
    scenario: `6. Group push: PATCH add, ${groups} × ${members} members`,
    users: bench.users.length,
    load: added,
    ceiling,
    value: `${(created.seconds + added.seconds).toFixed(1)} s total`,
    target: '≥ 25% of ceiling (as PATCH)',
    meets,
  })
}
