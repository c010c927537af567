/** @module The scaling target: filter and paging at the largest tier within 1.5× of the smallest (full run only). */
import type { Bench } from '../context'
import type { LoadResult } from '../spec'
import type { Paging } from './paging'

export interface TierReads {
  users: number
  filter: LoadResult
  paging: Paging
}

export function recordScaling(bench: Bench, tiers: TierReads[]): void {
  if (tiers.length < 2) {
    bench.rows.push({ scenario: 'Scaling: filter and paging, 100k vs 10k', value: 'not measured (--quick loads one size)', target: 'within 1.5×' })
    return
  }
  const small = tiers[0]
  const large = tiers[tiers.length - 1]
  const label = `${large.users.toLocaleString('en-US')} vs ${small.users.toLocaleString('en-US')}`
  const ratio = (a: number, b: number) => a / b
  const filter = ratio(large.filter.p50Ms, small.filter.p50Ms)
  const perPage = (r: LoadResult) => r.seconds / r.requests
  const index = ratio(perPage(large.paging.index), perPage(small.paging.index))
  const cursor = ratio(perPage(large.paging.cursor), perPage(small.paging.cursor))
  const push = (what: string, value: number) =>
    bench.rows.push({ scenario: `Scaling: ${what}, ${label}`, value: `${value.toFixed(2)}×`, target: 'within 1.5×', meets: value <= 1.5 })
  push('filter eq p50', filter)
  push('startIndex paging, time per page', index)
  push('cursor paging, time per page', cursor)
}
