/**
 * @module Health checks, without auth. GET /healthz (liveness): 200 while the
 * store takes writes, else 503. GET /readyz (readiness): 200 while the store
 * takes writes and no enabled instance's connector is failing (the last few
 * downstream operations all failed: src/sync/health.ts), else 503; the body
 * lists each instance's state. SCIM writes are still accepted when an app is
 * down (they wait in the queue); /readyz is for monitors and alerts.
 */
import { Elysia } from 'elysia'
import type { HttpDeps, InstanceHealth } from '../../deps'

export function healthModule(deps: HttpDeps) {
  return new Elysia()
    .get('/healthz', () =>
      deps.store.isWritable()
        ? Response.json({ status: 'ok' })
        : Response.json({ status: 'unavailable', detail: 'the database does not accept writes' }, { status: 503 }),
    )
    .get('/readyz', () => {
      const writable = deps.store.isWritable()
      const instances = deps.instanceHealth?.() ?? []
      const ready = writable && instances.every((instance) => instance.state !== 'failing')
      const body = { status: ready ? 'ready' : 'unavailable', store: writable ? 'writable' : 'not_writable', instances: instances.map(describe) }
      return Response.json(body, { status: ready ? 200 : 503 })
    })
}

// No error messages: they name downstream hosts and paths, and this answer needs
// no key. `scimify status` and the log have them.
function describe(health: InstanceHealth) {
  return {
    instance: health.instance,
    connector: health.connector,
    state: health.state,
    consecutive_failures: health.consecutiveFailures,
    last_success: health.lastSuccess ?? null,
    last_failure: health.lastFailure ?? null,
  }
}
