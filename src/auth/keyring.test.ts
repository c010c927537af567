import { afterAll, afterEach, describe, expect, spyOn, test } from 'bun:test'
import type { Config } from '../config/schema'
import { testInstanceConfig } from '../../test/support/app'
import * as apiKey from './api-key'
import { generateApiKey } from './api-key'
import { Keyring } from './keyring'

const configWith = (...instances: Config['instances']): Config => ({ server: { listen: '127.0.0.1:0', database: ':memory:' }, instances }) as Config

/** The key with its last secret character changed: same id, same length, wrong. */
const almost = (secret: string) => secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A')

describe('keyring', () => {
  const hashing = spyOn(apiKey, 'apiKeyMatches')
  afterEach(() => hashing.mockClear())
  afterAll(() => hashing.mockRestore())

  test('a key verified once is accepted again without hashing it again', () => {
    const key = generateApiKey()
    const keyring = new Keyring(configWith(testInstanceConfig('alpha', key)))
    for (let i = 0; i < 3; i++) expect(keyring.authenticate('alpha', `Bearer ${key.secret}`)).toMatchObject({ ok: true, keyId: key.id })
    expect(hashing).toHaveBeenCalledTimes(1)
  })

  test('after a key was verified, a wrong token with its id is still refused', () => {
    const key = generateApiKey()
    const keyring = new Keyring(configWith(testInstanceConfig('alpha', key)))
    expect(keyring.authenticate('alpha', `Bearer ${almost(key.secret)}`)).toEqual({ ok: false, reason: 'unauthorized' })
    expect(keyring.authenticate('alpha', `Bearer ${key.secret}`).ok).toBe(true)
    expect(keyring.authenticate('alpha', `Bearer ${almost(key.secret)}`)).toEqual({ ok: false, reason: 'unauthorized' })
    expect(keyring.authenticate('alpha', `Bearer ${key.secret}x`)).toEqual({ ok: false, reason: 'unauthorized' })
    expect(keyring.authenticate('alpha', `Bearer ${key.secret}`).ok).toBe(true)
  })

  test('a verified key of one instance is refused on another', () => {
    const alpha = generateApiKey()
    const keyring = new Keyring(configWith(testInstanceConfig('alpha', alpha), testInstanceConfig('beta')))
    expect(keyring.authenticate('alpha', `Bearer ${alpha.secret}`).ok).toBe(true)
    expect(keyring.authenticate('beta', `Bearer ${alpha.secret}`)).toEqual({ ok: false, reason: 'unauthorized' })
  })

  test('a verified key is refused once it expires', () => {
    const key = generateApiKey()
    const instance = testInstanceConfig('alpha', key)
    instance.keys[0]!.expires = '2030-01-01T00:00:00Z'
    const keyring = new Keyring(configWith(instance))
    expect(keyring.authenticate('alpha', `Bearer ${key.secret}`, new Date('2029-12-31T23:59:59Z')).ok).toBe(true)
    expect(keyring.authenticate('alpha', `Bearer ${key.secret}`, new Date('2030-01-01T00:00:00Z'))).toEqual({ ok: false, reason: 'unauthorized' })
  })

  test('the keyring of a new config refuses a revoked key and the old secret of a rotated one', () => {
    const key = generateApiKey()
    const instance = testInstanceConfig('alpha', key)
    expect(new Keyring(configWith(instance)).authenticate('alpha', `Bearer ${key.secret}`).ok).toBe(true)
    const revoked = new Keyring(configWith({ ...instance, keys: [] }))
    expect(revoked.authenticate('alpha', `Bearer ${key.secret}`)).toEqual({ ok: false, reason: 'unauthorized' })
    const replacement = generateApiKey()
    const rotated = new Keyring(configWith({ ...instance, keys: [{ ...instance.keys[0]!, hash: replacement.hash }] }))
    expect(rotated.authenticate('alpha', `Bearer ${key.secret}`)).toEqual({ ok: false, reason: 'unauthorized' })
  })

  test('a verified key of a disabled instance is "disabled", every time', () => {
    const key = generateApiKey()
    const keyring = new Keyring(configWith({ ...testInstanceConfig('alpha', key), enabled: false }))
    for (let i = 0; i < 2; i++) expect(keyring.authenticate('alpha', `Bearer ${key.secret}`)).toMatchObject({ ok: false, reason: 'disabled', keyId: key.id })
  })
})
