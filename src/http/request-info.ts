/**
 * @module Facts about a request learned while handling it (the instance and
 * key id), kept for the access log line written after the response.
 */
export interface RequestInfo {
  instance?: string
  keyId?: string
}

const infoByRequest = new WeakMap<Request, RequestInfo>()

export function noteRequest(request: Request, info: RequestInfo): void {
  infoByRequest.set(request, { ...infoByRequest.get(request), ...info })
}

export function requestInfo(request: Request): RequestInfo {
  return infoByRequest.get(request) ?? {}
}
