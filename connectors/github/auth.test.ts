/**
 * GitHub App authentication against the fake, which verifies the JWT with
 * the App's public key: the installation token is exchanged once, reused,
 * renewed before it expires and after GitHub revokes it.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { generateKeyPairSync, verify } from 'node:crypto'
import { Secret } from '../../src/config/references'
import { startFakeGithub, type FakeGithub } from '../../test/github/fake-github'
import { connectorFor } from '../../test/github/github-app'
import { signAppJwt } from '.'

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
const privateKey = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()
const APP = { id: 4242, installationId: 77 }

let github: FakeGithub
afterEach(() => github?.stop())

async function setup() {
  let now = Date.parse('2030-01-01T00:00:00Z')
  github = await startFakeGithub({ now: () => new Date(now), app: { ...APP, publicKey } })
  const settings = { token: undefined, app_id: APP.id, private_key: new Secret(privateKey), installation_id: APP.installationId }
  const connector = connectorFor(github, { settings, now: () => now })
  return { connector, advance: (ms: number) => (now += ms) }
}

describe('github app authentication', () => {
  test('the JWT is RS256, issued by the App a minute early and valid for 9 minutes', () => {
    const now = Date.parse('2030-01-01T00:00:00Z')
    const [header, payload, signature] = signAppJwt(APP.id, privateKey, now).split('.')
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' })
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({ iat: now / 1000 - 60, exp: now / 1000 + 540, iss: '4242' })
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true)
  })

  test('one installation token serves many requests and is renewed five minutes before it expires', async () => {
    const { connector, advance } = await setup()
    await connector.listUsers!()
    await connector.listGroups!()
    expect(github.tokensIssued()).toBe(1)
    const exchange = github.calls('apps/create-installation-access-token')
    expect(exchange.map((call) => call.path)).toEqual([`/app/installations/${APP.installationId}/access_tokens`])

    advance(54 * 60 * 1000)
    await connector.listUsers!()
    expect(github.tokensIssued()).toBe(1)
    advance(2 * 60 * 1000)
    await connector.listUsers!()
    expect(github.tokensIssued()).toBe(2)
    github.assertClean()
  })

  test('a token GitHub stopped accepting is exchanged again, once', async () => {
    const { connector } = await setup()
    await connector.listUsers!()
    github.revokeInstallationTokens()
    await connector.listUsers!()
    expect(github.tokensIssued()).toBe(2)
    expect(github.requests.filter((request) => request.status === 401)).toHaveLength(1)
    github.assertClean()
  })

  test('a wrong key or installation says what to check', async () => {
    github = await startFakeGithub({ app: { ...APP, publicKey } })
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    const wrongKey = connectorFor(github, { settings: { token: undefined, app_id: APP.id, private_key: new Secret(other), installation_id: APP.installationId } })
    expect((await wrongKey.listUsers!().catch((e) => e)).message).toBe(
      'GitHub App token exchange answered 401 (A JSON web token could not be decoded): check app_id and private_key',
    )
    const wrongInstallation = connectorFor(github, { settings: { token: undefined, app_id: APP.id, private_key: new Secret(privateKey), installation_id: 1 } })
    expect((await wrongInstallation.listUsers!().catch((e) => e)).message).toBe(
      'GitHub App token exchange answered 404 (Not Found): is the App installed with installation_id 1?',
    )
    github.assertClean()
  })
})
