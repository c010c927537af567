/** The Buildkite connector's settings as a config file gives them, and how a user's email and role are read. */
import { describe, expect, test } from 'bun:test'
import { connectors } from '..'
import { formatIssue, parseConfig } from '../../src/config/load'
import { ConnectorRegistry } from '../../src/connector/registry'
import { BUILDKITE_USER_SCHEMA, emailOf, orgRoleOf } from './extension'
import type { BuildkiteSettings } from './settings'

const registry = new ConnectorRegistry(connectors)
const env = { BUILDKITE_TOKEN: 'bkua_secret_value' }

function parse(connector: string) {
  return parseConfig(`instances:\n  - id: ci\n    connector:\n      type: buildkite\n${connector}`, registry, env)
}

describe('buildkite settings', () => {
  test('the minimum of issue 6, with the documented defaults', () => {
    const result = parse('      org: acme\n      token: ${env:BUILDKITE_TOKEN}\n')
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'))
    const settings = result.config.instances[0].connector.settings as BuildkiteSettings
    expect({ ...settings, token: settings.token.reveal() }).toEqual({
      org: 'acme',
      graphql_url: 'https://graphql.buildkite.com/v1',
      token: 'bkua_secret_value',
      team_privacy: 'visible',
      team_member_role: 'member',
      team_slugs: {},
      invitation_recheck: 15 * 60_000,
    })
    expect(JSON.stringify(settings)).not.toContain('bkua_secret_value')
  })

  test('every setting, and what is refused with its path and line', () => {
    const all = parse(
      '      org: acme\n      graphql_url: http://127.0.0.1:9999/v1\n      token: ${env:BUILDKITE_TOKEN}\n      sso_mode: required\n' +
        '      team_privacy: secret\n      team_member_role: maintainer\n      team_slugs: { "Site Reliability": sre }\n      invitation_recheck: 1h\n',
    )
    expect(all.ok && all.config.instances[0].connector.settings).toMatchObject({ sso_mode: 'required', team_slugs: { 'Site Reliability': 'sre' }, invitation_recheck: 3_600_000 })

    const bad = parse(
      '      org: Acme Inc\n      token: bkua_inline\n      sso_mode: sometimes\n      team_privacy: public\n      team_slugs: { Eng: "Eng Team" }\n      invitation_recheck: soon\n      teams: x\n',
    )
    expect(bad.ok ? [] : bad.issues.map(formatIssue)).toEqual([
      'instances[0].connector.org: must be the organization slug, e.g. "acme": lowercase letters, digits and dashes (line 5)',
      'instances[0].connector.token: must be a ${env:NAME} or ${file:/path} reference, not an inline secret (line 6)',
      'instances[0].connector.sso_mode: must be optional or required (line 7)',
      'instances[0].connector.team_privacy: must be visible or secret (line 8)',
      'instances[0].connector.team_slugs.Eng: must be a team slug, e.g. "platform": lowercase letters, digits and dashes (line 9)',
      'instances[0].connector.invitation_recheck: must be a duration such as "15m" or "1h" (a whole number and one unit of s, m, h, d or w) (line 10)',
      'instances[0].connector.teams: unknown key "teams" (line 11)',
    ])
  })
})

describe('reading a SCIM user', () => {
  const user = (extra: Record<string, unknown>) => ({ id: 'u1', userName: 'ann', ...extra })

  test('the email: primary, else work, else the first, else a userName that is an address', () => {
    expect(emailOf(user({ emails: [{ value: 'home@x.test', type: 'home' }, { value: 'p@x.test', primary: true }] }))).toBe('p@x.test')
    expect(emailOf(user({ emails: [{ value: 'home@x.test', type: 'home' }, { value: 'work@x.test', type: 'work' }] }))).toBe('work@x.test')
    expect(emailOf(user({ emails: [{ value: 'first@x.test' }] }))).toBe('first@x.test')
    expect(emailOf({ id: 'u2', userName: 'ann@x.test' })).toBe('ann@x.test')
    expect(() => emailOf(user({}))).toThrow('user u1 has no email address to invite to Buildkite')
  })

  test('the role: member by default, admin or member in any case, anything else refused', () => {
    expect(orgRoleOf(user({}))).toBe('MEMBER')
    expect(orgRoleOf(user({ [BUILDKITE_USER_SCHEMA]: { role: 'Admin' } }))).toBe('ADMIN')
    expect(orgRoleOf(user({ [BUILDKITE_USER_SCHEMA.toLowerCase()]: { Role: ' member ' } }))).toBe('MEMBER')
    expect(orgRoleOf(user({ [BUILDKITE_USER_SCHEMA]: { role: '' } }))).toBe('MEMBER')
    expect(() => orgRoleOf(user({ [BUILDKITE_USER_SCHEMA]: { role: 'owner' } }))).toThrow('Buildkite knows "member" and "admin"')
  })
})
