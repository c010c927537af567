/**
 * @module Bearer-key authentication for the routes below /scim/v2/:instance:
 * who is calling, or a 401/403 SCIM error (429 once a client address has
 * failed too often on the instance; a valid key always passes). Modules call
 * it from their `resolve` hook, so every route under an instance is
 * authenticated.
 */
import { ScimError } from '../scim/errors'
import type { InstanceSchemas } from '../scim/schemas/instance'
import type { HttpDeps } from './deps'
import { noteRequest, requestInfo } from './request-info'
import { RetryLaterError } from './retry-later'
import { instanceBaseUrl } from './scim-response'

export interface Caller {
  instance: string
  keyId: string
  /** The instance's SCIM base URL, for meta.location and $ref. */
  baseUrl: string
  /** The instance's resource types and schemas. */
  schemas: InstanceSchemas
}

export function authenticateCaller(deps: HttpDeps, request: Request, instanceId: string): { caller: Caller } {
  const result = deps.keyring().authenticate(instanceId, request.headers.get('authorization'))
  if (!result.ok && result.reason === 'unauthorized') throw refusal(deps, request, instanceId)
  noteRequest(request, { instance: result.instance.id, keyId: result.keyId })
  if (!result.ok) throw new ScimError(403, undefined, `Instance '${result.instance.id}' is disabled in the configuration`)
  const baseUrl = instanceBaseUrl(request, deps.publicUrl(), result.instance.id)
  return { caller: { instance: result.instance.id, keyId: result.keyId, baseUrl, schemas: deps.schemas(result.instance.id) } }
}

/** The 401 of a failed attempt, or a 429 when its address has failed too often on the instance. */
function refusal(deps: HttpDeps, request: Request, instanceId: string): ScimError {
  const client = requestInfo(request).client
  const waitSeconds = client === undefined ? 0 : (deps.authThrottle?.fail(client, instanceId) ?? 0)
  if (waitSeconds === 0) return ScimError.unauthorized()
  deps.metrics?.refused('auth_throttled')
  return new RetryLaterError(429, 'Too many failed authentication attempts from this address; retry later', waitSeconds)
}
