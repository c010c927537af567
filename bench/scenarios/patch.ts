/** @module Scenario 4: PATCH Replace title in Entra's shape on random users. */
import type { Bench } from '../context'
import { ceilingsOf, reachesShare, specFor } from '../context'
import { drive } from '../drive'

export const PATCH_CONCURRENCY = 16

export async function measurePatch(bench: Bench): Promise<void> {
  const ceilings = ceilingsOf(bench.ceiling, 'patch-title', PATCH_CONCURRENCY)
  const load = await drive(specFor(bench, 'patch-title', PATCH_CONCURRENCY), bench.server.process.pid)
  const meets = reachesShare(load, ceilings.ceiling, 0.25)
  bench.rows.push({ scenario: '4. PATCH Replace title (Entra shape)', users: bench.users.length, load, ...ceilings, target: '≥ 25% of ceiling', meets })
}
