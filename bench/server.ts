/** @module The processes under test: builds the scimify binary, writes its config and keys, starts it and the bare Bun.serve ceiling. */
import type { Subprocess } from 'bun'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { BUILD_ENTRYPOINTS } from '../test/e2e/support'

export const ROOT = resolve(import.meta.dir, '..')
export const WEBHOOK_SECRET = `whsec-bench-${crypto.randomUUID()}`
const ENV = { ...process.env, SCIMIFY_BENCH_WEBHOOK_SECRET: WEBHOOK_SECRET }

export interface Workspace {
  dir: string
  binary: string
  config: string
  database: string
}

/** Builds the scimify binary into a new temp dir. */
export function buildBinary(): string {
  const binary = join(mkdtempSync(join(tmpdir(), 'scimify-bench-bin-')), 'scimify')
  const build = Bun.spawnSync([process.execPath, 'build', ...BUILD_ENTRYPOINTS.map((entry) => join(ROOT, entry)), '--compile', '--outfile', binary], { cwd: ROOT, stderr: 'pipe', stdout: 'pipe' })
  if (build.exitCode !== 0) throw new Error(`bun build failed: ${build.stderr.toString()}`)
  return binary
}

/** The `bench` instance: store-only. */
export const DIRECTORY_INSTANCE = `  - id: bench
    connector:
      type: directory
    keys: []
`

/** The `hooks` instance: the webhook connector, posting to `url`. */
export function webhookInstance(url: string): string {
  return `  - id: hooks
    connector:
      type: webhook
      url: "${url}"
      secret: \${env:SCIMIFY_BENCH_WEBHOOK_SECRET}
    keys: []
`
}

/** A temp dir with a config of the given instances (and more `server:` lines) and a fresh database path. */
export function prepareWorkspace(binary: string, instances: string, serverLines = ''): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'scimify-bench-'))
  const config = join(dir, 'config.yaml')
  writeFileSync(config, `server:\n  listen: "127.0.0.1:0"\n  database: "./state/scimify.db"\n${serverLines}instances:\n${instances}`)
  return { dir, binary, config, database: join(dir, 'state/scimify.db') }
}

/** `scimify status <instance> --json` beside the running server: its pending and failed counts. */
export async function syncStatus(ws: Workspace, instance: string): Promise<{ pending: number; failed: number }> {
  const run = Bun.spawn([ws.binary, 'status', instance, '--json', '--config', ws.config], { env: ENV, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  const [text, code] = await Promise.all([new Response(run.stdout).text(), run.exited])
  if (code !== 0) throw new Error(`scimify status ${instance} exited ${code}`)
  const parsed = JSON.parse(text) as { pending: number; failed: number } | { pending: number; failed: number }[]
  return Array.isArray(parsed) ? parsed[0] : parsed
}

export function createKey(ws: Workspace, instance: string): string {
  const run = Bun.spawnSync([ws.binary, 'keys', 'create', instance, '--config', ws.config, '--name', 'bench'], { env: ENV, stdout: 'pipe', stderr: 'pipe' })
  if (run.exitCode !== 0) throw new Error(`keys create ${instance} failed: ${run.stderr.toString()}`)
  return run.stdout.toString().trim()
}

/** A free loopback port (bound, read and released). */
export function freePort(): number {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = probe.port
  probe.stop(true)
  return port
}

export interface Running {
  process: Subprocess
  url: string
  stop(): Promise<void>
}

/** Polls GET url until it answers 200; returns when, in ms since `since`. */
export async function firstOk(url: string, since: number, withinMs = 15_000): Promise<number> {
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return performance.now() - since
    } catch {
      // not listening yet
    }
    if (performance.now() - since > withinMs) throw new Error(`${url}: no 200 within ${withinMs} ms`)
    await Bun.sleep(2)
  }
}

/** Starts `scimify serve` on a fixed free port (its log goes to a file in the workspace); resolves at the first 200 on /healthz. */
export async function startScimify(ws: Workspace, logName = 'serve.log'): Promise<Running & { startMs: number }> {
  const port = freePort()
  const url = `http://127.0.0.1:${port}`
  const began = performance.now()
  const child = Bun.spawn([ws.binary, 'serve', '--config', ws.config, '--listen', `127.0.0.1:${port}`], {
    env: ENV,
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: Bun.file(join(ws.dir, logName)),
  })
  const startMs = await firstOk(`${url}/healthz`, began)
  return { process: child, url, startMs, stop: () => stopChild(child) }
}

/** The machine's ceiling: a bare Bun.serve answering a fixed body, in its own process. */
export async function startBare(): Promise<Running> {
  const port = freePort()
  const url = `http://127.0.0.1:${port}/`
  const child = Bun.spawn([process.execPath, join(import.meta.dir, 'bare-server.ts'), String(port)], { stdin: 'ignore', stdout: 'ignore', stderr: 'inherit' })
  await firstOk(url, performance.now())
  return { process: child, url, stop: () => stopChild(child) }
}

async function stopChild(child: Subprocess): Promise<void> {
  child.kill('SIGTERM')
  const exited = await Promise.race([child.exited, Bun.sleep(10_000).then(() => 'timeout' as const)])
  if (exited === 'timeout') {
    child.kill('SIGKILL')
    await child.exited
  }
}
