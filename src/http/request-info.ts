/**
 * @module Facts about a request learned while handling it (the client
 * address, instance, key id and route template), kept for the access log line and the metrics
 * written after the response.
 */
export interface RequestInfo {
  /** The client's address (the peer, or what a trusted proxy forwarded). */
  client?: string
  instance?: string
  keyId?: string
  /** The route that matched, as declared: `/scim/v2/:instance/Users/:id`. */
  route?: string
}

const infoByRequest = new WeakMap<Request, RequestInfo>()

export function noteRequest(request: Request, info: RequestInfo): void {
  const known = infoByRequest.get(request)
  if (known) Object.assign(known, info)
  else infoByRequest.set(request, { ...info })
}

export function requestInfo(request: Request): RequestInfo {
  return infoByRequest.get(request) ?? {}
}
