/**
 * @module The SCIM extension the connector reads (the user's role in the
 * Buildkite organization) and how it picks a user's email.
 */
import type { ScimResourceJson } from '../../src/connector/types'
import { attribute } from '../../src/scim/schemas/attribute'
import type { SchemaExtension } from '../../src/scim/schemas/instance'

export const BUILDKITE_USER_SCHEMA = 'urn:scimify:params:scim:schemas:extension:buildkite:2.0:User'

export const buildkiteUserExtension: SchemaExtension = {
  resource: 'User',
  required: false,
  schema: {
    id: BUILDKITE_USER_SCHEMA,
    name: 'BuildkiteUser',
    description: "The user's membership of the Buildkite organization",
    attributes: [
      attribute('role', 'string', 'Role in the Buildkite organization: "member" (the default) or "admin".', { canonicalValues: ['member', 'admin'] }),
    ],
  },
}

export type OrgRole = 'ADMIN' | 'MEMBER'

/** `role` of the extension as a Buildkite role; absent or empty is MEMBER, anything but member/admin is refused. */
export function orgRoleOf(resource: ScimResourceJson): OrgRole {
  const key = Object.keys(resource).find((name) => name.toLowerCase() === BUILDKITE_USER_SCHEMA.toLowerCase())
  const extension = key ? (resource[key] as Record<string, unknown> | undefined) : undefined
  const role = extension && Object.entries(extension).find(([name]) => name.toLowerCase() === 'role')?.[1]
  if (role === undefined || role === null || String(role).trim() === '') return 'MEMBER'
  const text = String(role).trim().toLowerCase()
  if (text === 'admin') return 'ADMIN'
  if (text === 'member') return 'MEMBER'
  throw new Error(`${BUILDKITE_USER_SCHEMA}:role is "${String(role)}"; Buildkite knows "member" and "admin"`)
}

/** The address invitations go to: the primary email, else the work one, else the first, else a userName that is an address. */
export function emailOf(resource: ScimResourceJson | undefined): string {
  const emails = Array.isArray(resource?.emails) ? (resource.emails as { value?: unknown; primary?: unknown; type?: unknown }[]) : []
  const usable = emails.filter((e) => typeof e?.value === 'string' && e.value.includes('@'))
  const chosen = usable.find((e) => e.primary === true) ?? usable.find((e) => e.type === 'work') ?? usable[0]
  if (chosen) return String(chosen.value).trim()
  const userName = resource?.userName
  if (typeof userName === 'string' && /^[^@\s]+@[^@\s]+$/.test(userName)) return userName.trim()
  throw new Error(`user ${resource?.id ?? ''} has no email address to invite to Buildkite`)
}
