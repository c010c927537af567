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
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i

export class Keyring {
  private readonly instances = new Map<string, InstanceKeys>()

  constructor(config: Config) {
    for (const instance of config.instances) {
      this.instances.set(instance.id, { instance, keysById: new Map(instance.keys.map((key) => [key.id, key])) })
    }
  }

  authenticate(instanceId: string, authorization: string | null, now = new Date()): AuthResult {
    const unauthorized = { ok: false, reason: 'unauthorized' } as const
    const entry = this.instances.get(instanceId)
    const token = authorization ? BEARER.exec(authorization)?.[1] : undefined
    if (!entry || !token) return unauthorized
    const keyId = parseApiKeyId(token)
    // The key id comes from the token, so this is one map lookup, never a scan.
    const key = keyId ? entry.keysById.get(keyId) : undefined
    if (!key || !apiKeyMatches(token, key.hash)) return unauthorized
    if (key.expires && Date.parse(key.expires) <= now.getTime()) return unauthorized
    if (!entry.instance.enabled) return { ok: false, reason: 'disabled', instance: entry.instance, keyId: key.id }
    return { ok: true, instance: entry.instance, keyId: key.id }
  }
}
