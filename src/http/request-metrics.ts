/**
 * @module What one request adds to the metrics, with bounded label values:
 * the route template (never a raw path), a known method, and the instance
 * only when the config has it, so random paths cannot grow the series.
 */
import type { HttpDeps } from './deps'
import type { RequestInfo } from './request-info'

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** The route label of a request no route matched (a 404 for an unknown path). */
export const UNMATCHED_ROUTE = 'unmatched'

export function recordRequest(deps: HttpDeps, method: string, path: string, status: number, info: RequestInfo, seconds: number): void {
  if (!deps.metrics) return
  const labels = { instance: instanceLabel(deps, path, info), method: METHODS.has(method) ? method : 'OTHER', route: info.route ?? UNMATCHED_ROUTE, status }
  deps.metrics.request(labels, seconds)
}

/** The authenticated instance, else the one the path names when the config has it (a refused key), else none. */
function instanceLabel(deps: HttpDeps, path: string, info: RequestInfo): string {
  if (info.instance) return info.instance
  // /scim/v2/<instance>/…
  const [, scim, version, named] = path.split('/')
  if (scim !== 'scim' || version !== 'v2' || !named) return ''
  return deps.instanceIds?.().has(named) ? named : ''
}
