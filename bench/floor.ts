/**
 * @module `bun bench/floor.ts [runs] [seconds] [users] [get-id|patch-title]`: the floor of a GET by id (or of a
 * PATCH in Entra's shape) on this machine. Seeds a database of `users` users (default 10,000) from this checkout's
 * source, then alternates loads (GET at c=32, PATCH at c=16, `seconds` each, default 6) against floor-server.ts's
 * variants for that request and scimify itself from source, each on a fresh copy of the database, `runs` times
 * (default 4); prints req/s and the server's CPU time per request (mean ± sd). What the figures say about the
 * issue's targets: bench/RESULTS.md, "What the targets need of both cores".
 */
import { join } from 'node:path'
import { figuresTable, measureRun, prepareSourceBench, restoreSeeded, seedUsers, serveFromSource, serveOnFreePort, sourceSpec, type RunFigures } from './from-source'
import { ROOT } from './server'

const [runsArg = '4', secondsArg = '6', usersArg = '10000', kindArg = 'get-id'] = process.argv.slice(2)
const [runs, seconds, users] = [Number(runsArg), Number(secondsArg), Number(usersArg)]
if (kindArg !== 'get-id' && kindArg !== 'patch-title') {
  process.stderr.write('usage: bun bench/floor.ts [runs] [seconds] [users] [get-id|patch-title]\n')
  process.exit(2)
}
const kind: 'get-id' | 'patch-title' = kindArg
const bench = prepareSourceBench(ROOT, 'floor', seconds)
process.stderr.write(`seeding ${users} users…\n`)
await seedUsers(ROOT, bench, users)

function serveFloor(variant: 'read' | 'quiet' | 'parts' | 'patch') {
  const server = join(import.meta.dir, 'floor-server.ts')
  return serveOnFreePort((port) => [process.execPath, server, variant, bench.config, bench.database, String(port)], join(bench.dir, `floor-${variant}.log`))
}

const scimify = { 'scimify (Elysia and the request wrapper), from source': () => serveFromSource(ROOT, bench) }
const servers =
  kind === 'get-id'
    ? {
        'the stored document by id, nothing else (floor-server.ts read)': () => serveFloor('read'),
        "scimify's parts of a GET on Bun's router but the access log: key, store.get, default view, metrics (quiet)": () => serveFloor('quiet'),
        '…and the access-log line: all scimify does for a GET (parts)': () => serveFloor('parts'),
        ...scimify,
      }
    : {
        "scimify's parts of a PATCH on Bun's router: key, body, service.patch, audit, group commit, metrics, access log (patch)": () => serveFloor('patch'),
        ...scimify,
      }
const results = new Map<string, RunFigures[]>(Object.keys(servers).map((label) => [label, []]))
for (let round = 1; round <= runs; round++) {
  for (const [label, start] of Object.entries(servers)) {
    restoreSeeded(bench)
    const server = await start()
    const run = await measureRun(server, sourceSpec(bench, server.base, kind))
    results.get(label)!.push(run)
    process.stderr.write(`run ${round}: ${Math.round(run.perSecond)} req/s, ${run.cpuMicros.toFixed(0)} µs: ${label}\n`)
  }
}
const request = kind === 'get-id' ? 'GET /Users/{id}, c=32' : 'PATCH /Users/{id} (Entra shape), c=16'
process.stdout.write(figuresTable(`${request}, ${users} users, ${runs} runs of ${seconds} s`, [...results]))
