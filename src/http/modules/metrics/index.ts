/**
 * @module GET /metrics on the main port, only behind `server.metrics.token`
 * (and not when `server.metrics.listen` gives metrics a listener of their own).
 */
import { Elysia } from 'elysia'
import type { HttpDeps } from '../../deps'
import { renderError } from '../../errors'
import { metricsResponse } from './respond'

export function metricsModule(deps: HttpDeps) {
  return new Elysia().get('/metrics', ({ request }) => {
    const token = deps.metricsToken?.()
    // Not configured, not served: the same 404 as any unknown path. Metrics name
    // every instance and show its traffic, which the SCIM port (often reachable
    // by the identity provider, so from the internet) must not tell anyone.
    if (!token || !deps.metrics) return renderError('NOT_FOUND', undefined, request, deps.logger)
    return metricsResponse(request, deps.metrics.registry, token)
  })
}
