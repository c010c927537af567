/**
 * @module Builds each instance's sync runtime from the config: its connector
 * (started with an HTTP client) and what it may do downstream, the
 * connector's capabilities narrowed by the instance's `mode`.
 */
import { parseDuration } from '../config/duration'
import type { Config, InstanceConfig } from '../config/schema'
import { createHttpClient, type DownstreamCall } from '../connector/http-client'
import type { ConnectorRegistry } from '../connector/registry'
import type { InstanceRuntime } from './engine'

/** Told of each downstream HTTP call a connector makes, with the connector's type (for metrics). */
export type DownstreamCallObserver = (connectorType: string, call: DownstreamCall) => void

/**
 * `listenOrigin` is where the server really listens (after port 0 or 0.0.0.0
 * are resolved); resource URLs in payloads use `server.public_url` first.
 */
export function instanceRuntimes(
  config: Config,
  registry: ConnectorRegistry,
  listenOrigin?: string,
  onCall?: DownstreamCallObserver,
): Map<string, InstanceRuntime> {
  const origin = config.server.public_url?.replace(/\/+$/, '') ?? listenOrigin ?? `http://${config.server.listen}`
  return new Map(config.instances.filter((i) => i.enabled).map((instance) => [instance.id, runtimeOf(instance, registry, origin, onCall)]))
}

function runtimeOf(instance: InstanceConfig, registry: ConnectorRegistry, origin: string, onCall?: DownstreamCallObserver): InstanceRuntime {
  const definition = registry.get(instance.connector.type)
  const connector = definition?.create?.(instance.connector.settings, {
    http: createHttpClient({ timeoutMs: 10_000, userAgent: `scimify (${instance.id})`, onCall: onCall && ((call) => onCall(instance.connector.type, call)) }),
    instance: instance.id,
  })
  const capabilities = definition?.capabilities ?? { users: false, groups: false, import: false }
  return {
    id: instance.id,
    connector,
    capabilities: {
      users: Boolean(connector) && capabilities.users && instance.mode !== 'groups_only',
      groups: Boolean(connector) && capabilities.groups && instance.mode !== 'users_only',
      membershipsFollowUsers: capabilities.membershipsFollowUsers,
      attributes: capabilities.attributes,
    },
    baseUrl: `${origin}/scim/v2/${encodeURIComponent(instance.id)}`,
    settings: instance.sync,
    fullIntervalMs: parseDuration(instance.sync.full_interval),
  }
}
