/**
 * @module How requests to GitHub are authorized: a token as it is, or a
 * GitHub App's installation token, exchanged for a signed JWT (RS256) and
 * cached until shortly before it expires.
 */
import { sign } from 'node:crypto'
import type { Secret } from '../../src/config/references'
import type { HttpClient } from '../../src/connector/http-client'
import { GITHUB_HEADERS } from './headers'
import { rateLimitError } from './rate-limit'
import type { GithubSettings } from './settings'

export interface TokenSource {
  /** The token for the next request. */
  token(): Promise<string>
  /** Forgets a cached token GitHub rejected; false when there is nothing to renew. */
  invalidate(): boolean
  /** What the installation token may do (GitHub Apps only), for checkAccess. */
  permissions?(): Promise<Record<string, string>>
}

/** The token source the settings describe: a token, or a GitHub App installation. */
export function tokenSourceFor(settings: GithubSettings, http: HttpClient, now: () => number): TokenSource {
  if (settings.token) return staticToken(settings.token)
  return appInstallationToken({
    appId: settings.app_id!,
    privateKey: settings.private_key!,
    installationId: settings.installation_id!,
    apiUrl: settings.api_url,
    http,
    now,
  })
}

export function staticToken(secret: Secret): TokenSource {
  return { token: async () => secret.reveal(), invalidate: () => false }
}

interface AppCredentials {
  appId: number
  privateKey: Secret
  installationId: number
  apiUrl: string
  http: HttpClient
  now: () => number
}

/** Renew this long before GitHub's expiry (tokens last an hour), so no request goes out with a token about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000

function appInstallationToken(credentials: AppCredentials): TokenSource {
  let cached: Promise<Issued> | undefined
  const current = (): Promise<Issued> => {
    if (cached) return cached
    const issued = exchange(credentials)
    cached = issued
    // A failed exchange is not kept: the next request tries again.
    issued.catch(() => {
      if (cached === issued) cached = undefined
    })
    return issued
  }
  return {
    async token() {
      const issued = current()
      const { token, expiresAt } = await issued
      if (credentials.now() < expiresAt - REFRESH_MARGIN_MS) return token
      if (cached === issued) cached = undefined
      return (await current()).token
    },
    invalidate() {
      cached = undefined
      return true
    },
    permissions: async () => (await current()).permissions,
  }
}

interface Issued {
  token: string
  expiresAt: number
  permissions: Record<string, string>
}

async function exchange({ appId, privateKey, installationId, apiUrl, http, now }: AppCredentials): Promise<Issued> {
  const url = `${apiUrl}/app/installations/${installationId}/access_tokens`
  const response = await http.fetch(url, {
    method: 'POST',
    headers: { ...GITHUB_HEADERS, authorization: `Bearer ${signAppJwt(appId, privateKey.reveal(), now())}` },
  })
  const body = (await response.json().catch(() => ({}))) as { token?: string; expires_at?: string; message?: string; permissions?: Record<string, string> }
  const limited = rateLimitError(response, body, now())
  if (limited) throw limited
  if (response.status !== 201 || typeof body.token !== 'string') {
    const why = response.status === 401 ? 'check app_id and private_key' : response.status === 404 ? `is the App installed with installation_id ${installationId}?` : ''
    throw new Error(`GitHub App token exchange answered ${response.status}${body.message ? ` (${body.message})` : ''}${why ? `: ${why}` : ''}`)
  }
  const expiresAt = Date.parse(body.expires_at ?? '')
  return { token: body.token, expiresAt: Number.isNaN(expiresAt) ? now() + 60 * 60 * 1000 : expiresAt, permissions: body.permissions ?? {} }
}

/** A JWT that authenticates as the App for up to 10 minutes, as GitHub requires; issued a minute early for clock drift. */
export function signAppJwt(appId: number, privateKeyPem: string, nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000)
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iat: seconds - 60, exp: seconds + 9 * 60, iss: String(appId) })}`
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), privateKeyPem).toString('base64url')}`
}
