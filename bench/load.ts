/**
 * @module The load generator, run as its own process: `bun bench/load.ts <spec.json>`. Sends the spec's requests
 * with a fixed number of keep-alive workers, bounded in requests and seconds, and prints a LoadResult as JSON.
 */
import { stepsFor } from './ops'
import type { LoadResult, LoadSpec } from './spec'

const spec = (await Bun.file(process.argv[2]).json()) as LoadSpec
const { step, finish } = await stepsFor(spec)
const latencies = new Float64Array(spec.maxRequests)
let next = 0
let completed = 0
let errors = 0
let firstError: string | undefined
let done = false
const began = performance.now()
const cpuBegan = process.cpuUsage()
const deadline = began + spec.maxSeconds * 1000

async function worker(): Promise<void> {
  while (!done && next < spec.maxRequests && performance.now() < deadline) {
    const i = next++
    const t0 = performance.now()
    try {
      if ((await step(i)) === 'done') done = true
    } catch (error) {
      errors++
      firstError ??= (error as Error).message
    }
    latencies[completed++] = performance.now() - t0
  }
}

await Promise.all(Array.from({ length: spec.concurrency }, worker))
const seconds = (performance.now() - began) / 1000
const cpu = process.cpuUsage(cpuBegan)
await finish()
const sorted = latencies.subarray(0, completed).sort()
const quantile = (q: number) => (completed === 0 ? 0 : sorted[Math.min(completed - 1, Math.floor(q * completed))])
const result: LoadResult = {
  kind: spec.kind,
  concurrency: spec.concurrency,
  requests: completed,
  errors,
  firstError,
  seconds,
  perSecond: completed / seconds,
  p50Ms: quantile(0.5),
  p99Ms: quantile(0.99),
  clientCpuMicros: completed === 0 ? 0 : (cpu.user + cpu.system) / completed,
}
process.stdout.write(`${JSON.stringify(result)}\n`)
