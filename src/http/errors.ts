/**
 * @module Renders every error in one place: ScimErrors as RFC 7644 §3.12
 * bodies, Elysia's own errors mapped to SCIM, anything else a logged 500.
 */
import type { Logger } from '../log'
import { ScimError } from '../scim/errors'
import { RetryLaterError } from './retry-later'
import { scimJson } from './scim-response'

export function renderError(code: string | number, error: unknown, request: Request, logger: Logger): Response {
  if (error instanceof ScimError) return scimErrorResponse(error)
  switch (code) {
    case 'NOT_FOUND':
      return scimJson(ScimError.notFound(`No endpoint at ${new URL(request.url).pathname}`).toJSON(), 404)
    case 'PARSE':
      return scimJson(ScimError.of('invalidSyntax', 'The request body is not valid JSON').toJSON(), 400)
    case 'VALIDATION':
      return scimJson(ScimError.of('invalidValue', 'The request is not valid').toJSON(), 400)
  }
  logger.error('unhandled error', {
    method: request.method,
    path: new URL(request.url).pathname,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  })
  return scimJson(new ScimError(500, undefined, 'Internal server error').toJSON(), 500)
}

/** A ScimError as its response: `WWW-Authenticate` on a 401, `Retry-After` when it says when to retry. */
export function scimErrorResponse(error: ScimError): Response {
  const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': 'Bearer realm="scimify"' } : {}
  if (error instanceof RetryLaterError) headers['retry-after'] = String(error.retryAfterSeconds)
  return scimJson(error.toJSON(), error.status, headers)
}
