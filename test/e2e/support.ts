/**
 * @module Runs the real `scimify` executable for end-to-end tests: the one in
 * SCIMIFY_BIN (CI points it at dist/scimify), else one built once per test
 * run into a temporary folder.
 */
import type { Subprocess } from 'bun'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dir, '../..')

/** What `bun build --compile` takes in: the program and the worker it starts (package.json `build` lists the same). */
export const BUILD_ENTRYPOINTS = ['src/main.ts', 'src/store/checkpoint-worker.ts']

let built: Promise<string> | undefined

export function scimifyBinary(): Promise<string> {
  if (process.env.SCIMIFY_BIN) return Promise.resolve(resolve(process.env.SCIMIFY_BIN))
  built ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'scimify-bin-')), 'scimify')
    const build = Bun.spawnSync([process.execPath, 'build', ...BUILD_ENTRYPOINTS.map((entry) => join(ROOT, entry)), '--compile', '--outfile', outfile], {
      cwd: ROOT,
      stderr: 'pipe',
    })
    if (build.exitCode !== 0) throw new Error(`bun build failed: ${build.stderr.toString()}`)
    return outfile
  })()
  return built
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'scimify-e2e-'))
}

/** A config file for one instance `demo`, listening on a random loopback port. */
export function writeConfig(dir: string, extra = ''): string {
  const path = join(dir, 'config.yaml')
  writeFileSync(
    path,
    `# scimify end-to-end test config\nserver:\n  listen: "127.0.0.1:0"\n  database: "./state/scimify.db"\n${extra}instances:\n  - id: demo\n    name: "Demo"\n    enabled: true\n    connector:\n      type: directory\n    keys: []\n`,
  )
  return path
}

export interface CommandResult {
  exitCode: number
  stdout: string
  stderr: string
}

export async function runScimify(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CommandResult> {
  const child = Bun.spawn([await scimifyBinary(), ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdout: 'pipe',
    stderr: 'pipe',
    stdin: 'ignore',
  })
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  return { exitCode, stdout, stderr }
}

export interface RunningServer {
  process: Subprocess<'ignore', 'pipe', 'pipe'>
  url: string
  /** Everything printed on stdout up to the "listening" line. */
  banner: string
  /** stderr collected so far (the log). */
  log(): string
  stop(signal?: NodeJS.Signals): Promise<number>
}

/** Starts `scimify serve` and waits until it says where it listens. */
export async function startServer(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunningServer> {
  const child = Bun.spawn([await scimifyBinary(), 'serve', ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdout: 'pipe',
    stderr: 'pipe',
    stdin: 'ignore',
  })
  let stderr = ''
  void (async () => {
    const decoder = new TextDecoder()
    for await (const chunk of child.stderr) stderr += decoder.decode(chunk)
  })()
  let banner = ''
  const decoder = new TextDecoder()
  const reader = child.stdout.getReader()
  const deadline = Date.now() + 10_000
  let url: string | undefined
  while (!url) {
    if (Date.now() > deadline) throw new Error(`scimify did not start:\n${banner}\n${stderr}`)
    const { value, done } = await reader.read()
    if (done) throw new Error(`scimify exited before listening (code ${await child.exited}):\n${banner}\n${stderr}`)
    banner += decoder.decode(value)
    url = /listening on (https?:\/\/\S+)/.exec(banner)?.[1]
  }
  // Keep reading so the banner is complete and the pipe never fills.
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      banner += decoder.decode(value)
    }
  })()
  await Bun.sleep(50)
  return {
    process: child,
    url,
    get banner() {
      return banner
    },
    log: () => stderr,
    async stop(signal = 'SIGTERM') {
      child.kill(signal)
      return child.exited
    },
  }
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}`, 'content-type': 'application/scim+json' }
}

/** Polls until `check` returns true or the time is up; returns whether it did. */
export async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await Bun.sleep(100)
  }
  return check()
}
