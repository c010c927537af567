/**
 * @module The request body limit (`server.limits.max_body_bytes`): a declared
 * Content-Length over it is refused before anything is read; a body without
 * one is read up to the limit and refused as soon as it passes it.
 */
import { ScimError } from '../scim/errors'

/** The request, with its body read into memory when it had no Content-Length; throws 413 over the limit. */
export async function boundedBody(request: Request, maxBytes: number): Promise<Request> {
  const declared = request.headers.get('content-length')
  if (declared !== null) {
    if (Number(declared) > maxBytes) throw new BodyTooLargeError(maxBytes)
    return request
  }
  if (request.body === null || request.method === 'GET' || request.method === 'HEAD') return request
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel()
      throw new BodyTooLargeError(maxBytes)
    }
    chunks.push(value)
  }
  return new Request(request.url, { method: request.method, headers: request.headers, body: Buffer.concat(chunks) })
}

/** The 413 of a body over server.limits.max_body_bytes (told apart from other 413s for the metrics). */
export class BodyTooLargeError extends ScimError {
  constructor(maxBytes: number) {
    super(413, undefined, `The request body is larger than ${maxBytes} bytes (server.limits.max_body_bytes)`)
  }
}
