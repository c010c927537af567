/**
 * @module The metrics scimify exposes at /metrics: every name, help text,
 * label set and bucket list in one place, and the calls the app records with.
 *
 * Label values are bounded: instances of the config, route templates (never
 * raw ids), methods, statuses, connector types and a fixed set of results.
 */
import type { DownstreamCall } from '../connector/http-client'
import { MetricsRegistry } from './registry'

/** Seconds. Most SCIM answers take milliseconds; large lists, filters over many resources and /Bulk take longer. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export interface MetricsSources {
  /** Resources waiting in the sync queue, per instance of the config in force; read at scrape time. */
  queueDepths(): Iterable<[instance: string, depth: number]>
}

/** What the HTTP layer records per request. `instance` is empty when the request names no instance of the config. */
export interface RequestLabels {
  instance: string
  method: string
  route: string
  status: number
}

/** Why a request got an error answer before (or instead of) its work; see `scimify_requests_refused_total`. */
export type RefusalReason = 'concurrency' | 'timeout' | 'body_too_large' | 'auth_throttled' | 'commit_failed'

export function createScimifyMetrics(sources: MetricsSources) {
  const registry = new MetricsRegistry()
  const httpRequests = registry.counter(
    'scimify_http_requests_total',
    'HTTP requests answered, by instance, method, route template and status.',
    ['instance', 'method', 'route', 'status'],
  )
  const httpDuration = registry.histogram(
    'scimify_http_request_duration_seconds',
    'Time to answer an HTTP request, by instance, method and route template.',
    ['instance', 'method', 'route'],
    HTTP_DURATION_BUCKETS,
  )
  registry.gauge(
    'scimify_sync_queue_depth',
    'Resources waiting to be reconciled downstream (new changes and retries), read from the database at scrape time.',
    ['instance'],
    () => Array.from(sources.queueDepths(), ([instance, depth]) => [{ instance }, depth]),
  )
  const refusals = registry.counter(
    'scimify_requests_refused_total',
    'Requests answered with an error before or instead of their work: concurrency (503, server.limits.max_concurrent), timeout (503, server.limits.request_timeout), body_too_large (413, server.limits.max_body_bytes), auth_throttled (429 after failed keys from one address), commit_failed (503, the database could not commit).',
    ['reason'],
  )
  const syncFailures = registry.counter('scimify_sync_failures_total', 'Downstream operations that failed; each is retried with backoff.', ['instance'])
  const syncRetries = registry.counter('scimify_sync_retries_total', 'Reconciles of a resource started again after a failed attempt.', ['instance'])
  const downstreamCalls = registry.counter(
    'scimify_downstream_calls_total',
    'HTTP calls connectors made to downstream apps, by connector type and result (ok, client_error, rate_limited, server_error, timeout, network_error).',
    ['connector', 'result'],
  )
  const rateLimitWaits = registry.counter(
    'scimify_rate_limit_waits_total',
    'Downstream answers of 429 (rate limited): the resource waits before it is tried again.',
    ['connector'],
  )
  const rateLimitWaitSeconds = registry.counter(
    'scimify_rate_limit_wait_seconds_total',
    'Seconds rate-limiting downstream apps asked scimify to wait (retry-after or rate-limit reset; nothing when they did not say).',
    ['connector'],
  )

  return {
    registry,
    request({ instance, method, route, status }: RequestLabels, seconds: number): void {
      httpRequests.inc({ instance, method, route, status: String(status) })
      httpDuration.observe({ instance, method, route }, seconds)
    },
    refused(reason: RefusalReason): void {
      refusals.inc({ reason })
    },
    syncFailure(instance: string): void {
      syncFailures.inc({ instance })
    },
    syncRetry(instance: string): void {
      syncRetries.inc({ instance })
    },
    downstreamCall(connector: string, call: DownstreamCall): void {
      downstreamCalls.inc({ connector, result: call.result })
      if (call.result !== 'rate_limited') return
      rateLimitWaits.inc({ connector })
      if (call.waitMs !== undefined) rateLimitWaitSeconds.inc({ connector }, call.waitMs / 1000)
    },
  }
}

export type ScimifyMetrics = ReturnType<typeof createScimifyMetrics>
