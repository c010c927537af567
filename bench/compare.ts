/**
 * @module `bun bench/compare.ts <before> <after> <kind> [pairs] [seconds] [users]`: what one change did to the
 * server's CPU per request. Checks out both git revisions (worktrees beside each other), seeds one database with
 * `users` users (default 10,000) using `before`, then alternates runs of the two from source, each on a fresh copy
 * of that database under the same load (`kind`: get-id, filter, patch-title or create-users), `pairs` times
 * (default 6) of `seconds` each (default 6). Prints req/s and the server's CPU time per request (user + system,
 * from /proc) as mean ± standard deviation per revision.
 *
 * Why pairs: the speed of this machine drifts by 10–25% from minute to minute, so one run of each says little;
 * alternating spreads the drift over both. Differences under about 15 µs were noise here with 6 pairs.
 */
import { mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { figuresTable, measureRun, prepareSourceBench, restoreSeeded, seedUsers, serveFromSource, sourceSpec, type RunFigures } from './from-source'
import { ROOT } from './server'
import type { LoadSpec, OpKind } from './spec'

const [before, after, kind, pairsArg = '6', secondsArg = '6', usersArg = '10000'] = process.argv.slice(2) as [string, string, OpKind, ...string[]]
const KINDS: OpKind[] = ['get-id', 'filter', 'patch-title', 'create-users']
if (!before || !after || !KINDS.includes(kind)) {
  process.stderr.write(`usage: bun bench/compare.ts <before> <after> <${KINDS.join('|')}> [pairs] [seconds] [users]\n`)
  process.exit(2)
}
const [pairs, seconds, users] = [Number(pairsArg), Number(secondsArg), Number(usersArg)]
const dir = mkdtempSync(join(tmpdir(), 'scimify-compare-trees-'))
const git = (...args: string[]) => {
  const run = Bun.spawnSync(['git', '-C', ROOT, ...args], { stdout: 'pipe', stderr: 'pipe' })
  if (run.exitCode !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr.toString()}`)
  return run.stdout.toString().trim()
}

/** A checkout of `revision` with the repository's node_modules. */
function checkout(name: string, revision: string): string {
  const tree = join(dir, name)
  git('worktree', 'add', '--detach', '--force', tree, revision)
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'))
  return tree
}
const trees = { before: checkout('before', before), after: checkout('after', after) }
const bench = prepareSourceBench(trees.before, 'compare', seconds)

// The seeded database, by `before` (an older build cannot open a newer schema; `after` migrates its copy at start).
process.stderr.write(`seeding ${users} users with ${before}…\n`)
await seedUsers(trees.before, bench, users)

const results: Record<'before' | 'after', RunFigures[]> = { before: [], after: [] }
for (let pair = 1; pair <= pairs; pair++) {
  for (const side of ['before', 'after'] as const) {
    restoreSeeded(bench)
    const server = await serveFromSource(trees[side], bench)
    const extra: Partial<LoadSpec> = kind === 'create-users' ? { start: users, outFile: join(bench.dir, 'c.json'), usersFile: undefined } : {}
    const run = await measureRun(server, sourceSpec(bench, server.base, kind, extra))
    results[side].push(run)
    process.stderr.write(`pair ${pair} ${side}: ${Math.round(run.perSecond)} req/s, ${run.cpuMicros.toFixed(0)} µs of server CPU a request\n`)
  }
}
for (const tree of Object.values(trees)) git('worktree', 'remove', '--force', tree)

process.stdout.write(
  figuresTable(`${kind}, ${users} users, ${pairs} pairs of ${seconds} s`, [
    [`before: ${before}`, results.before],
    [`after: ${after}`, results.after],
  ]),
)
