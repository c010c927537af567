/**
 * @module The request id: the caller's `X-Request-Id` when it is well formed
 * (1 to 64 of `A-Z a-z 0-9 . _ -`, so it is safe in a log line and a header),
 * else a new one. It is on the request's log lines and its response.
 */

export const REQUEST_ID_HEADER = 'x-request-id'

const WELL_FORMED = /^[A-Za-z0-9._-]{1,64}$/

export function requestIdOf(request: Request): string {
  const given = request.headers.get(REQUEST_ID_HEADER)
  return given !== null && WELL_FORMED.test(given) ? given : crypto.randomUUID()
}

/** `response` with the request id header (on a copy when its headers cannot change). */
export function withRequestId(response: Response, requestId: string): Response {
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId)
    return response
  } catch {
    const copy = new Response(response.body, response)
    copy.headers.set(REQUEST_ID_HEADER, requestId)
    return copy
  }
}
