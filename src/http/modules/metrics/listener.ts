/**
 * @module The listener of its own for /metrics (`server.metrics.listen`):
 * serves GET /metrics and nothing else, with the token when one is set.
 * Scrapes are not logged: a scraper calls every few seconds.
 */
import type { Secret } from '../../../config/references'
import { listenUrl, parseListenAddress } from '../../../config/listen-address'
import type { Logger } from '../../../log'
import type { ScimifyMetrics } from '../../../metrics/scimify'
import { metricsResponse } from './respond'

export interface MetricsListenerDeps {
  metrics: ScimifyMetrics
  /** `server.metrics.token` of the config in force. */
  token(): Secret | undefined
  logger: Logger
}

export function createMetricsHandler(deps: MetricsListenerDeps): (request: Request) => Response {
  return (request) => {
    if (new URL(request.url).pathname !== '/metrics') return new Response('not found\n', { status: 404 })
    if (request.method !== 'GET') return new Response('method not allowed\n', { status: 405, headers: { allow: 'GET' } })
    try {
      return metricsResponse(request, deps.metrics.registry, deps.token())
    } catch (error) {
      deps.logger.error('metrics not collected', { error: (error as Error).message })
      return new Response('metrics unavailable\n', { status: 500 })
    }
  }
}

/** Starts the metrics listener on `listen` ("host:port"); throws when it cannot listen there. */
export function listenForMetrics(listen: string, fetch: (request: Request) => Response): { server: ReturnType<typeof Bun.serve>; url: string } {
  const address = parseListenAddress(listen)
  if (!address) throw new Error('expected host:port, e.g. 127.0.0.1:9464')
  const server = Bun.serve({ hostname: address.hostname, port: address.port, fetch })
  return { server, url: `${listenUrl(address.hostname, server.port!)}/metrics` }
}
