/**
 * @module `checkAccess()`, for `scimify doctor`: can this token reach the
 * organization, and may its owner do what the connector does there? It
 * changes nothing. Buildkite's GraphQL API does not expose the calling
 * token's scopes (and GraphQL access is not limited by the REST scopes); it
 * does expose the viewer's permissions on the organization, which is what
 * this checks.
 */
import type { HttpClient } from '../../src/connector/http-client'
import { createGraphqlClient } from './client'
import { ACCESS } from './documents'
import type { BuildkiteSettings } from './settings'

/** Organization permissions the connector needs, with what each is for. */
export const REQUIRED_PERMISSIONS = {
  organizationMemberView: 'list members (import, drift, finding a user by email)',
  organizationMemberViewSensitive: "see members' email addresses",
  organizationInvitationCreate: 'invite users',
  organizationMemberUpdate: 'change roles, remove members, revoke invitations',
  teamView: 'list teams',
  teamCreate: 'create teams',
  teamAdmin: 'rename and delete teams, add and remove team members',
} as const

/** One line of the report: what was checked, whether it holds, and what to do when it does not. */
export interface AccessCheck {
  name: string
  ok: boolean
  detail: string
  fix?: string
}

export interface AccessReport {
  ok: boolean
  organization?: { id: string; slug: string; name: string }
  /** The token's owner. */
  viewer?: { email: string; name: string }
  checks: AccessCheck[]
  /** The failed checks, one line each; empty when `ok`. */
  problems: string[]
}

interface Permission {
  allowed: boolean
  message?: string | null
}

interface AccessData {
  viewer: { user: { email: string; name: string } | null } | null
  organization: { id: string; slug: string; name: string; permissions: Record<string, Permission | null> } | null
}

const TOKEN_FIX = 'use an API access token with GraphQL access (Full access) and access to the organization (Personal Settings → API Access Tokens)'

/** One GraphQL query; an unreachable API or a refused token is reported, not thrown. */
export async function checkAccess(settings: BuildkiteSettings, deps: { http: HttpClient }): Promise<AccessReport> {
  const client = createGraphqlClient({ url: settings.graphql_url, token: settings.token, org: settings.org, http: deps.http })
  let data: AccessData
  try {
    data = await client.request<AccessData>(ACCESS, { slug: settings.org })
  } catch (error) {
    return report([{ name: 'token', ok: false, detail: (error as Error).message, fix: TOKEN_FIX }])
  }
  const viewer = data.viewer?.user ?? undefined
  if (!data.organization) {
    const detail = `the token's owner${viewer ? ` (${viewer.email})` : ''} cannot see the organization "${settings.org}"`
    return { ...report([{ name: 'organization', ok: false, detail, fix: `check \`org\` (the slug in https://buildkite.com/${settings.org}) and the token's organization access` }]), viewer }
  }
  const { permissions: granted, ...organization } = data.organization
  const checks: AccessCheck[] = [{ name: 'organization', ok: true, detail: `${organization.name} (${organization.slug}) as ${viewer?.email ?? 'the token owner'}` }]
  for (const [name, purpose] of Object.entries(REQUIRED_PERMISSIONS)) {
    const permission = granted[name]
    const allowed = permission?.allowed === true
    checks.push({
      name,
      ok: allowed,
      detail: allowed ? `may ${purpose}` : `may not ${purpose}${permission?.message ? `: ${permission.message}` : ''}`,
      ...(allowed ? {} : { fix: `make the token's owner an administrator of ${settings.org}` }),
    })
  }
  return { ...report(checks), organization, viewer }
}

function report(checks: AccessCheck[]): AccessReport {
  const problems = checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.detail}`)
  return { ok: problems.length === 0, checks, problems }
}
