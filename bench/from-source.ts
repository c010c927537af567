/**
 * @module Runs of scimify from a source tree (compare.ts, floor.ts, cpu-profile.ts): a temp dir with a config of
 * the `bench` instance and a key, servers started on free ports, a database seeded once with users, a fresh copy of
 * it before each run, and the run's load with the server's CPU time per request.
 */
import type { Subprocess } from 'bun'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { drive } from './drive'
import { DIRECTORY_INSTANCE, firstOk, freePort } from './server'
import type { LoadResult, LoadSpec, OpKind, UserRef } from './spec'

export interface SourceBench {
  dir: string
  config: string
  /** Where the servers' config puts the database. */
  database: string
  key: string
  usersFile: string
  seconds: number
}

/** A run: req/s and the server's CPU time per request. */
export interface RunFigures {
  perSecond: number
  cpuMicros: number
}

/** A temp dir with the config and a key made by `tree`'s CLI. */
export function prepareSourceBench(tree: string, name: string, seconds: number): SourceBench {
  const dir = mkdtempSync(join(tmpdir(), `scimify-${name}-`))
  const config = join(dir, 'config.yaml')
  writeFileSync(config, `server:\n  listen: "127.0.0.1:0"\n  database: "./state/scimify.db"\ninstances:\n${DIRECTORY_INSTANCE}`)
  mkdirSync(join(dir, 'state'))
  const keys = Bun.spawnSync([process.execPath, join(tree, 'src/main.ts'), 'keys', 'create', 'bench', '--config', config, '--name', 'bench'], { stdout: 'pipe', stderr: 'pipe' })
  if (keys.exitCode !== 0) throw new Error(keys.stderr.toString())
  return { dir, config, database: join(dir, 'state', 'scimify.db'), key: keys.stdout.toString().trim(), usersFile: join(dir, 'users.json'), seconds }
}

/** A server process (`command` given its port) on a free loopback port, its stderr to `log`, once it answers /healthz. */
export async function serveOnFreePort(command: (port: number) => string[], log: string): Promise<{ child: Subprocess; base: string }> {
  const port = freePort()
  const child = Bun.spawn(command(port), { stdin: 'ignore', stdout: 'ignore', stderr: Bun.file(log) })
  await firstOk(`http://127.0.0.1:${port}/healthz`, performance.now())
  return { child, base: `http://127.0.0.1:${port}/scim/v2/bench` }
}

/** `scimify serve` from `tree`'s source (with `bunFlags`, e.g. the CPU profiler's), its log to `log` in the bench's dir. */
export function serveFromSource(tree: string, bench: SourceBench, bunFlags: string[] = [], log = 'serve.log'): Promise<{ child: Subprocess; base: string }> {
  return serveOnFreePort(
    (port) => [process.execPath, ...bunFlags, join(tree, 'src/main.ts'), 'serve', '--config', bench.config, '--listen', `127.0.0.1:${port}`],
    join(bench.dir, log),
  )
}

/** A load of `kind` on the bench instance at `base`: c=32 for reads, 16 for writes, bounded by the bench's seconds. */
export function sourceSpec(bench: SourceBench, base: string, kind: OpKind, extra: Partial<LoadSpec> = {}): LoadSpec {
  return {
    kind,
    base,
    key: bench.key,
    concurrency: kind === 'get-id' || kind === 'filter' ? 32 : 16,
    maxRequests: 1_000_000,
    maxSeconds: bench.seconds,
    usersFile: bench.usersFile,
    ...extra,
  }
}

/** Creates `users` users with `tree`'s server and keeps the database as the copy every run starts from. */
export async function seedUsers(tree: string, bench: SourceBench, users: number): Promise<void> {
  const seeder = await serveFromSource(tree, bench)
  const created = join(bench.dir, 'created.json')
  await drive(sourceSpec(bench, seeder.base, 'create-users', { start: 0, maxRequests: users, maxSeconds: 3_600, outFile: created, usersFile: undefined }))
  writeFileSync(bench.usersFile, JSON.stringify((await Bun.file(created).json()) as UserRef[]))
  seeder.child.kill('SIGTERM')
  await seeder.child.exited
  copyFileSync(bench.database, seededCopy(bench))
}

/** Puts the seeded database back in place (without the last run's WAL). */
export function restoreSeeded(bench: SourceBench): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(bench.database + suffix, { force: true })
  copyFileSync(seededCopy(bench), bench.database)
}

/** Drives `spec` against a server and stops it: the run's figures. */
export async function measureRun(server: { child: Subprocess }, spec: LoadSpec): Promise<RunFigures & { load: LoadResult }> {
  const load = await drive(spec, server.child.pid)
  server.child.kill('SIGTERM')
  await server.child.exited
  if (load.serverCpuMicros === undefined) throw new Error('the server CPU is read from /proc: Linux only')
  return { perSecond: load.perSecond, cpuMicros: load.serverCpuMicros, load }
}

/** `| label | req/s | CPU mean ± sd |` for each series of runs. */
export function figuresTable(title: string, series: [label: string, runs: RunFigures[]][]): string {
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length
  const deviation = (values: number[]) => Math.sqrt(values.reduce((sum, value) => sum + (value - mean(values)) ** 2, 0) / Math.max(1, values.length - 1))
  const lines = [`| ${title} | req/s | server CPU µs a request |`, '|---|---:|---:|']
  for (const [label, runs] of series) {
    const cpu = runs.map((run) => run.cpuMicros)
    lines.push(`| ${label} | ${Math.round(mean(runs.map((run) => run.perSecond)))} | ${mean(cpu).toFixed(0)} ± ${deviation(cpu).toFixed(0)} |`)
  }
  return `${lines.join('\n')}\n`
}

function seededCopy(bench: SourceBench): string {
  return join(bench.dir, 'seeded.db')
}
