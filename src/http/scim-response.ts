/** @module SCIM JSON responses (RFC 7644 §3.1: application/scim+json). */

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8'

export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return scimJsonText(JSON.stringify(body), status, headers)
}

/** A SCIM response whose body is already JSON text. */
export function scimJsonText(json: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(json, { status, headers: { 'content-type': SCIM_CONTENT_TYPE, ...headers } })
}

/** The instance's SCIM base URL: `{public_url}/scim/v2/{instance}`, else from the request's own origin. */
export function instanceBaseUrl(request: Request, publicUrl: string | undefined, instance: string): string {
  const origin = publicUrl ? publicUrl.replace(/\/+$/, '') : originOf(request.url)
  return `${origin}/scim/v2/${encodeURIComponent(instance)}`
}

/** The scheme, host and port of an absolute URL, without parsing all of it (request URLs are absolute and normalized by Bun). */
function originOf(url: string): string {
  const hostStart = url.indexOf('//') + 2
  const pathStart = url.indexOf('/', hostStart)
  const authority = url.slice(hostStart, pathStart === -1 ? undefined : pathStart)
  // Credentials are never part of an origin.
  return `${url.slice(0, hostStart)}${authority.slice(authority.lastIndexOf('@') + 1)}`
}
