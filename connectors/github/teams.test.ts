/**
 * Groups → teams, operation by operation against the fake GitHub: create,
 * link an existing team, rename, delete, and team memberships, including a
 * member whose invitation is still pending.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { RetryableError } from '../../src/connector/errors'
import type { DownstreamLink, ScimResourceJson } from '../../src/connector/types'
import { startFakeGithub, type FakeGithub } from '../../test/github/fake-github'
import { connectorFor, operation, PENDING_RECHECK_MS } from '../../test/github/github-app'
import { GITHUB_USER_SCHEMA } from '.'

let github: FakeGithub
afterEach(() => github?.stop())

const group = (displayName: string): ScimResourceJson => ({ id: `scim-${displayName}`, displayName })
const member = (login: string, link?: DownstreamLink) => ({
  value: `scim-${login}`,
  link: link ?? { id: login, data: { login } },
  resource: { id: `scim-${login}`, userName: login, [GITHUB_USER_SCHEMA]: { login } },
})

describe('github teams', () => {
  test('create, rename and delete a team; the link is the slug and follows renames', async () => {
    github = await startFakeGithub()
    const connector = connectorFor(github)
    const created = await connector.apply(operation('group.created', group('Platform Eng')))
    const team = [...github.state.teams.values()][0]
    expect(github.calls('teams/create').map((call) => call.body)).toEqual([{ name: 'Platform Eng', privacy: 'closed' }])
    expect(created).toEqual({ link: { id: 'platform-eng', data: { teamId: team.id } } })

    const renamed = await connector.apply(operation('group.updated', group('Platform Engineering'), { link: created.link! }))
    expect(renamed).toEqual({ link: { id: 'platform-engineering', data: { teamId: team.id } } })
    expect(team.name).toBe('Platform Engineering')

    expect(await connector.apply(operation('group.deleted', group('Platform Engineering'), { link: renamed.link! }))).toEqual({ link: null })
    expect(github.state.teams.size).toBe(0)
    // Deleted already: still done.
    expect(await connector.apply(operation('group.deleted', group('Platform Engineering'), { link: renamed.link! }))).toEqual({ link: null })
    github.assertClean()
  })

  test('a group named like an existing team (its name or its slug) is linked to that team, not created again', async () => {
    github = await startFakeGithub()
    const existing = github.state.createTeam('Security Champions')
    const connector = connectorFor(github)
    expect(await connector.apply(operation('group.created', group('security champions')))).toEqual({ link: { id: 'security-champions', data: { teamId: existing.id } } })
    expect(await connector.apply(operation('group.created', group('security-champions')))).toEqual({ link: { id: 'security-champions', data: { teamId: existing.id } } })
    expect(github.calls('teams/create')).toHaveLength(0)
    github.assertClean()
  })

  test('members are added (role member) once active and removed; a pending invitee waits, then lands after acceptance', async () => {
    github = await startFakeGithub()
    const connector = connectorFor(github)
    const link = (await connector.apply(operation('group.created', group('Eng')))).link!
    github.state.addMember('ann-gh')
    github.state.addAccount('bob-gh')
    github.state.createInvitation({ account: github.state.account('bob-gh') }, 'direct_member')

    expect(await connector.apply(operation('group.member_added', group('Eng'), { link, member: member('ann-gh') }))).toEqual({})
    expect(github.calls('teams/add-or-update-membership-for-user-in-org').map((call) => [call.path, call.body])).toEqual([
      ['/orgs/acme/teams/eng/memberships/ann-gh', { role: 'member' }],
    ])
    // Planned in one go with group.created, a membership carries no link yet: it goes to the team named like the group.
    expect(await connector.apply(operation('group.member_added', group('Eng'), { member: member('ann-gh') }))).toEqual({ link })
    const waiting = await connector.apply(operation('group.member_added', group('Eng'), { link, member: member('bob-gh') })).catch((e) => e)
    expect(waiting).toBeInstanceOf(RetryableError)
    expect(waiting.retryAfterMs).toBe(PENDING_RECHECK_MS)
    expect(waiting.message).toBe('waiting for bob-gh to accept the invitation to acme; the team membership follows')
    // Never a second invitation, and no membership call that would send one.
    expect(github.state.invitations.size).toBe(1)
    expect(github.calls('teams/add-or-update-membership-for-user-in-org').filter((call) => call.path.endsWith('/bob-gh'))).toEqual([])

    github.state.acceptAll()
    await connector.apply(operation('group.member_added', group('Eng'), { link, member: member('bob-gh') }))
    expect(github.state.snapshot().teams).toEqual({ Eng: ['ann-gh', 'bob-gh'] })

    await connector.apply(operation('group.member_removed', group('Eng'), { link, member: member('ann-gh') }))
    expect(github.state.snapshot().teams).toEqual({ Eng: ['bob-gh'] })
    // A member who left the organization meanwhile: nothing to add, nothing fails.
    github.state.removeMember('bob-gh')
    expect(await connector.apply(operation('group.member_added', group('Eng'), { link, member: member('bob-gh') }))).toEqual({})
    github.assertClean()
  })

  test('a team renamed by hand is found again by id (the link follows); one deleted by hand makes its operations do nothing', async () => {
    github = await startFakeGithub()
    const connector = connectorFor(github)
    const link = (await connector.apply(operation('group.created', group('Eng')))).link!
    const team = [...github.state.teams.values()][0]
    github.state.addMember('ann-gh')
    github.state.renameTeam(team, 'Engineering')

    const added = await connector.apply(operation('group.member_added', group('Eng'), { link, member: member('ann-gh') }))
    expect(added).toEqual({ link: { id: 'engineering', data: { teamId: team.id } } })
    expect(github.state.snapshot().teams).toEqual({ Engineering: ['ann-gh'] })

    github.state.teams.delete(team.id)
    expect(await connector.apply(operation('group.member_removed', group('Eng'), { link: added.link!, member: member('ann-gh') }))).toEqual({})
    expect(await connector.apply(operation('group.updated', group('Eng 2'), { link: added.link! }))).toEqual({})
    expect(github.state.teams.size).toBe(0)
    github.assertClean()
  })
})
