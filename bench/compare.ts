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
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { drive } from './drive'
import { DIRECTORY_INSTANCE, firstOk, freePort, ROOT } from './server'
import type { LoadSpec, OpKind, UserRef } from './spec'

const [before, after, kind, pairsArg = '6', secondsArg = '6', usersArg = '10000'] = process.argv.slice(2) as [string, string, OpKind, ...string[]]
const KINDS: OpKind[] = ['get-id', 'filter', 'patch-title', 'create-users']
if (!before || !after || !KINDS.includes(kind)) {
  process.stderr.write(`usage: bun bench/compare.ts <before> <after> <${KINDS.join('|')}> [pairs] [seconds] [users]\n`)
  process.exit(2)
}
const [pairs, seconds, users] = [Number(pairsArg), Number(secondsArg), Number(usersArg)]
const dir = mkdtempSync(join(tmpdir(), 'scimify-compare-'))
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

const config = join(dir, 'config.yaml')
writeFileSync(config, `server:\n  listen: "127.0.0.1:0"\n  database: "./state/scimify.db"\ninstances:\n${DIRECTORY_INSTANCE}`)
const database = join(dir, 'state', 'scimify.db')
mkdirSync(join(dir, 'state'))
const keys = Bun.spawnSync([process.execPath, join(trees.before, 'src/main.ts'), 'keys', 'create', 'bench', '--config', config, '--name', 'bench'], { stdout: 'pipe', stderr: 'pipe' })
if (keys.exitCode !== 0) throw new Error(keys.stderr.toString())
const key = keys.stdout.toString().trim()
const usersFile = join(dir, 'users.json')

async function serve(tree: string) {
  const port = freePort()
  const child = Bun.spawn([process.execPath, join(tree, 'src/main.ts'), 'serve', '--config', config, '--listen', `127.0.0.1:${port}`], {
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: Bun.file(join(dir, 'serve.log')),
  })
  await firstOk(`http://127.0.0.1:${port}/healthz`, performance.now())
  return { child, base: `http://127.0.0.1:${port}/scim/v2/bench` }
}

const spec = (base: string, load: OpKind, extra: Partial<LoadSpec> = {}): LoadSpec => ({
  kind: load,
  base,
  key,
  concurrency: load === 'get-id' || load === 'filter' ? 32 : 16,
  maxRequests: 1_000_000,
  maxSeconds: seconds,
  usersFile,
  ...extra,
})

// The seeded database, by `before` (an older build cannot open a newer schema; `after` migrates its copy at start).
process.stderr.write(`seeding ${users} users with ${before}…\n`)
const seeder = await serve(trees.before)
const created = join(dir, 'created.json')
await drive(spec(seeder.base, 'create-users', { start: 0, maxRequests: users, maxSeconds: 3_600, outFile: created, usersFile: undefined }))
writeFileSync(usersFile, JSON.stringify((await Bun.file(created).json()) as UserRef[]))
seeder.child.kill('SIGTERM')
await seeder.child.exited
const seeded = join(dir, 'seeded.db')
copyFileSync(database, seeded)

const results: Record<'before' | 'after', { perSecond: number; cpuMicros: number }[]> = { before: [], after: [] }
for (let pair = 1; pair <= pairs; pair++) {
  for (const side of ['before', 'after'] as const) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(database + suffix, { force: true })
    copyFileSync(seeded, database)
    const server = await serve(trees[side])
    const extra: Partial<LoadSpec> = kind === 'create-users' ? { start: users, outFile: join(dir, 'c.json'), usersFile: undefined } : {}
    const result = await drive(spec(server.base, kind, extra), server.child.pid)
    if (result.serverCpuMicros === undefined) throw new Error('compare.ts measures server CPU from /proc: Linux only')
    const cpuMicros = result.serverCpuMicros
    server.child.kill('SIGTERM')
    await server.child.exited
    results[side].push({ perSecond: result.perSecond, cpuMicros })
    process.stderr.write(`pair ${pair} ${side}: ${Math.round(result.perSecond)} req/s, ${cpuMicros.toFixed(0)} µs of server CPU a request\n`)
  }
}
for (const tree of Object.values(trees)) git('worktree', 'remove', '--force', tree)

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length
const deviation = (values: number[]) => Math.sqrt(values.reduce((sum, value) => sum + (value - mean(values)) ** 2, 0) / Math.max(1, values.length - 1))
process.stdout.write(`| ${kind}, ${users} users, ${pairs} pairs of ${seconds} s | req/s | server CPU µs a request |\n|---|---:|---:|\n`)
for (const side of ['before', 'after'] as const) {
  const cpu = results[side].map((run) => run.cpuMicros)
  const revision = side === 'before' ? before : after
  process.stdout.write(`| ${side}: ${revision} | ${Math.round(mean(results[side].map((run) => run.perSecond)))} | ${mean(cpu).toFixed(0)} ± ${deviation(cpu).toFixed(0)} |\n`)
}
