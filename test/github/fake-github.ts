/**
 * @module A fake GitHub REST API on a random loopback port, for the github
 * connector's tests. Every request is routed and validated by GitHub's own
 * description (validator.ts): a request GitHub would refuse is answered 422
 * and recorded in `rejected`; a call to an endpoint outside the description,
 * a missing version header or an answer the description does not allow is
 * recorded in `problems`. Tests call `assertClean()` after each run.
 *
 * @example
 *   const github = await startFakeGithub()
 *   const connector = createGithubConnector({ org: 'acme', api_url: github.url, token: new Secret(github.token) }, { http: createHttpClient() })
 *   github.state.acceptAll()
 *   github.assertClean()
 *   await github.stop()
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import type { Server } from 'bun'
import { createHandlers, type FakeRequest, type FakeResponse, type Handler } from './handlers'
import { basicError, rateLimitOverview, validationError, type Site } from './representations'
import { GithubState } from './state'
import { checkResponse, githubBackend, route } from './validator'

export interface FakeApp {
  id: number
  /** PEM of the App's public key: JWTs are verified with it. */
  publicKey: string
  installationId: number
  permissions?: Record<string, string>
}

export interface FakeGithubOptions {
  /** A token the fake accepts (a classic PAT), with the scopes it reports. */
  token?: string
  scopes?: string
  app?: FakeApp
  now?: () => Date
}

export interface Interposed {
  when?: (request: FakeRequest) => boolean
  times?: number
  respond: (request: FakeRequest) => FakeResponse
}

export interface LoggedRequest {
  method: string
  path: string
  operationId?: string
  body?: unknown
  status: number
  at: number
}

export type FakeGithub = Awaited<ReturnType<typeof startFakeGithub>>

const API_VERSION = '2022-11-28'

export async function startFakeGithub(options: FakeGithubOptions = {}) {
  const api = await githubBackend()
  const now = options.now ?? (() => new Date())
  const state = new GithubState(now)
  const token = options.token ?? 'ghp_fake0123456789'
  const installationTokens = new Map<string, number>()
  const requests: LoggedRequest[] = []
  const rejected: string[] = []
  const problems: string[] = []
  const interposed: (Interposed & { left: number })[] = []
  let calls = 0
  let issued = 0

  const server: Server<undefined> = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (raw) => {
      const url = new URL(raw.url)
      const text = await raw.text()
      const headers = Object.fromEntries([...raw.headers].map(([name, value]) => [name.toLowerCase(), value]))
      const request = { method: raw.method.toLowerCase(), path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: parseBody(text) }
      const routing = route(api, request)
      const operationId = routing?.operation.operationId
      const fake: FakeRequest = { method: raw.method, operationId: operationId ?? '', params: routing?.params ?? {}, query: request.query, headers, body: request.body, url }
      const answer = answerOf(fake, routing?.invalid, routing === undefined)
      const problem = routing ? checkResponse(api, routing.operation, answer.status, answer.body) : undefined
      if (problem) problems.push(`${raw.method} ${url.pathname} → ${answer.status}: the answer is not GitHub's: ${problem}`)
      requests.push({ method: raw.method, path: url.pathname + url.search, operationId, body: request.body, status: answer.status, at: Date.now() })
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: problem ? 500 : answer.status,
        headers: { 'content-type': 'application/json; charset=utf-8', ...rateHeaders(++calls), ...(answer.headers ?? {}) },
      })
    },
  })
  const origin = `http://127.0.0.1:${server.port}`
  const site: Site = { origin, org: state.org }
  const handlers: Record<string, Handler> = createHandlers(state, site)

  function answerOf(request: FakeRequest, invalid: string | undefined, unknownRoute: boolean): FakeResponse {
    const what = `${request.method} ${request.url.pathname}`
    if (unknownRoute) {
      problems.push(`${what}: not an endpoint of the description`)
      return { status: 404, body: basicError('Not Found') }
    }
    if (request.headers['x-github-api-version'] !== API_VERSION) problems.push(`${what}: X-GitHub-Api-Version is not ${API_VERSION}`)
    if (request.headers.accept !== 'application/vnd.github+json') problems.push(`${what}: Accept is not application/vnd.github+json`)
    if (invalid) {
      rejected.push(`${what}: ${invalid}`)
      return { status: 422, body: validationError(`Invalid request.\n\n${invalid}`) }
    }
    const denied = authenticate(request)
    if (denied) return denied
    const rule = interposed.find((candidate) => candidate.left > 0 && (candidate.when?.(request) ?? true))
    if (rule) {
      rule.left--
      return rule.respond(request)
    }
    if (request.operationId === 'apps/create-installation-access-token') return issueInstallationToken(request)
    if (request.operationId === 'rate-limit/get') return { status: 200, body: rateLimitOverview(5000 - calls, resetAt()) }
    const handler = handlers[request.operationId]
    if (!handler) {
      problems.push(`${what}: ${request.operationId} is not implemented by the fake`)
      return { status: 404, body: basicError('Not Found') }
    }
    if (request.params.org !== undefined && request.params.org.toLowerCase() !== state.org.login) return { status: 404, body: basicError('Not Found') }
    const answer = handler(request)
    // Classic tokens list their scopes on every answer.
    return options.scopes !== undefined && credentialOf(request) === token
      ? { ...answer, headers: { 'x-oauth-scopes': options.scopes, ...answer.headers } }
      : answer
  }

  function authenticate(request: FakeRequest): FakeResponse | undefined {
    const credential = credentialOf(request)
    if (request.operationId === 'apps/create-installation-access-token') {
      return credential && options.app && verifyAppJwt(credential, options.app, now()) ? undefined : { status: 401, body: basicError('A JSON web token could not be decoded') }
    }
    const expiresAt = credential ? installationTokens.get(credential) : undefined
    if (credential === token || (expiresAt !== undefined && now().getTime() < expiresAt)) return undefined
    return { status: 401, body: basicError('Bad credentials') }
  }

  function issueInstallationToken(request: FakeRequest): FakeResponse {
    const app = options.app!
    if (Number(request.params.installation_id) !== app.installationId) return { status: 404, body: basicError('Not Found') }
    const issuedToken = `ghs_fake${++issued}`
    // Installation tokens last an hour.
    const expiresAt = now().getTime() + 60 * 60 * 1000
    installationTokens.set(issuedToken, expiresAt)
    return {
      status: 201,
      body: { token: issuedToken, expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'), permissions: app.permissions ?? { members: 'write' } },
    }
  }

  const resetAt = () => Math.floor(now().getTime() / 1000) + 3600
  const rateHeaders = (count: number) => ({
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(Math.max(0, 5000 - count)),
    'x-ratelimit-reset': String(resetAt()),
    'x-ratelimit-used': String(count),
    'x-ratelimit-resource': 'core',
  })

  return {
    url: origin,
    token,
    state,
    requests,
    rejected,
    problems,
    /** How many installation tokens were issued. */
    tokensIssued: () => issued,
    /** Stops accepting the installation tokens issued so far, as when an App's tokens are revoked. */
    revokeInstallationTokens: () => installationTokens.clear(),
    /** Answers the next matching requests with `respond` instead (after validating and authenticating them). */
    interpose(rule: Interposed) {
      interposed.push({ ...rule, left: rule.times ?? 1 })
    },
    /** Requests of one operation, e.g. `calls('orgs/create-invitation')`. */
    calls: (operationId: string) => requests.filter((request) => request.operationId === operationId),
    /** Takes the recorded rejections, for a test that expects them. */
    takeRejected: () => rejected.splice(0),
    /** Throws when a request went outside the description, was refused by it, or an answer did not fit it. */
    assertClean() {
      const all = [...problems.map((p) => `problem: ${p}`), ...rejected.map((r) => `rejected: ${r}`)]
      if (all.length > 0) throw new Error(`the fake GitHub saw what the real one would not accept:\n${all.join('\n')}`)
    },
    stop: () => server.stop(true),
  }
}

/** A secondary rate limit: 403 with retry-after, as GitHub answers. */
export function secondaryRateLimit(retryAfterSeconds: number): (request: FakeRequest) => FakeResponse {
  return () => ({
    status: 403,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: basicError('You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'),
  })
}

/** The primary rate limit: 403, nothing remaining until `resetEpochSeconds`. */
export function primaryRateLimit(resetEpochSeconds: number): (request: FakeRequest) => FakeResponse {
  return () => ({
    status: 403,
    headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetEpochSeconds) },
    body: basicError('API rate limit exceeded for installation.'),
  })
}

function credentialOf(request: FakeRequest): string | undefined {
  return /^(?:Bearer|token) (.+)$/.exec(request.headers.authorization ?? '')?.[1]
}

function parseBody(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function verifyAppJwt(jwt: string, app: FakeApp, now: Date): boolean {
  const [header, payload, signature] = jwt.split('.')
  if (!header || !payload || !signature) return false
  const key: KeyObject = createPublicKey(app.publicKey)
  if (!verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) return false
  const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString())
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iat: number; exp: number; iss: string }
  const seconds = now.getTime() / 1000
  // GitHub: RS256, issued by the App, not in the future (60 s of drift allowed), at most 10 minutes long, not expired.
  return alg === 'RS256' && claims.iss === String(app.id) && claims.iat <= seconds + 60 && claims.exp - claims.iat <= 600 && claims.exp > seconds
}
