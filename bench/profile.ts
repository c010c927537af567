/** @module The sizes of a run: full (the numbers) or --quick (under a minute, for development). */

export interface Profile {
  quick: boolean
  /** User counts to measure at; users are loaded up to each in turn. */
  tiers: number[]
  /** Bound of each throughput scenario. */
  seconds: number
  maxRequests: number
  /** Group push: groups × members per group. */
  groups: number
  members: number
  /** Downstream scenario: users created, patched, then patched again with the same value. */
  downstreamUsers: number
  startups: number
}

export function profileFor(args: string[]): Profile {
  const quick = args.includes('--quick')
  return quick
    ? { quick, tiers: [2_000], seconds: 2, maxRequests: 50_000, groups: 50, members: 100, downstreamUsers: 50, startups: 5 }
    : { quick, tiers: [10_000, 100_000], seconds: 10, maxRequests: 500_000, groups: 1_000, members: 100, downstreamUsers: 1_000, startups: 5 }
}
