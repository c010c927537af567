/** @module Scenario 5: paging through every user 100 at a time, as an IdP import does, by startIndex and by cursor. */
import type { Bench } from '../context'
import { specFor } from '../context'
import { drive } from '../drive'
import type { LoadResult } from '../spec'

export interface Paging {
  index: LoadResult
  cursor: LoadResult
}

export async function measurePaging(bench: Bench): Promise<Paging> {
  const pages = Math.ceil(bench.users.length / 100)
  // One client, page after page; unbounded in time so the walk is complete.
  const walk = { maxRequests: pages + 1, maxSeconds: 3_600 }
  const index = await drive(specFor(bench, 'page-index', 1, walk), bench.server.process.pid)
  bench.rows.push({ scenario: '5. Paging startIndex=k&count=100, all users', users: bench.users.length, load: index, value: `${index.seconds.toFixed(2)} s total` })
  const cursor = await drive(specFor(bench, 'page-cursor', 1, walk), bench.server.process.pid)
  bench.rows.push({ scenario: '5. Paging cursor=…&count=100, all users', users: bench.users.length, load: cursor, value: `${cursor.seconds.toFixed(2)} s total` })
  return { index, cursor }
}
