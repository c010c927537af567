/** @module Scenario 4: PATCH Replace title in Entra's shape on random users. */
import type { Bench } from '../context'
import { specFor } from '../context'
import { drive } from '../drive'

export const PATCH_CONCURRENCY = 16

export async function measurePatch(bench: Bench): Promise<void> {
  const ceiling = bench.ceiling.get(PATCH_CONCURRENCY)
  const load = await drive(specFor(bench, 'patch-title', PATCH_CONCURRENCY))
  const meets = ceiling ? load.perSecond >= 0.25 * ceiling && load.errors === 0 : undefined
  bench.rows.push({ scenario: '4. PATCH Replace title (Entra shape)', users: bench.users.length, load, ceiling, target: '≥ 25% of ceiling', meets })
}
