/**
 * @module Lenient request paths, as real IdPs send them: `/users` for
 * `/Users` (the Microsoft reference suite), `/Users/` with a trailing slash,
 * a stray `?` or `&` (OneLogin). Only endpoint names are case-insensitive;
 * instance ids and resource ids are left exactly as sent.
 */

const ENDPOINTS = ['Users', 'Groups', 'ServiceProviderConfig', 'ResourceTypes', 'Schemas', 'Bulk', '.search']
const CANONICAL = new Map(ENDPOINTS.map((name) => [name.toLowerCase(), name]))
const CANONICAL_NAMES = new Set(ENDPOINTS)

/** The request with its endpoint spelled canonically and no trailing slash, or the request itself. */
export function normalizeRequestPath(request: Request): Request {
  const pathname = pathnameOf(request.url)
  const normalized = normalPath(pathname)
  if (normalized === pathname) return request
  const url = new URL(request.url)
  url.pathname = normalized
  return new Request(url.toString(), request)
}

function normalPath(pathname: string): string {
  if (isNormal(pathname)) return pathname
  // ['', 'scim', 'v2', instance, endpoint, id-or-.search, ...]
  const parts = pathname.split('/')
  if (parts[1] !== 'scim' || parts[2] !== 'v2' || parts.length < 5) return pathname
  const endpoint = parts[4]!
  parts[4] = CANONICAL.get(endpoint.toLowerCase()) ?? endpoint
  if (parts.length > 5 && parts[5]!.toLowerCase() === '.search') parts[5] = '.search'
  if (parts.length > 5 && parts.at(-1) === '') parts.pop()
  return parts.join('/')
}

/**
 * True when `normalPath` would change nothing, found without splitting or
 * copying (nearly every request): a canonical or unknown endpoint, no
 * miscased `.search`, no trailing slash after it. False: look closer.
 */
function isNormal(pathname: string): boolean {
  if (!pathname.startsWith('/scim/v2/')) return true
  const endpointStart = pathname.indexOf('/', '/scim/v2/'.length) + 1
  if (endpointStart === 0) return true
  const endpointEnd = pathname.indexOf('/', endpointStart)
  const endpoint = pathname.slice(endpointStart, endpointEnd === -1 ? undefined : endpointEnd)
  if (!CANONICAL_NAMES.has(endpoint) && CANONICAL.has(endpoint.toLowerCase())) return false
  if (endpointEnd === -1) return true
  const nextEnd = pathname.indexOf('/', endpointEnd + 1)
  const next = pathname.slice(endpointEnd + 1, nextEnd === -1 ? undefined : nextEnd)
  if (next.length === '.search'.length && next !== '.search' && next.toLowerCase() === '.search') return false
  return !pathname.endsWith('/')
}

/**
 * `new URL(url).pathname` of an http(s) URL as `Request.url` gives it
 * (serialized: no `?` or `#` before the query), without parsing it again.
 */
export function pathnameOf(url: string): string {
  const scheme = url.startsWith('http://') ? 7 : url.startsWith('https://') ? 8 : -1
  const start = scheme === -1 ? -1 : url.indexOf('/', scheme)
  if (start === -1) return new URL(url).pathname
  const query = url.indexOf('?', start)
  const fragment = url.indexOf('#', start)
  const end = query === -1 ? fragment : fragment === -1 ? query : Math.min(query, fragment)
  return end === -1 ? url.slice(start) : url.slice(start, end)
}
