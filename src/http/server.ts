/**
 * @module Builds the HTTP app (no listening here) and the fetch handler that
 * wraps it: the client address (through trusted proxies), the request limits,
 * a request id, one access-log line per request (method, path, status,
 * duration, client, instance and key id, never the key), the request metrics,
 * the audit entry of a SCIM write, and the wait for the group commit.
 */
import { Elysia } from 'elysia'
import { withLogFields } from '../log'
import type { HttpDeps } from './deps'
import { renderError, scimErrorResponse } from './errors'
import { RetryLaterError } from './retry-later'
import { bulkModule } from './modules/bulk'
import { discoveryModule } from './modules/discovery'
import { groupsModule } from './modules/groups'
import { healthModule } from './modules/health'
import { metricsModule } from './modules/metrics'
import { searchModule } from './modules/search'
import { usersModule } from './modules/users'
import { negotiateContentType } from './content-type'
import { CidrSet } from '../net/cidr'
import { clientView } from './client-address'
import { normalizeRequestPath, pathnameOf } from './normalize-path'
import { createLimiter, DEFAULT_LIMITS } from './request-limits'
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

/**
 * The fetch handler for Bun.serve: the app within the request limits, with a
 * request id, the access log, metrics and audit. `peer` is the address of
 * the connection's other end (Bun's `server.requestIP`).
 */
export function createFetchHandler(app: HttpApp, deps: HttpDeps) {
  const limiter = createLimiter(deps.limits ?? (() => DEFAULT_LIMITS), (reason) => deps.metrics?.refused(reason))
  const nobody = new CidrSet([])

  async function handle(original: Request, requestId: string, peer: string | undefined): Promise<Response> {
    const started = performance.now()
    const { client, request: forwarded } = clientView(original, peer, deps.trustedProxies?.() ?? nobody)
    // The request the app sees (its body may be read into memory by the limits): what it learned is noted on it.
    let request = normalizeRequestPath(forwarded)
    // The path of the access log, the metrics and the audit (the body limit may copy the request, never its URL).
    const path = pathnameOf(request.url)
    let status = 500
    let location: string | null = null
    try {
      let response: Response
      try {
        const limited = await limiter.run(request, (bounded) => {
          request = bounded
          noteRequest(request, { client })
          return app.handle(request)
        })
        response = withRequestId(negotiateContentType(request, limited), requestId)
        status = response.status
        location = response.headers.get('location')
      } finally {
        // Before the wait for the commit: a write's audit entry commits with the write.
        const info = requestInfo(request)
        if (info.instance && info.keyId && MUTATIONS.has(request.method)) auditMutation(deps, request.method, path, status, info, location)
      }
      // Writes share a group commit: no answer leaves before what it wrote (and any write it read) is committed.
      try {
        await deps.store.durable()
      } catch (error) {
        deps.logger.error('commit failed; the request is answered 503', { error: (error as Error).message })
        deps.metrics?.refused('commit_failed')
        response = withRequestId(scimErrorResponse(new RetryLaterError(503, 'The change could not be saved; try again', 1)), requestId)
        status = response.status
      }
      return response
    } finally {
      const elapsedMs = performance.now() - started
      const info = requestInfo(request)
      deps.logger.info('request', {
        method: request.method,
        path,
        status,
        duration_ms: Math.round(elapsedMs * 10) / 10,
        client,
        instance: info.instance,
        key_id: info.keyId,
        request_id: requestId,
      })
      recordRequest(deps, request.method, path, status, info, elapsedMs / 1000)
    }
  }

  return function handleRequest(original: Request, peer?: string): Promise<Response> {
    const requestId = requestIdOf(original)
    // Every line logged while handling the request (errors included) carries its id.
    return withLogFields({ request_id: requestId }, () => handle(original, requestId, peer))
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
