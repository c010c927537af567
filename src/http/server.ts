/**
 * @module Builds the HTTP app (no listening here) and the fetch handler that
 * wraps it: a request id, one access-log line per request (method, path,
 * status, duration, instance and key id, never the key), the request metrics
 * and the audit entry of a SCIM write.
 */
import { Elysia } from 'elysia'
import { withLogFields } from '../log'
import type { HttpDeps } from './deps'
import { renderError } from './errors'
import { bulkModule } from './modules/bulk'
import { discoveryModule } from './modules/discovery'
import { groupsModule } from './modules/groups'
import { healthModule } from './modules/health'
import { metricsModule } from './modules/metrics'
import { searchModule } from './modules/search'
import { usersModule } from './modules/users'
import { negotiateContentType } from './content-type'
import { normalizeRequestPath } from './normalize-path'
import { requestIdOf, withRequestId } from './request-id'
import { noteRequest, requestInfo, type RequestInfo } from './request-info'
import { recordRequest } from './request-metrics'

export function createHttpApp(deps: HttpDeps) {
  return (
    new Elysia({ strictPath: false })
      .onError(({ code, error, request }) => renderError(code, error, request, deps.logger))
      // Runs once a route matched, before authentication: the template labels the request's metrics.
      .onTransform({ as: 'global' }, ({ request, route }) => noteRequest(request, { route }))
      .use(healthModule(deps))
      .use(metricsModule(deps))
      .use(discoveryModule(deps))
      .use(usersModule(deps))
      .use(groupsModule(deps))
      .use(bulkModule(deps))
      .use(searchModule(deps))
  )
}

export type HttpApp = ReturnType<typeof createHttpApp>

/** The fetch handler for Bun.serve: the app with a request id, the access log, metrics and audit. */
export function createFetchHandler(app: HttpApp, deps: HttpDeps) {
  async function handle(original: Request, requestId: string): Promise<Response> {
    const started = performance.now()
    const request = normalizeRequestPath(original)
    let status = 500
    let location: string | null = null
    try {
      const response = withRequestId(negotiateContentType(request, await app.handle(request)), requestId)
      status = response.status
      location = response.headers.get('location')
      return response
    } finally {
      const elapsedMs = performance.now() - started
      const info = requestInfo(request)
      const path = new URL(request.url).pathname
      deps.logger.info('request', {
        method: request.method,
        path,
        status,
        duration_ms: Math.round(elapsedMs * 10) / 10,
        instance: info.instance,
        key_id: info.keyId,
        request_id: requestId,
      })
      recordRequest(deps, request.method, path, status, info, elapsedMs / 1000)
      if (info.instance && info.keyId && MUTATIONS.has(request.method)) auditMutation(deps, request.method, path, status, info, location)
    }
  }

  return function handleRequest(original: Request): Promise<Response> {
    const requestId = requestIdOf(original)
    // Every line logged while handling the request (errors included) carries its id.
    return withLogFields({ request_id: requestId }, () => handle(original, requestId))
  }
}

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** One audit entry per SCIM write: who (key id), what (method and endpoint), which resource, the status. */
function auditMutation(deps: HttpDeps, method: string, path: string, status: number, info: RequestInfo, location: string | null) {
  // /scim/v2/<instance>/<endpoint>[/<id>]
  const [, , , , endpoint, id] = path.split('/')
  const target = id ?? location?.split('/').at(-1)
  try {
    deps.audit?.record({ instance: info.instance!, actor: `key:${info.keyId}`, action: `${method} /${endpoint ?? ''}`, target, result: String(status) })
  } catch (error) {
    deps.logger.error('audit log write failed', { error: (error as Error).message })
  }
}
