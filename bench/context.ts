/** @module What the scenarios share: the profile, the server under test, its key, the ceiling and the users loaded so far. */
import { join } from 'node:path'
import type { Profile } from './profile'
import type { Ceilings } from './scenarios/ceiling'
import type { Row } from './report'
import type { Running, Workspace } from './server'
import type { LoadResult, LoadSpec, OpKind, UserRef } from './spec'

export interface Bench {
  profile: Profile
  ws: Workspace
  server: Running
  /** SCIM base URL of the `bench` instance. */
  base: string
  key: string
  /** Bare Bun.serve req/s: plain GETs by concurrency, and each row's own requests. */
  ceiling: Ceilings
  /** Every user created so far, also written to usersFile for the load generator. */
  users: UserRef[]
  usersFile: string
  rows: Row[]
}

export function usersFileIn(dir: string): string {
  return join(dir, 'users.json')
}

/** A load spec on the bench instance with the profile's bounds. */
export function specFor(bench: Bench, kind: LoadSpec['kind'], concurrency: number, extra: Partial<LoadSpec> = {}): LoadSpec {
  return {
    kind,
    base: bench.base,
    key: bench.key,
    concurrency,
    maxRequests: bench.profile.maxRequests,
    maxSeconds: bench.profile.seconds,
    usersFile: bench.usersFile,
    ...extra,
  }
}

/** The ceilings a row of `kind` at `concurrency` is given as a fraction of. */
export function ceilingsOf(ceilings: Ceilings, kind: OpKind, concurrency: number): Pick<Row, 'ceiling' | 'plainCeiling'> {
  return { ceiling: ceilings.sameRequests.get(kind), plainCeiling: ceilings.plain.get(concurrency) }
}

/** Whether `load` reached `share` of its ceiling without errors; undefined when there is no ceiling to judge by. */
export function reachesShare(load: LoadResult, ceiling: number | undefined, share: number): boolean | undefined {
  return ceiling ? load.perSecond >= share * ceiling && load.errors === 0 : undefined
}
