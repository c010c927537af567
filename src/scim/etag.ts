/**
 * @module Entity tags and conditional requests (RFC 7644 §3.14, RFC 9110
 * §13.1). Versions are weak tags `W/"<n>"`; If-Match and If-None-Match
 * compare weakly, so `"3"` and `W/"3"` are the same version.
 */
import { ScimError } from './errors'

export function entityTag(version: number): string {
  return `W/"${version}"`
}

function opaque(tag: string): string {
  return tag.trim().replace(/^W\//i, '')
}

/** Whether a header value (`*` or a list of tags) names the given version. */
export function tagListMatches(header: string, version: number): boolean {
  if (header.trim() === '*') return true
  const current = opaque(entityTag(version))
  return header.split(',').some((tag) => opaque(tag) === current)
}

/** Throws 412 when an If-Match header is present and names another version. */
export function checkIfMatch(ifMatch: string | null | undefined, version: number): void {
  if (ifMatch && !tagListMatches(ifMatch, version)) {
    throw new ScimError(412, undefined, `The resource has changed: its version is ${entityTag(version)}, not ${ifMatch.trim()}`)
  }
}
