/**
 * @module Reads the receiver's current users and groups from `state_url`
 * (optional), so `scimify import` and the full reconcile's drift check work
 * with a webhook app too. The request is signed like an event, over an empty
 * body. Expected answer:
 *   { "users":  [{ "id": "…", "userName": "…", "emails": ["…"], "displayName": "…" }],
 *     "groups": [{ "id": "…", "displayName": "…", "members": ["<user id>", …] }] }
 * Ids are the receiver's: for what scimify sent, the SCIM id of the event's resource.
 */
import * as v from 'valibot'
import type { Secret } from '../../src/config/references'
import type { HttpClient } from '../../src/connector/http-client'
import type { DownstreamObject } from '../../src/connector/types'
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature'

const stateSchema = v.object({
  users: v.optional(
    v.array(v.object({ id: v.string(), userName: v.optional(v.string()), emails: v.optional(v.array(v.string())), displayName: v.optional(v.string()) })),
    [],
  ),
  groups: v.optional(v.array(v.object({ id: v.string(), displayName: v.optional(v.string()), members: v.optional(v.array(v.string()), []) })), []),
})

export interface StateSource {
  url: string
  secret: Secret
  timeoutMs: number
  http: HttpClient
  now: () => number
}

export async function readState(source: StateSource): Promise<{ users: DownstreamObject[]; groups: DownstreamObject[] }> {
  const timestamp = String(Math.floor(source.now() / 1000))
  const response = await source.http.fetch(source.url, {
    timeoutMs: source.timeoutMs,
    headers: { accept: 'application/json', [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signWebhook(source.secret.reveal(), timestamp, '') },
  })
  const { origin, pathname } = new URL(source.url)
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {})
    throw new Error(`GET ${origin}${pathname} answered ${response.status}, not 200`)
  }
  const parsed = v.safeParse(stateSchema, await response.json().catch(() => undefined))
  if (!parsed.success) throw new Error(`GET ${origin}${pathname} did not answer the documented state format`)
  return {
    users: parsed.output.users.map((user) => ({ link: { id: user.id }, userName: user.userName, emails: user.emails, displayName: user.displayName })),
    groups: parsed.output.groups.map((group) => ({ link: { id: group.id }, displayName: group.displayName, memberIds: group.members })),
  }
}
