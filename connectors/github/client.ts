/**
 * @module A small GitHub REST client over the engine's HTTP client: pinned
 * headers, the token of the moment, rate limits as RetryableError, other
 * unexpected answers as GithubError, and lists followed through their
 * `Link: rel="next"` pages.
 *
 * @example
 *   const github = createGithubClient({ apiUrl, http, auth: staticToken(token), now: Date.now })
 *   const { data } = await github.request<Team>('POST', '/orgs/acme/teams', { body: { name: 'Eng' } })
 *   const members = await github.list<SimpleUser>('/orgs/acme/members')
 */
import type { HttpClient } from '../../src/connector/http-client'
import type { TokenSource } from './auth'
import { GITHUB_HEADERS } from './headers'
import { messagesOf, rateLimitError, type ErrorBody } from './rate-limit'

export interface GithubClientOptions {
  /** Without a trailing slash, e.g. https://api.github.com. */
  apiUrl: string
  http: HttpClient
  auth: TokenSource
  now: () => number
}

export interface GithubResponse<T> {
  status: number
  data: T
  headers: Headers
}

export interface RequestOptions {
  body?: unknown
  /** Statuses the caller handles itself (besides 2xx), such as 404 for "already gone". */
  allow?: number[]
}

/** GitHub answered something the caller did not expect. */
export class GithubError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    what: string,
  ) {
    super(`${what} answered ${status}: ${messagesOf(body).join('; ') || 'no message'}${hintFor(status)}`)
    this.name = 'GithubError'
  }
}

export interface GithubClient {
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<GithubResponse<T>>
  /** Every item of a paginated list, 100 per page. */
  list<T>(path: string): Promise<T[]>
}

/** A bound on pages, so a server that always links a next page cannot keep a reconcile forever (100,000 items). */
const MAX_PAGES = 1000

export function createGithubClient(options: GithubClientOptions): GithubClient {
  const origin = new URL(options.apiUrl).origin

  async function send(method: string, url: string, body: unknown, retried = false): Promise<{ response: Response; data: unknown }> {
    const headers: Record<string, string> = { ...GITHUB_HEADERS, authorization: `Bearer ${await options.auth.token()}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await options.http.fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await response.text()
    const data = text === '' ? undefined : parseJson(text)
    // An installation token revoked before its expiry: exchange it once more.
    if (response.status === 401 && !retried && options.auth.invalidate()) return send(method, url, body, true)
    const limited = rateLimitError(response, (data ?? {}) as ErrorBody, options.now())
    if (limited) throw limited
    return { response, data }
  }

  async function request<T>(method: string, path: string, { body, allow = [] }: RequestOptions = {}): Promise<GithubResponse<T>> {
    const { response, data } = await send(method, `${options.apiUrl}${path}`, body)
    if ((response.status >= 200 && response.status < 300) || allow.includes(response.status)) return { status: response.status, data: data as T, headers: response.headers }
    throw new GithubError(response.status, (data ?? {}) as ErrorBody, `${method} ${path}`)
  }

  async function list<T>(path: string): Promise<T[]> {
    const items: T[] = []
    let url: string | undefined = `${options.apiUrl}${path}${path.includes('?') ? '&' : '?'}per_page=100`
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const { response, data } = await send('GET', url, undefined)
      if (response.status !== 200) throw new GithubError(response.status, (data ?? {}) as ErrorBody, `GET ${path}`)
      if (!Array.isArray(data)) throw new Error(`GET ${path} did not answer a list`)
      items.push(...(data as T[]))
      url = nextPage(response.headers.get('link'), origin)
    }
    if (url) throw new Error(`GET ${path} has more than ${MAX_PAGES} pages`)
    return items
  }

  return { request, list }
}

/** The `rel="next"` URL of a Link header, only on GitHub's own origin: the token goes nowhere else. */
export function nextPage(link: string | null, origin: string): string | undefined {
  for (const part of link?.split(',') ?? []) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part)
    if (!match) continue
    const url = URL.canParse(match[1]) ? new URL(match[1]) : undefined
    if (url?.origin !== origin) throw new Error(`GitHub linked a next page on another origin (${url?.origin ?? match[1]}); not followed`)
    return url.href
  }
  return undefined
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return { message: text.slice(0, 200) }
  }
}

function hintFor(status: number): string {
  if (status === 401) return ' (the token is invalid or expired)'
  if (status === 403) return ' (does the token or App have the organization permissions in connectors/github/README.md?)'
  return ''
}
