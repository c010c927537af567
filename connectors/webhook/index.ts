/**
 * @module The `webhook` connector: POSTs one signed JSON event per effective
 * change to a URL of yours. Event format, headers and verification: README.md.
 */
import * as v from 'valibot'
import { secretReference } from '../../src/config/references'
import type { HttpClient } from '../../src/connector/http-client'
import type { Connector, ConnectorDefinition, OperationResult, SyncOperation } from '../../src/connector/types'
import { deliverEvent } from './deliver'
import { eventBody, webhookEvent } from './event'
import { readState } from './state'

export { verifyWebhookSignature, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature'
export { eventBody, webhookEvent, type WebhookEvent } from './event'

const url = v.pipe(
  v.string('must be a string'),
  v.check(isHttpUrl, 'must be an absolute http:// or https:// URL, e.g. "https://hooks.example.com/scimify"'),
)

// A floor, so `timeout_ms: 10` meant as seconds fails the config check instead of every delivery;
// a ceiling well within the engine's 60 s claim on a resource, which it renews only between operations.
const timeoutMs = v.pipe(
  v.number('must be a number of milliseconds'),
  v.integer('must be a whole number of milliseconds'),
  v.minValue(100, 'must be at least 100 (milliseconds)'),
  v.maxValue(30_000, 'must be at most 30000 (30 seconds)'),
)

const settings = v.strictObject({
  url,
  secret: secretReference(),
  timeout_ms: v.optional(timeoutMs, 10_000),
  /** Optional: where the receiver tells its current users and groups (import, drift checks); see state.ts. */
  state_url: v.optional(url),
})

export type WebhookSettings = v.InferOutput<typeof settings>

export const webhookConnector = {
  type: 'webhook',
  description: 'POSTs one signed JSON event per change (user.created, group.member_added, …) to a URL.',
  settings,
  // import: with state_url set; without it the connector has no listUsers and nothing is imported.
  capabilities: { users: true, groups: true, import: true },
  create: (config, deps) => createWebhookConnector(config, { instance: deps.instance, http: deps.http }),
} satisfies ConnectorDefinition<WebhookSettings>

function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol)
}

/** The connector with its clock and HTTP client given (tests pass their own). */
export function createWebhookConnector(
  config: WebhookSettings,
  deps: { instance: string; http: HttpClient; now?: () => number },
): Connector {
  const target = { url: config.url, secret: config.secret, timeoutMs: config.timeout_ms, http: deps.http, now: deps.now ?? Date.now }
  const connector: Connector = {
    async apply(operation: SyncOperation): Promise<OperationResult> {
      await deliverEvent(target, eventBody(webhookEvent(operation, deps.instance)))
      return resultOf(operation)
    },
  }
  if (config.state_url) {
    const source = { ...target, url: config.state_url }
    connector.listUsers = async () => (await readState(source)).users
    connector.listGroups = async () => (await readState(source)).groups
  }
  return connector
}

/** The engine keeps a link for what exists downstream: the receiver knows resources by their SCIM id. */
function resultOf(operation: SyncOperation): OperationResult {
  if (operation.type === 'user.created' || operation.type === 'group.created') return { link: { id: operation.resource.id } }
  if (operation.type === 'user.deleted' || operation.type === 'group.deleted') return { link: null }
  return {}
}
