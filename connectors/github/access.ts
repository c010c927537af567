/**
 * @module checkAccess(): can these settings reach the organization, may they
 * manage its members, and how much rate limit is left? For a later
 * `scimify doctor`; it changes nothing.
 */
import type { HttpClient } from '../../src/connector/http-client'
import { tokenSourceFor, type TokenSource } from './auth'
import { createGithubClient } from './client'
import type { GithubSettings } from './settings'

export interface AccessCheck {
  name: 'credentials' | 'organization' | 'permissions'
  ok: boolean
  detail: string
}

export interface AccessReport {
  ok: boolean
  checks: AccessCheck[]
}

/** What a classic token needs: `admin:org` covers invitations, memberships and teams. */
const NEEDED_SCOPE = 'admin:org'

interface RateLimit {
  limit: number
  remaining: number
  reset: number
}

export async function checkAccess(settings: GithubSettings, deps: { http: HttpClient; now?: () => number }): Promise<AccessReport> {
  const now = deps.now ?? Date.now
  const auth = tokenSourceFor(settings, deps.http, now)
  const github = createGithubClient({ apiUrl: settings.api_url, http: deps.http, auth, now })
  const checks: AccessCheck[] = []
  try {
    const rate = await github.request<{ resources: { core: RateLimit }; message?: string }>('GET', '/rate_limit', { allow: [401, 403] })
    if (rate.status !== 200) {
      checks.push({ name: 'credentials', ok: false, detail: `GET /rate_limit answered ${rate.status}: ${rate.data?.message ?? 'the credentials were refused'}` })
      return { ok: false, checks }
    }
    const { remaining, limit, reset } = rate.data.resources.core
    checks.push({ name: 'credentials', ok: true, detail: `accepted; ${remaining} of ${limit} requests left until ${new Date(reset * 1000).toISOString()}` })

    const org = await github.request<{ login: string; id: number }>('GET', `/orgs/${encodeURIComponent(settings.org)}`, { allow: [403, 404] })
    if (org.status !== 200) {
      checks.push({ name: 'organization', ok: false, detail: `GET /orgs/${settings.org} answered ${org.status}: not found, or not visible with these credentials` })
      return { ok: false, checks }
    }
    checks.push({ name: 'organization', ok: true, detail: `${org.data.login} (id ${org.data.id})` })
    checks.push(await permissionsCheck(auth, org.headers.get('x-oauth-scopes')))
  } catch (error) {
    checks.push({ name: checks.length === 0 ? 'credentials' : 'organization', ok: false, detail: (error as Error).message })
  }
  return { ok: checks.every((check) => check.ok), checks }
}

async function permissionsCheck(auth: TokenSource, scopes: string | null): Promise<AccessCheck> {
  if (auth.permissions) {
    const members = (await auth.permissions()).members
    return members === 'write'
      ? { name: 'permissions', ok: true, detail: 'the App may read and write organization members' }
      : { name: 'permissions', ok: false, detail: `the App needs the organization permission "Members: Read and write" (it has ${members ?? 'none'})` }
  }
  // Classic tokens list their scopes on every answer; fine-grained tokens do not say.
  if (scopes === null) return { name: 'permissions', ok: true, detail: 'not listed by GitHub for this token: it needs "Members: Read and write" on the organization' }
  const granted = scopes.split(',').map((scope) => scope.trim()).filter(Boolean)
  return granted.includes(NEEDED_SCOPE)
    ? { name: 'permissions', ok: true, detail: `the token has ${NEEDED_SCOPE}` }
    : { name: 'permissions', ok: false, detail: `the token needs the ${NEEDED_SCOPE} scope (it has: ${granted.join(', ') || 'none'})` }
}
