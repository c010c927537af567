/**
 * @module Answers `application/json` to a client that asks for it and not for
 * `application/scim+json` (OneLogin's guide wants that on every response).
 * RFC 7644 §3.1 names application/scim+json; the body is the same JSON.
 */
import { SCIM_CONTENT_TYPE } from './scim-response'

export function negotiateContentType(request: Request, response: Response): Response {
  const accept = request.headers.get('accept')?.toLowerCase() ?? ''
  if (!accept.includes('application/json') || accept.includes('application/scim+json')) return response
  if (response.headers.get('content-type') !== SCIM_CONTENT_TYPE) return response
  response.headers.set('content-type', 'application/json; charset=utf-8')
  return response
}
