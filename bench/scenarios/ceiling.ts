/**
 * @module The machine's ceiling: the load generator against a bare Bun.serve answering a fixed body. Measured twice:
 * with a plain GET per concurrency, as first defined, and with the very requests of each SCIM row (method,
 * Authorization and content-type headers, body, the answer read as text) sent to the bare server. The second is the
 * one the rows are judged against: the load generator shares the machine, and a SCIM request costs it 20–40% more
 * than a plain GET, so against the plain ceiling even a server that did nothing could not reach 100%.
 */
import { join } from 'node:path'
import { drive } from '../drive'
import type { Profile } from '../profile'
import type { Row } from '../report'
import { startBare } from '../server'
import type { LoadSpec, OpKind } from '../spec'
import { GROUP_CONCURRENCY } from './groups'
import { PATCH_CONCURRENCY } from './patch'
import { READ_CONCURRENCY } from './reads'
import { POST_CONCURRENCY } from './users'

export interface Ceilings {
  /** req/s of a plain GET of the fixed body, by concurrency. */
  plain: Map<number, number>
  /** req/s of each SCIM row's own requests answered by the bare server, by load kind. */
  sameRequests: Map<OpKind, number>
}

/** The SCIM rows' load kinds and concurrencies, and the row each stands for in the table. */
const SAME_REQUESTS: [OpKind, number, string][] = [
  ['create-users', POST_CONCURRENCY, 'row 1'],
  ['filter', READ_CONCURRENCY, 'row 2'],
  ['get-id', READ_CONCURRENCY, 'row 3'],
  ['patch-title', PATCH_CONCURRENCY, 'row 4'],
  ['group-add', GROUP_CONCURRENCY, 'row 6'],
]

export async function measureCeilings(profile: Profile, dir: string, rows: Row[]): Promise<Ceilings> {
  // The bare server answers any path: made-up users and groups are as good as real ones.
  const usersFile = join(dir, 'ceiling-users.json')
  const groupsFile = join(dir, 'ceiling-groups.json')
  await Bun.write(usersFile, JSON.stringify(Array.from({ length: 1_000 }, (_, i) => ({ id: crypto.randomUUID(), userName: `bench-${i}@example.com` }))))
  await Bun.write(groupsFile, JSON.stringify(Array.from({ length: 50 }, () => crypto.randomUUID())))
  const bare = await startBare()
  const ceilings: Ceilings = { plain: new Map(), sameRequests: new Map() }
  const bounds = { key: 'bench-ceiling', maxRequests: profile.maxRequests * 4, maxSeconds: profile.seconds }
  try {
    for (const concurrency of [POST_CONCURRENCY, READ_CONCURRENCY]) {
      const load = await drive({ kind: 'bare', base: bare.url, concurrency, ...bounds }, bare.process.pid)
      ceilings.plain.set(concurrency, load.perSecond)
      rows.push({ scenario: 'Ceiling: bare Bun.serve, fixed body, plain GET', load, value: '100% by definition' })
    }
    for (const [kind, concurrency, row] of SAME_REQUESTS) {
      const spec: LoadSpec = { kind, base: `${bare.url}scim/v2/bench`, concurrency, ...bounds, usersFile, groupsFile, membersPerGroup: 100, start: 0 }
      const load = await drive(spec, bare.process.pid)
      ceilings.sameRequests.set(kind, load.perSecond)
      rows.push({ scenario: `Ceiling: bare Bun.serve, fixed body, the requests of ${row} (${kind})`, load, value: '100% by definition' })
    }
  } finally {
    await bare.stop()
  }
  return ceilings
}
