/** @module GET /healthz, without auth: 200 when the store takes writes, else 503. */
import { Elysia } from 'elysia'
import type { HttpDeps } from '../../deps'

export function healthModule(deps: HttpDeps) {
  return new Elysia().get('/healthz', () =>
    deps.store.isWritable()
      ? Response.json({ status: 'ok' })
      : Response.json({ status: 'unavailable', detail: 'the database does not accept writes' }, { status: 503 }),
  )
}
