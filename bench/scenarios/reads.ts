/** @module Scenarios 2 and 3: GET /Users?filter=userName eq "…" and GET /Users/{id} on random existing users. */
import type { Bench } from '../context'
import { ceilingsOf, reachesShare, specFor } from '../context'
import { drive } from '../drive'
import type { LoadResult } from '../spec'

export const READ_CONCURRENCY = 32

/** Returns the filter result, for the 10k/100k comparison. */
export async function measureReads(bench: Bench): Promise<LoadResult> {
  const meets = (load: LoadResult, ceiling?: number) => reachesShare(load, ceiling, 0.5) && load.p99Ms <= 5
  const target = '≥ 50% of ceiling, p99 ≤ 5 ms'
  const filter = await drive(specFor(bench, 'filter', READ_CONCURRENCY), bench.server.process.pid)
  const filterCeilings = ceilingsOf(bench.ceiling, 'filter', READ_CONCURRENCY)
  bench.rows.push({ scenario: '2. GET /Users?filter=userName eq', users: bench.users.length, load: filter, ...filterCeilings, target, meets: meets(filter, filterCeilings.ceiling) })
  const byId = await drive(specFor(bench, 'get-id', READ_CONCURRENCY), bench.server.process.pid)
  const byIdCeilings = ceilingsOf(bench.ceiling, 'get-id', READ_CONCURRENCY)
  bench.rows.push({ scenario: '3. GET /Users/{id}', users: bench.users.length, load: byId, ...byIdCeilings, target, meets: meets(byId, byIdCeilings.ceiling) })
  return filter
}
