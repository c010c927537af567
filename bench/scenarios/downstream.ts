/**
 * @module Scenario 8: downstream efficiency on a second scimify with one `hooks` instance (webhook connector → a
 * counting receiver): POSTs per effective change (create, then a new title) and per no-op PATCH (the same title again),
 * each counted once the engine has drained its queue.
 */
import { join } from 'node:path'
import type { Bench } from '../context'
import { drive } from '../drive'
import { startReceiver, type Receiver } from '../receiver'
import { createKey, prepareWorkspace, startScimify, syncStatus, webhookInstance, type Workspace } from '../server'
import type { LoadSpec } from '../spec'

const CONCURRENCY = 8

/** Waits until nothing is pending or failed and no POST came for `quietMs`; returns the seconds until the last POST. */
async function drain(ws: Workspace, receiver: Receiver, quietMs: number, withinMs: number): Promise<number> {
  const began = performance.now()
  let last = receiver.count()
  let lastChange = began
  for (;;) {
    await Bun.sleep(250)
    const now = performance.now()
    if (receiver.count() !== last) {
      last = receiver.count()
      lastChange = now
    }
    if (now - began > withinMs) throw new Error(`the webhook queue did not drain within ${withinMs / 1000} s`)
    if (now - lastChange < quietMs) continue
    const status = await syncStatus(ws, 'hooks')
    if (status.pending === 0 && status.failed === 0) return (lastChange - began) / 1000
  }
}

export async function measureDownstream(bench: Bench): Promise<void> {
  const n = bench.profile.downstreamUsers
  const receiver = startReceiver()
  const ws = prepareWorkspace(bench.ws.binary, webhookInstance(receiver.url))
  const key = createKey(ws, 'hooks')
  const server = await startScimify(ws)
  try {
    const usersFile = join(ws.dir, 'hooks-users.json')
    const spec = (kind: LoadSpec['kind']): LoadSpec => ({ kind, base: `${server.url}/scim/v2/hooks`, key, concurrency: CONCURRENCY, maxRequests: n, maxSeconds: 3_600, usersFile })
    const withinMs = Math.max(120_000, n * 1_000)
    const created = await drive({ ...spec('create-users'), usersFile: undefined, outFile: usersFile })
    const createDrain = await drain(ws, receiver, 1_000, withinMs)
    const afterCreate = receiver.count()
    const changed = await drive(spec('patch-title-fixed'))
    const changeDrain = await drain(ws, receiver, 1_000, withinMs)
    const afterChange = receiver.count()
    const repeated = await drive(spec('patch-title-fixed'))
    // Twelve engine polls (250 ms) with nothing sent, and nothing pending.
    await drain(ws, receiver, 3_000, withinMs)
    const afterNoop = receiver.count()

    const ok = (r: { requests: number; errors: number }) => r.requests - r.errors
    const perChange = afterChange / (ok(created) + ok(changed))
    const perNoop = (afterNoop - afterChange) / ok(repeated)
    const row = (scenario: string, value: string, target?: string, meets?: boolean) => bench.rows.push({ scenario, users: n, value, target, meets })
    row('8. Downstream calls per effective change (create, new title)', `${perChange.toFixed(3)} (${afterCreate} + ${afterChange - afterCreate} POSTs for ${ok(created)} creates + ${ok(changed)} new titles)`, 'exactly 1', perChange === 1)
    row('8. Downstream calls per no-op PATCH (same title again)', `${perNoop.toFixed(3)} (${afterNoop - afterChange} POSTs for ${ok(repeated)} PATCHes)`, '0', perNoop === 0)
    row('8. Downstream drain rate (webhook events/s after the writes)', `${(afterCreate / createDrain).toFixed(0)}/s creates (${createDrain.toFixed(1)} s), ${((afterChange - afterCreate) / changeDrain).toFixed(0)}/s updates (${changeDrain.toFixed(1)} s)`)
  } finally {
    await server.stop()
    await receiver.stop()
  }
}
