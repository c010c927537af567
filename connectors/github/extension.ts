/**
 * @module The SCIM extension the GitHub connector reads (a user's GitHub
 * login and organization role), and what a SCIM user asks of GitHub.
 */
import type { ScimResourceJson } from '../../src/connector/types'
import { attribute } from '../../src/scim/schemas/attribute'
import type { SchemaExtension } from '../../src/scim/schemas/instance'

export const GITHUB_USER_SCHEMA = 'urn:scimify:params:scim:schemas:extension:github:2.0:User'

export const githubUserExtension: SchemaExtension = {
  resource: 'User',
  required: false,
  schema: {
    id: GITHUB_USER_SCHEMA,
    name: 'GitHubUser',
    description: "The user's GitHub account and role in the organization",
    attributes: [
      attribute('login', 'string', "The user's GitHub login. When set, the invitation goes to that account; else to the user's email."),
      attribute('role', 'string', 'The role in the organization: "member" (the default) or "admin" (an owner).', {
        canonicalValues: ['member', 'admin'],
      }),
    ],
  },
}

export type OrgRole = 'member' | 'admin'

/** What the IdP wants of a user in the organization. */
export interface DesiredMember {
  login?: string
  /** Where an invitation by email goes: the primary email, else the work one, else the first. */
  email?: string
  role: OrgRole
}

export function desiredMember(resource: ScimResourceJson): DesiredMember {
  const extension = extensionOf(resource)
  const login = typeof extension.login === 'string' && extension.login.trim() !== '' ? extension.login.trim() : undefined
  // canonicalValues are advice to the IdP (RFC 7643 §2.3.1), not enforced: anything but "admin" is a plain member.
  const role: OrgRole = typeof extension.role === 'string' && extension.role.trim().toLowerCase() === 'admin' ? 'admin' : 'member'
  return { login, email: emailOf(resource), role }
}

function extensionOf(resource: ScimResourceJson): Record<string, unknown> {
  const key = Object.keys(resource).find((name) => name.toLowerCase() === GITHUB_USER_SCHEMA.toLowerCase())
  const value = key === undefined ? undefined : resource[key]
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
}

interface Email {
  value?: unknown
  type?: unknown
  primary?: unknown
}

function emailOf(resource: ScimResourceJson): string | undefined {
  const emails = (Array.isArray(resource.emails) ? (resource.emails as Email[]) : []).filter(
    (email) => typeof email?.value === 'string' && email.value.trim() !== '',
  )
  const chosen =
    emails.find((email) => email.primary === true) ??
    emails.find((email) => typeof email.type === 'string' && email.type.toLowerCase() === 'work') ??
    emails[0]
  return chosen && String(chosen.value).trim()
}
