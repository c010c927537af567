/** The github connector's settings, read from a config file as `scimify config check` reads them. */
import { afterAll, describe, expect, test } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectors } from '..'
import { formatIssue, parseConfig } from '../../src/config/load'
import { ConnectorRegistry } from '../../src/connector/registry'
import type { GithubSettings } from '.'

const registry = new ConnectorRegistry(connectors)
const dir = mkdtempSync(join(tmpdir(), 'scimify-github-settings-'))
const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
writeFileSync(join(dir, 'app.pem'), pem)
writeFileSync(join(dir, 'not-a-key.pem'), 'hello\n')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function check(connector: string) {
  const text = `instances:\n  - id: gh\n    connector:\n      type: github\n${connector.replace(/^/gm, '      ')}\n`
  return parseConfig(text, registry, { GITHUB_TOKEN: 'ghp_secret123' }, dir)
}
const issues = (connector: string) => {
  const result = check(connector)
  return result.ok ? [] : result.issues.map(formatIssue)
}
const settingsOf = (connector: string) => {
  const result = check(connector)
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'))
  return result.config.instances[0].connector.settings as GithubSettings
}

describe('github settings', () => {
  test('a token: org and the API URL (default api.github.com, trailing slash dropped); the token stays a secret', () => {
    const settings = settingsOf('org: acme\ntoken: ${env:GITHUB_TOKEN}')
    expect(settings.api_url).toBe('https://api.github.com')
    expect(settings.token?.reveal()).toBe('ghp_secret123')
    expect(JSON.stringify(settings)).not.toContain('ghp_secret123')
    expect(settingsOf('org: acme\napi_url: https://ghe.example.com/api/v3/\ntoken: ${env:GITHUB_TOKEN}').api_url).toBe('https://ghe.example.com/api/v3')
  })

  test('a GitHub App: app_id, a PEM private_key and installation_id', () => {
    const settings = settingsOf('org: acme\napp_id: 12345\nprivate_key: ${file:app.pem}\ninstallation_id: 678')
    expect(settings).toMatchObject({ app_id: 12345, installation_id: 678 })
    expect(settings.private_key?.reveal()).toBe(pem.trimEnd())
  })

  test('what is wrong is said, with its path', () => {
    expect(issues('org: acme')).toEqual(['instances[0].connector: set either `token`, or `app_id`, `private_key` and `installation_id` (a GitHub App), not both (line 3)'])
    expect(issues('org: acme\ntoken: ${env:GITHUB_TOKEN}\napp_id: 1')).toEqual([expect.stringContaining('instances[0].connector: set either `token`')])
    expect(issues('org: acme\napp_id: 1\nprivate_key: ${file:app.pem}')).toEqual([expect.stringContaining('instances[0].connector: set either `token`')])
    expect(issues('org: acme\ntoken: ghp_inline')).toEqual(['instances[0].connector.token: must be a ${env:NAME} or ${file:/path} reference, not an inline secret (line 6)'])
    expect(issues('org: acme\napp_id: 1\nprivate_key: ${file:not-a-key.pem}\ninstallation_id: 2')).toEqual([
      expect.stringContaining("instances[0].connector.private_key: must be the GitHub App's private key"),
    ])
    expect(issues('org: "acme corp"\ntoken: ${env:GITHUB_TOKEN}')).toEqual(['instances[0].connector.org: must be the organization login, e.g. "acme" (line 5)'])
    expect(issues('org: acme\napi_url: api.github.com\ntoken: ${env:GITHUB_TOKEN}')).toEqual([expect.stringContaining('instances[0].connector.api_url: must be an absolute')])
    expect(issues('org: acme\ntoken: ${env:GITHUB_TOKEN}\nteam: x')).toEqual(['instances[0].connector.team: unknown key "team" (line 7)'])
  })
})
