/**
 * @module `bun run bench [--quick]`: builds scimify, starts it on a fresh database, drives it from a separate
 * load-generator process through every scenario, and prints one markdown table (see bench/README.md).
 */
import { usersFileIn, type Bench } from './context'
import { profileFor } from './profile'
import { formatTable } from './report'
import { measureCeilings } from './scenarios/ceiling'
import { measureDownstream } from './scenarios/downstream'
import { measureFullDurability } from './scenarios/durable'
import { measureGroupPush } from './scenarios/groups'
import { measurePaging } from './scenarios/paging'
import { measurePatch } from './scenarios/patch'
import { measureReads } from './scenarios/reads'
import { measureStartup, recordBinarySize, recordDatabaseSize, recordPeakRss } from './scenarios/resources'
import { recordScaling, type TierReads } from './scenarios/scaling'
import { loadUsers } from './scenarios/users'
import type { Row } from './report'
import { buildBinary, createKey, DIRECTORY_INSTANCE, prepareWorkspace, startScimify } from './server'

const profile = profileFor(process.argv.slice(2))
const began = performance.now()
const step = (what: string) => process.stderr.write(`[bench ${((performance.now() - began) / 1000).toFixed(1)} s] ${what}\n`)

step('building the binary')
const ws = prepareWorkspace(buildBinary(), DIRECTORY_INSTANCE)
const key = createKey(ws, 'bench')
const rows: Row[] = []

step('ceiling: bare Bun.serve')
const ceiling = await measureCeilings(profile, ws.dir, rows)

const server = await startScimify(ws)
const bench: Bench = { profile, ws, server, base: `${server.url}/scim/v2/bench`, key, ceiling, users: [], usersFile: usersFileIn(ws.dir), rows }
try {
  const tiers: TierReads[] = []
  for (const [n, tier] of profile.tiers.entries()) {
    step(`POST /Users up to ${tier}`)
    await loadUsers(bench, tier)
    if (n === profile.tiers.length - 1) recordDatabaseSize(bench)
    step(`reads at ${tier}`)
    const filter = await measureReads(bench)
    step(`PATCH at ${tier}`)
    await measurePatch(bench)
    step(`paging at ${tier}`)
    const paging = await measurePaging(bench)
    tiers.push({ users: tier, filter, paging })
  }
  recordScaling(bench, tiers)
  step('group push')
  await measureGroupPush(bench)
  recordPeakRss(bench)
} finally {
  await server.stop()
}
step('start times')
await measureStartup(bench, bench.users.length)
recordBinarySize(bench)
step('durability full (a second scimify)')
await measureFullDurability(bench)
step('downstream (webhook, a third scimify)')
await measureDownstream(bench)

// 1f and 4f (durability full) right after 1 and 4; the sort is stable.
const order = (row: Row) => (row.scenario.startsWith('Ceiling') ? 0 : row.scenario.startsWith('Scaling') ? 5.5 : (Number.parseFloat(row.scenario) || 9) + (/^\d+f\./.test(row.scenario) ? 0.5 : 0))
rows.sort((a, b) => order(a) - order(b))
step(`done; workspace ${ws.dir}`)
process.stdout.write(
  `## scimify bench (${profile.quick ? '--quick' : 'full'}), ${new Date().toISOString()}\n\n` +
    'Ceiling: bare Bun.serve answering a fixed body, driven by the same load generator at the same concurrency. "of ceiling": against the row\'s own requests sent to it (what Meets judges); "of plain": against plain GETs. Latencies are per request, at the client.\n\n' +
    `${formatTable(rows)}\n`,
)
