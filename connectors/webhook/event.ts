/** @module The webhook event a sync operation becomes, and its body: the same bytes on every delivery. */
import type { ScimResourceJson, SyncOperation, SyncOperationType } from '../../src/connector/types'

export interface WebhookEvent {
  /** The operation's id: stable across redeliveries, so receivers can drop a repeat. */
  id: string
  type: SyncOperationType
  instance: string
  /** When scimify planned the change (ISO 8601), not when this attempt was made. */
  time: string
  /** The SCIM resource as stored; for membership events the group's id and displayName. */
  resource: ScimResourceJson
  /** Membership events only: the member's SCIM id. */
  member?: { value: string }
  /**
   * The receiver's own id for the resource, when it differs from the SCIM id:
   * for what `scimify import` linked from the receiver's state.
   */
  downstreamId?: string
}

export function webhookEvent(operation: SyncOperation, instance: string): WebhookEvent {
  const event: WebhookEvent = { id: operation.id, type: operation.type, instance, time: operation.time, resource: operation.resource }
  if (operation.link && operation.link.id !== operation.resource.id) event.downstreamId = operation.link.id
  if (operation.type === 'group.member_added' || operation.type === 'group.member_removed') {
    // The operation also carries the member's downstream link and resource, for
    // connectors; the event promises the group summary and the member id only.
    const { id, displayName } = operation.resource
    event.resource = { id, ...(displayName === undefined ? {} : { displayName }) }
    event.member = { value: operation.member.value }
  }
  return event
}

/**
 * The JSON body: envelope fields in a fixed order, nested objects with their
 * keys sorted. The body then depends only on the operation's content, not on
 * how the object was built (planned in memory, or replayed from the journal
 * after a crash, possibly by a newer scimify), so a redelivery is byte for
 * byte the first delivery.
 */
export function eventBody(event: WebhookEvent): string {
  const { id, type, instance, time, resource, member, downstreamId } = event
  return JSON.stringify({
    id,
    type,
    instance,
    time,
    resource: sortKeys(resource),
    ...(member ? { member: sortKeys(member) } : {}),
    ...(downstreamId ? { downstreamId } : {}),
  })
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key])
  return sorted
}
