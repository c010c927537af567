/**
 * @module The answer to GET /metrics, on either listener: the exposition of
 * every metric, or 401 when a token is configured and the scraper did not
 * present it as a bearer token.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { Secret } from '../../../config/references'
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../../../metrics/exposition'
import type { MetricsRegistry } from '../../../metrics/registry'

export function metricsResponse(request: Request, registry: MetricsRegistry, token: Secret | undefined): Response {
  if (token && !presentsToken(request, token)) {
    return new Response('a valid bearer token is required\n', {
      status: 401,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="scimify metrics"' },
    })
  }
  return new Response(renderExposition(registry.collect()), { headers: { 'content-type': EXPOSITION_CONTENT_TYPE, 'cache-control': 'no-store' } })
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i

/** Compared as SHA-256 digests in constant time: equal lengths, and no early exit that times the token out. */
function presentsToken(request: Request, token: Secret): boolean {
  const presented = BEARER.exec(request.headers.get('authorization') ?? '')?.[1]
  if (presented === undefined) return false
  return timingSafeEqual(digest(presented), digest(token.reveal()))
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}
