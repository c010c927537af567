/** checkAccess(), for a later `scimify doctor`: credentials, the organization, the permissions to manage members. */
import { afterEach, describe, expect, test } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import { Secret } from '../../src/config/references'
import { createHttpClient } from '../../src/connector/http-client'
import { startFakeGithub, type FakeGithub } from '../../test/github/fake-github'
import { settingsFor } from '../../test/github/github-app'
import { checkAccess } from '.'

let github: FakeGithub
afterEach(() => github?.stop())

const http = createHttpClient({ timeoutMs: 2_000 })
const now = () => Date.parse('2030-01-01T00:00:00Z')

describe('github checkAccess', () => {
  test('a classic token with admin:org on the organization: every check passes', async () => {
    github = await startFakeGithub({ scopes: 'admin:org, repo', now: () => new Date(now()) })
    const report = await checkAccess(settingsFor(github), { http, now })
    expect(report).toEqual({
      ok: true,
      checks: [
        { name: 'credentials', ok: true, detail: expect.stringMatching(/^accepted; \d+ of 5000 requests left until 2030-01-01T01:00:00.000Z$/) },
        { name: 'organization', ok: true, detail: 'acme (id 9000)' },
        { name: 'permissions', ok: true, detail: 'the token has admin:org' },
      ],
    })
    expect(github.requests.map((request) => request.operationId)).toEqual(['rate-limit/get', 'orgs/get'])
    github.assertClean()
  })

  test('what is missing is named: a scope, the organization, valid credentials', async () => {
    github = await startFakeGithub({ scopes: 'read:org' })
    const scoped = await checkAccess(settingsFor(github), { http })
    expect(scoped.ok).toBe(false)
    expect(scoped.checks[2]).toEqual({ name: 'permissions', ok: false, detail: 'the token needs the admin:org scope (it has: read:org)' })

    const otherOrg = await checkAccess({ ...settingsFor(github), org: 'globex' }, { http })
    expect(otherOrg.checks.at(-1)).toEqual({ name: 'organization', ok: false, detail: 'GET /orgs/globex answered 404: not found, or not visible with these credentials' })

    const badToken = await checkAccess({ ...settingsFor(github), token: new Secret('ghp_wrong') }, { http })
    expect(badToken).toEqual({ ok: false, checks: [{ name: 'credentials', ok: false, detail: 'GET /rate_limit answered 401: Bad credentials' }] })
    github.assertClean()
  })

  test('a GitHub App: its installation must have Members: write', async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    github = await startFakeGithub({ app: { id: 1, installationId: 2, publicKey, permissions: { members: 'read', metadata: 'read' } } })
    const settings = {
      ...settingsFor(github),
      token: undefined,
      app_id: 1,
      private_key: new Secret(keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
      installation_id: 2,
    }
    const report = await checkAccess(settings, { http })
    expect(report.checks.map((check) => [check.name, check.ok])).toEqual([
      ['credentials', true],
      ['organization', true],
      ['permissions', false],
    ])
    expect(report.checks[2].detail).toBe('the App needs the organization permission "Members: Read and write" (it has read)')
    github.assertClean()
  })
})
