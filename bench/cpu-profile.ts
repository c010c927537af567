/**
 * @module `bun bench/cpu-profile.ts <kind> [users] [seconds]`: runs scimify from source under `bun --cpu-prof`,
 * loads `users` users (default 2,000; for group-add also 50 groups, then 100 members each), drives one load kind (get-id, filter, patch-title, create-users, …) from the
 * separate load generator, stops the server and prints the functions with the most CPU time, self and inclusive.
 * The .cpuprofile is kept (its path is printed) for Chrome DevTools or speedscope. CPU_PROFILE=off: no profiler,
 * only the load's req/s and latencies.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { drive } from './drive'
import { prepareSourceBench, serveFromSource, sourceSpec } from './from-source'
import { ROOT } from './server'
import type { LoadSpec, OpKind, UserRef } from './spec'

const [kind = 'get-id', usersArg = '2000', secondsArg = '5'] = process.argv.slice(2) as [OpKind?, string?, string?]
const users = Number(usersArg)
const bench = prepareSourceBench(ROOT, 'cpu-profile', Number(secondsArg))
const profileDir = join(bench.dir, 'profile')
const groupsFile = join(bench.dir, 'groups.json')
const profilerFlags = process.env.CPU_PROFILE !== 'off' ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []

// Users are loaded by an unprofiled server, so the profile holds only the measured load.
if (kind !== 'create-users') {
  const loader = await serveFromSource(ROOT, bench)
  const outFile = join(bench.dir, 'created.json')
  await drive(sourceSpec(bench, loader.base, 'create-users', { start: 0, maxRequests: users, maxSeconds: 3_600, outFile, usersFile: undefined }))
  await Bun.write(bench.usersFile, JSON.stringify((await Bun.file(outFile).json()) as UserRef[]))
  if (kind === 'group-add') await drive(sourceSpec(bench, loader.base, 'create-groups', { start: 0, maxRequests: 50, maxSeconds: 3_600, outFile: groupsFile }))
  loader.child.kill('SIGTERM')
  await loader.child.exited
}
const server = await serveFromSource(ROOT, bench, profilerFlags, 'serve-profiled.log')
const extra: Partial<LoadSpec> =
  kind === 'create-users'
    ? { start: 0, maxRequests: users, outFile: join(bench.dir, 'c.json'), usersFile: undefined }
    : kind === 'group-add'
      ? { groupsFile, membersPerGroup: 100, maxRequests: 5_000 }
      : {}
const result = await drive(sourceSpec(bench, server.base, kind, extra))
process.stdout.write(`${kind}: ${Math.round(result.perSecond)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms\n`)
server.child.kill('SIGTERM')
await server.child.exited
// CPU_PROFILE=off: the same run without the profiler (its overhead), for req/s from source.
if (process.env.CPU_PROFILE === 'off') process.exit(0)

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
const file = join(profileDir, readdirSync(profileDir)[0])
const profile = (await Bun.file(file).json()) as { nodes: Node[]; samples: number[]; timeDeltas: number[] }
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(ROOT, '').replace(/.*node_modules\//, '~')}:${n.callFrame.lineNumber + 1}`
const self = new Map<string, number>()
const inclusive = new Map<string, number>()
let total = 0
for (const [i, sample] of profile.samples.entries()) {
  const dt = profile.timeDeltas[i] ?? 0
  const node = byId.get(sample)
  if (!node || node.callFrame.functionName === '(idle)') continue
  total += dt
  self.set(label(node), (self.get(label(node)) ?? 0) + dt)
  const seen = new Set<string>()
  for (let at: number | undefined = sample; at !== undefined; at = parent.get(at)) {
    const l = label(byId.get(at)!)
    if (seen.has(l)) continue
    seen.add(l)
    inclusive.set(l, (inclusive.get(l) ?? 0) + dt)
  }
}
const top = (m: Map<string, number>, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([l, t]) => `${((100 * t) / total).toFixed(1).padStart(5)}%  ${l}`)
    .join('\n')
process.stdout.write(`\nbusy CPU ${(total / 1e6).toFixed(1)} s; profile ${file}\n\n## self\n${top(self, 30)}\n\n## inclusive\n${top(inclusive, 60)}\n`)
