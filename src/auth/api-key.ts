/**
 * @module API keys: generation, hashing and parsing.
 *
 * A key looks like `scimify_3f9a0c1d2e4b_<43 base64url chars>`: a fixed prefix
 * (so secret scanners and people recognise it), the key id (so the server
 * finds the one candidate without scanning every key), and 32 random bytes
 * (256 bits). Only `sha256:<hex>` of the whole key is stored. A plain SHA-256
 * is enough here: the input has 256 bits of entropy, so there is nothing to
 * brute-force, and a slow password hash would only add latency per request.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const KEY_PREFIX = 'scimify'
const KEY_PATTERN = /^scimify_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/

export interface GeneratedKey {
  id: string
  /** The key itself: shown once, never stored. */
  secret: string
  hash: string
}

/** Makes a new key whose id is not in `takenIds`. */
export function generateApiKey(takenIds: ReadonlySet<string> = new Set()): GeneratedKey {
  let id: string
  do id = randomBytes(6).toString('hex')
  while (takenIds.has(id))
  const secret = `${KEY_PREFIX}_${id}_${randomBytes(32).toString('base64url')}`
  return { id, secret, hash: hashApiKey(secret) }
}

export function hashApiKey(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex')}`
}

/** The key id a presented key claims, or undefined when it is not shaped like a key. */
export function parseApiKeyId(presented: string): string | undefined {
  return KEY_PATTERN.exec(presented)?.[1]
}

/** Compares a presented key with a stored hash in constant time. */
export function apiKeyMatches(presented: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash)
  const actual = Buffer.from(hashApiKey(presented))
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}
