/** @module What the HTTP layer needs from the rest of the app, as plain values. */
import type { Keyring } from '../auth/keyring'
import type { AuthThrottle } from './auth-throttle'
import type { CidrSet } from '../net/cidr'
import type { RequestLimits } from './request-limits'
import type { Secret } from '../config/references'
import type { Logger } from '../log'
import type { ScimifyMetrics } from '../metrics/scimify'
import type { AuditLog } from '../store/audit'
import type { InstanceSchemas } from '../scim/schemas/instance'
import type { ResourceStore } from '../store/resources'
import type { DownstreamHealth } from '../sync/health'

export interface HttpDeps {
  store: ResourceStore
  /** The keyring of the config in force; swapped when the config file changes. */
  keyring(): Keyring
  /** `server.public_url` of the config in force, if set. */
  publicUrl(): string | undefined
  /** The resource types and schemas of an instance of the config in force. */
  schemas(instance: string): InstanceSchemas
  logger: Logger
  /** Where SCIM writes are recorded; absent in tests that do not need it. */
  audit?: AuditLog
  /** Where each request is counted and timed, and what /metrics renders; absent: nothing is counted. */
  metrics?: ScimifyMetrics
  /** The instance ids of the config in force: the only values the `instance` label takes. */
  instanceIds?(): ReadonlySet<string>
  /** The bearer token GET /metrics on this port requires; undefined: /metrics is not served on this port. */
  metricsToken?(): Secret | undefined
  /** Each enabled instance's downstream health, for /readyz; absent: no instance is checked. */
  instanceHealth?(): InstanceHealth[]
  /** `server.limits` of the config in force, with defaults; absent: the defaults. */
  limits?(): RequestLimits
  /** `server.trusted_proxies` of the config in force; absent: no proxy is trusted. */
  trustedProxies?(): CidrSet
  /** Slows down failed authentication per client address and instance; absent: no throttling. */
  authThrottle?: AuthThrottle
}

export interface InstanceHealth extends DownstreamHealth {
  instance: string
  /** The connector's type, e.g. `webhook`; `directory` never goes downstream and is always `ok`. */
  connector: string
}
