/**
 * @module Decides whether a bearer token may use an instance.
 *
 * Every failure (missing or malformed header, unknown instance, unknown,
 * wrong, expired key, a key of another instance) is the same "unauthorized",
 * so a caller learns nothing about which part was wrong. A valid key of a
 * disabled instance is "disabled" (403): the caller is who they say, the
 * instance is switched off.
 */
import type { ApiKeyConfig, Config, InstanceConfig } from '../config/schema'
import { apiKeyMatches, parseApiKeyId } from './api-key'

export type AuthResult =
  | { ok: true; instance: InstanceConfig; keyId: string }
  | { ok: false; reason: 'unauthorized' }
  | { ok: false; reason: 'disabled'; instance: InstanceConfig; keyId: string }

interface InstanceKeys {
  instance: InstanceConfig
  keysById: Map<string, ApiKeyConfig>
  /**
   * The token that matched each key's hash, by key id, so later requests
   * compare it instead of hashing again. Only a matching token is kept, so
   * there is at most one per key of the config. A Keyring lives as long as
   * its config: a revoked or rotated key takes its entry with it.
   */
  verified: Map<string, string>
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i

export class Keyring {
  private readonly instances = new Map<string, InstanceKeys>()

  constructor(config: Config) {
    for (const instance of config.instances) {
      this.instances.set(instance.id, { instance, keysById: new Map(instance.keys.map((key) => [key.id, key])), verified: new Map() })
    }
  }

  authenticate(instanceId: string, authorization: string | null, now?: Date): AuthResult {
    const unauthorized = { ok: false, reason: 'unauthorized' } as const
    const entry = this.instances.get(instanceId)
    const token = authorization ? BEARER.exec(authorization)?.[1] : undefined
    if (!entry || !token) return unauthorized
    const keyId = parseApiKeyId(token)
    // The key id comes from the token, so this is one map lookup, never a scan.
    const key = keyId ? entry.keysById.get(keyId) : undefined
    if (!key || !tokenMatches(entry, key, token)) return unauthorized
    // Checked on every request, so a key whose token was verified before its expiry is refused after it.
    if (key.expires && Date.parse(key.expires) <= (now?.getTime() ?? Date.now())) return unauthorized
    if (!entry.instance.enabled) return { ok: false, reason: 'disabled', instance: entry.instance, keyId: key.id }
    return { ok: true, instance: entry.instance, keyId: key.id }
  }
}

/** Whether `token` is the key's: compared in constant time with the token verified before, else hashed and compared with the stored hash. */
function tokenMatches(entry: InstanceKeys, key: ApiKeyConfig, token: string): boolean {
  const verified = entry.verified.get(key.id)
  // Only one token has the key's hash: when it is known, any other is wrong without hashing.
  if (verified !== undefined) return sameText(verified, token)
  if (!apiKeyMatches(token, key.hash)) return false
  entry.verified.set(key.id, token)
  return true
}

/**
 * Equal strings, in time that depends on their length only: every character
 * is compared, whatever differs first (a Buffer and `timingSafeEqual` per
 * request cost more than the rest of the key check).
 */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return difference === 0
}
