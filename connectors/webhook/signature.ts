/**
 * @module Signs webhook deliveries and checks them: HMAC-SHA256 of
 * "<timestamp>.<body>" keyed with the shared secret. Uses node:crypto only,
 * so a receiver on Node, Bun or Deno can copy `verifyWebhookSignature`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export const TIMESTAMP_HEADER = 'X-Scimify-Timestamp'
export const SIGNATURE_HEADER = 'X-Scimify-Signature'

/** The `X-Scimify-Signature` value: `sha256=<hex>`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

export interface VerifyOptions {
  /** How far the timestamp may be from now, either way. Default 300 s. */
  toleranceSeconds?: number
  /** The current time in ms since the epoch. Default Date.now(). */
  now?: number
}

/**
 * True when `signatureHeader` is the signature of `timestamp` and `body` (the
 * raw request body, exactly as received) and the timestamp is recent, which
 * stops an old delivery from being replayed. Redeliveries by scimify are
 * signed afresh; drop repeats by the event's `id`.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | null | undefined,
  body: string,
  signatureHeader: string | null | undefined,
  { toleranceSeconds = 300, now = Date.now() }: VerifyOptions = {},
): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signatureHeader) return false
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return false
  const expected = Buffer.from(signWebhook(secret, timestamp, body))
  const received = Buffer.from(signatureHeader.trim())
  // timingSafeEqual needs equal lengths; the length of a signature is no secret.
  return received.length === expected.length && timingSafeEqual(received, expected)
}
