import { describe, expect, test } from 'bun:test'
import { createHmac } from 'node:crypto'
import { signWebhook, verifyWebhookSignature } from './signature'

const SECRET = 'whsec-test-0123456789'
const BODY = '{"id":"op-1","type":"user.created"}'
const NOW = Date.parse('2026-01-31T10:00:00Z')
const TIMESTAMP = String(NOW / 1000)

describe('webhook signatures', () => {
  test('are sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">', () => {
    const hex = createHmac('sha256', SECRET).update(`${TIMESTAMP}.${BODY}`).digest('hex')
    expect(signWebhook(SECRET, TIMESTAMP, BODY)).toBe(`sha256=${hex}`)
  })

  test('verify with the secret, the raw body and a recent timestamp', () => {
    const signature = signWebhook(SECRET, TIMESTAMP, BODY)
    expect(verifyWebhookSignature(SECRET, TIMESTAMP, BODY, signature, { now: NOW })).toBe(true)
    expect(verifyWebhookSignature(SECRET, TIMESTAMP, BODY, signature, { now: NOW + 299_000 })).toBe(true)
  })

  test('fail with a wrong secret, a modified body, another timestamp, or a malformed header', () => {
    const signature = signWebhook(SECRET, TIMESTAMP, BODY)
    expect(verifyWebhookSignature('another-secret', TIMESTAMP, BODY, signature, { now: NOW })).toBe(false)
    expect(verifyWebhookSignature(SECRET, TIMESTAMP, BODY.replace('created', 'deleted'), signature, { now: NOW })).toBe(false)
    expect(verifyWebhookSignature(SECRET, TIMESTAMP, `${BODY} `, signature, { now: NOW })).toBe(false)
    // The timestamp is signed: moving it forward to get past the replay window breaks the signature.
    expect(verifyWebhookSignature(SECRET, String(Number(TIMESTAMP) + 1), BODY, signature, { now: NOW })).toBe(false)
    expect(verifyWebhookSignature(SECRET, TIMESTAMP, BODY, signature.slice(0, -1), { now: NOW })).toBe(false)
    expect(verifyWebhookSignature(SECRET, TIMESTAMP, BODY, signature.replace('sha256=', ''), { now: NOW })).toBe(false)
    expect(verifyWebhookSignature(SECRET, TIMESTAMP, BODY, null, { now: NOW })).toBe(false)
    expect(verifyWebhookSignature(SECRET, null, BODY, signature, { now: NOW })).toBe(false)
    expect(verifyWebhookSignature(SECRET, '1e9', BODY, signature, { now: NOW })).toBe(false)
  })

  test('fail for an old delivery replayed, or a timestamp from the future, outside the tolerance', () => {
    const signature = signWebhook(SECRET, TIMESTAMP, BODY)
    expect(verifyWebhookSignature(SECRET, TIMESTAMP, BODY, signature, { now: NOW + 301_000 })).toBe(false)
    expect(verifyWebhookSignature(SECRET, TIMESTAMP, BODY, signature, { now: NOW - 301_000 })).toBe(false)
    expect(verifyWebhookSignature(SECRET, TIMESTAMP, BODY, signature, { now: NOW + 301_000, toleranceSeconds: 600 })).toBe(true)
  })
})
