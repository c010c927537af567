/** @module The machine's ceiling: the load generator against a bare Bun.serve answering a fixed body, per concurrency. */
import { drive } from '../drive'
import type { Profile } from '../profile'
import type { Row } from '../report'
import { startBare } from '../server'

export async function measureCeiling(profile: Profile, concurrencies: number[], rows: Row[]): Promise<Map<number, number>> {
  const bare = await startBare()
  const ceiling = new Map<number, number>()
  try {
    for (const concurrency of concurrencies) {
      const load = await drive({ kind: 'bare', base: bare.url, key: '', concurrency, maxRequests: profile.maxRequests * 4, maxSeconds: profile.seconds })
      ceiling.set(concurrency, load.perSecond)
      rows.push({ scenario: 'Ceiling: bare Bun.serve, fixed body', load, value: '100% by definition' })
    }
  } finally {
    await bare.stop()
  }
  return ceiling
}
