/**
 * @module Lenient request paths, as real IdPs send them: `/users` for
 * `/Users` (the Microsoft reference suite), `/Users/` with a trailing slash,
 * a stray `?` or `&` (OneLogin). Only endpoint names are case-insensitive;
 * instance ids and resource ids are left exactly as sent.
 */

const ENDPOINTS = ['Users', 'Groups', 'ServiceProviderConfig', 'ResourceTypes', 'Schemas', 'Bulk', '.search']
const CANONICAL = new Map(ENDPOINTS.map((name) => [name.toLowerCase(), name]))

/** The request with its endpoint spelled canonically and no trailing slash, or the request itself. */
export function normalizeRequestPath(request: Request): Request {
  const url = new URL(request.url)
  // ['', 'scim', 'v2', instance, endpoint, id-or-.search, ...]
  const parts = url.pathname.split('/')
  if (parts[1] !== 'scim' || parts[2] !== 'v2' || parts.length < 5) return request
  const normalized = parts.map((part, index) => (index === 4 || (index === 5 && part.toLowerCase() === '.search') ? (CANONICAL.get(part.toLowerCase()) ?? part) : part))
  if (normalized.length > 5 && normalized.at(-1) === '') normalized.pop()
  const pathname = normalized.join('/')
  if (pathname === url.pathname) return request
  url.pathname = pathname
  return new Request(url.toString(), request)
}
