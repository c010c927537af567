/**
 * @module Posts one signed event body to the receiver. A 2xx acknowledges;
 * anything else throws, so the engine delivers the same body again later.
 */
import type { HttpClient } from '../../src/connector/http-client'
import type { Secret } from '../../src/config/references'
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature'

export interface DeliveryTarget {
  url: string
  secret: Secret
  /** No answer within this many ms is a failure (retried). */
  timeoutMs: number
  /** 429/5xx, timeouts and network errors (RetryableError) are the client's. */
  http: HttpClient
  now: () => number
}

export async function deliverEvent(target: DeliveryTarget, body: string): Promise<void> {
  // Signed per attempt: a redelivery gets a fresh timestamp, so the receiver's replay window does not reject it.
  const timestamp = String(Math.floor(target.now() / 1000))
  const response = await target.http.fetch(target.url, {
    method: 'POST',
    timeoutMs: target.timeoutMs,
    headers: {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signWebhook(target.secret.reveal(), timestamp, body),
    },
    body,
  })
  // The answer's body means nothing to scimify; cancelling it frees the connection.
  await response.body?.cancel().catch(() => {})
  if (response.status < 200 || response.status > 299) {
    // Where and what, never the headers: they carry the signature.
    const { origin, pathname } = new URL(target.url)
    throw new Error(`POST ${origin}${pathname} answered ${response.status}, not 2xx`)
  }
}
