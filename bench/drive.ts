/**
 * @module Runs one load in a separate load-generator process (load.ts) and returns what it measured; given the
 * server's pid, also the server's CPU time per request over the run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cpuSeconds } from './cpu-time'
import type { LoadResult, LoadSpec } from './spec'

const specDir = mkdtempSync(join(tmpdir(), 'scimify-bench-spec-'))
let runs = 0

export async function drive(spec: LoadSpec, serverPid?: number): Promise<LoadResult> {
  const specFile = join(specDir, `spec-${++runs}.json`)
  writeFileSync(specFile, JSON.stringify(spec))
  const serverCpuBefore = serverPid === undefined ? undefined : cpuSeconds(serverPid)
  const child = Bun.spawn([process.execPath, join(import.meta.dir, 'load.ts'), specFile], { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited])
  if (code !== 0) throw new Error(`load generator (${spec.kind}) exited ${code}: ${stderr}`)
  const result = JSON.parse(stdout) as LoadResult
  const serverCpuAfter = serverPid === undefined ? undefined : cpuSeconds(serverPid)
  if (serverCpuBefore !== undefined && serverCpuAfter !== undefined && result.requests > 0) {
    result.serverCpuMicros = ((serverCpuAfter - serverCpuBefore) * 1e6) / result.requests
  }
  if (result.errors > 0) process.stderr.write(`  ${spec.kind}: ${result.errors} errors, first: ${result.firstError}\n`)
  return result
}
