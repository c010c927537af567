/**
 * Users → organization members, operation by operation against the fake
 * GitHub: one invitation per user (by account id or by email), the login
 * learned once GitHub knows it, removal and re-invitation, GitHub's refusals.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { RetryableError } from '../../src/connector/errors'
import type { DownstreamLink, ScimResourceJson } from '../../src/connector/types'
import { startFakeGithub, type FakeGithub } from '../../test/github/fake-github'
import { connectorFor, operation } from '../../test/github/github-app'
import { GITHUB_USER_SCHEMA } from '.'

let github: FakeGithub
afterEach(() => github?.stop())

function user(name: string, extension?: { login?: string; role?: string }, email = `${name}@corp.example.com`): ScimResourceJson {
  return {
    id: `scim-${name}`,
    userName: `${name}@corp.example.com`,
    active: true,
    emails: [{ value: `${name}@home.example.com`, type: 'home' }, { value: email, type: 'work' }],
    ...(extension ? { [GITHUB_USER_SCHEMA]: extension } : {}),
  }
}

const invitationBodies = () => github.calls('orgs/create-invitation').map((call) => call.body)

describe('github users', () => {
  test('no login known: one invitation by the work email, linked as invitation:<id> until GitHub names the account', async () => {
    github = await startFakeGithub()
    const connector = connectorFor(github)
    const ann = user('ann')
    const created = await connector.apply(operation('user.created', ann))
    const [invitation] = github.state.invitations.values()
    expect(invitationBodies()).toEqual([{ email: 'ann@corp.example.com', role: 'direct_member' }])
    expect(created).toEqual({ link: { id: `invitation:${invitation.id}`, data: { invitationId: invitation.id, email: 'ann@corp.example.com' } } })

    // Replayed after a crash that lost the answer: the pending invitation is found again, not sent twice.
    expect(await connector.apply(operation('user.created', ann))).toEqual(created)
    expect(invitationBodies()).toHaveLength(1)

    // Still pending, nothing learned: the link stays.
    const link = created.link as DownstreamLink
    expect(await connector.apply(operation('user.updated', ann, { link }))).toEqual({ link })
    // GitHub ties the email to an account (its owner verified it): the next operation learns the login.
    invitation.login = 'ann-gh'
    github.state.addAccount('ann-gh')
    const learned = await connector.apply(operation('user.updated', ann, { link }))
    expect(learned).toEqual({ link: { id: 'ann-gh', data: { invitationId: invitation.id, login: 'ann-gh', email: 'ann@corp.example.com' } } })

    // Accepted; a role change is then set on the membership.
    github.state.accept(invitation.id)
    await connector.apply(operation('user.updated', user('ann', { role: 'admin' }), { link: learned.link! }))
    expect(github.state.members.get('ann-gh')).toBe('admin')
    expect(github.calls('orgs/set-membership-for-user').map((call) => call.body)).toEqual([{ role: 'admin' }])
    expect(invitationBodies()).toHaveLength(1)
    github.assertClean()
  })

  test('a known login: invited by account id (GET /users/{login}), as an owner for role admin', async () => {
    github = await startFakeGithub()
    const bob = github.state.addAccount('bob-gh')
    const connector = connectorFor(github)
    const result = await connector.apply(operation('user.created', user('bob', { login: 'bob-gh', role: 'admin' })))
    const [invitation] = github.state.invitations.values()
    expect(invitationBodies()).toEqual([{ invitee_id: bob.id, role: 'admin' }])
    expect(result).toEqual({ link: { id: 'bob-gh', data: { invitationId: invitation.id, login: 'bob-gh', email: 'bob@corp.example.com' } } })
    expect(github.calls('users/get-by-username')).toHaveLength(1)

    // A login GitHub does not know falls back to the email.
    await connector.apply(operation('user.created', user('cy', { login: 'no-such-login' })))
    expect(invitationBodies()[1]).toEqual({ email: 'cy@corp.example.com', role: 'direct_member' })

    // Someone already in the organization is linked, not invited.
    github.state.addMember('dee-gh')
    expect(await connector.apply(operation('user.created', user('dee', { login: 'dee-gh' })))).toEqual({
      link: { id: 'dee-gh', data: { login: 'dee-gh', email: 'dee@corp.example.com' } },
    })
    expect(invitationBodies()).toHaveLength(2)
    github.assertClean()
  })

  test('deactivate cancels the pending invitation or removes the member (teams too); gone already is fine; reactivate invites again', async () => {
    github = await startFakeGithub()
    const connector = connectorFor(github)
    const ann = user('ann')
    const pending = (await connector.apply(operation('user.created', ann))).link as DownstreamLink
    expect(await connector.apply(operation('user.deactivated', { ...ann, active: false }, { link: pending }))).toEqual({})
    expect(github.state.invitations.size).toBe(0)
    expect(github.calls('orgs/cancel-invitation')).toHaveLength(1)

    github.state.addAccount('bob-gh')
    const bob = user('bob', { login: 'bob-gh' })
    const invited = (await connector.apply(operation('user.created', bob))).link as DownstreamLink
    github.state.acceptAll()
    github.state.createTeam('Eng', { members: ['bob-gh'] })
    await connector.apply(operation('user.deactivated', { ...bob, active: false }, { link: invited }))
    expect(github.state.snapshot()).toEqual({ members: [], teams: { Eng: [] } })
    // Again (a replay): GitHub answers 404, which means done.
    expect(await connector.apply(operation('user.deactivated', { ...bob, active: false }, { link: invited }))).toEqual({})
    expect(github.calls('orgs/remove-membership-for-user').map((call) => call.status)).toEqual([204, 404])

    const back = await connector.apply(operation('user.reactivated', bob, { link: invited }))
    expect(invitationBodies().at(-1)).toEqual({ invitee_id: github.state.account('bob-gh')!.id, role: 'direct_member' })
    expect(back.link?.id).toBe('bob-gh')
    expect(await connector.apply(operation('user.deleted', { id: bob.id }, { link: back.link! }))).toEqual({ link: null })
    expect(github.state.invitations.size).toBe(0)
    github.assertClean()
  })

  test("a 422 on an invitation fails with GitHub's message; the daily invitation cap waits a day instead of hammering", async () => {
    github = await startFakeGithub()
    github.state.addMember('ann-gh', 'member', ['ann@corp.example.com'])
    const connector = connectorFor(github)
    const refused = await connector.apply(operation('user.created', user('ann'))).catch((error) => error)
    expect(refused).not.toBeInstanceOf(RetryableError)
    expect(refused.message).toBe('POST /orgs/acme/invitations answered 422: Validation Failed; Invitee is already a part of this organization')

    github.state.invitationCap = 0
    const capped = await connector.apply(operation('user.created', user('bob'))).catch((error) => error)
    expect(capped).toBeInstanceOf(RetryableError)
    expect(capped.retryAfterMs).toBe(24 * 60 * 60 * 1000)
    expect(capped.message).toContain('Over invitation rate limit')
    github.assertClean()
  })

  test('a failed invitation is shown (not resent) for a day, on a new user.created and on team memberships; an IdP change sends a new one', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z')
    github = await startFakeGithub({ now: () => new Date(now) })
    const connector = connectorFor(github, { now: () => now })
    const ann = user('ann')
    const first = (await connector.apply(operation('user.created', ann))).link as DownstreamLink
    github.state.fail(first.data!.invitationId as number, 'Invitation expired')

    now += 60 * 60 * 1000
    // The full reconcile finds the user gone and plans user.created again.
    const held = await connector.apply(operation('user.created', ann)).catch((error) => error)
    expect(held).toBeInstanceOf(RetryableError)
    expect(held.message).toContain('failed at 2030-01-01T00:00:00.000Z: Invitation expired; scimify invites again after 2030-01-02T00:00:00.000Z')
    expect(held.retryAfterMs).toBe(23 * 60 * 60 * 1000)
    const team = github.state.createTeam('Eng')
    const membership = await connector
      .apply(operation('group.member_added', { id: 'g', displayName: 'Eng' }, { link: { id: team.slug }, member: { value: ann.id, link: first, resource: ann } }))
      .catch((error) => error)
    expect(membership).toBeInstanceOf(RetryableError)
    expect(membership.message).toContain('Invitation expired')
    expect(invitationBodies()).toHaveLength(1)

    // The IdP corrects the email: a new invitation goes out at once.
    const fixed = await connector.apply(operation('user.updated', user('ann', undefined, 'ann.lee@corp.example.com'), { link: first }))
    expect(invitationBodies().at(-1)).toEqual({ email: 'ann.lee@corp.example.com', role: 'direct_member' })
    expect(fixed.link?.id).not.toBe(first.id)

    // A day after the failure, user.created sends again.
    github.state.fail(fixed.link!.data!.invitationId as number, 'Invitation expired')
    now += 25 * 60 * 60 * 1000
    await connector.apply(operation('user.created', ann))
    expect(invitationBodies()).toHaveLength(3)
    github.assertClean()
  })

  test('an email invitation accepted by an account GitHub never named: deactivation says so rather than pretend; a mapped login fixes it', async () => {
    github = await startFakeGithub()
    const connector = connectorFor(github)
    const ann = user('ann')
    const link = (await connector.apply(operation('user.created', ann))).link as DownstreamLink
    github.state.acceptAll(() => 'ann-personal')

    // Nothing to go on: no guessed invitation either.
    expect(await connector.apply(operation('user.updated', ann, { link }))).toEqual({ link })
    const error = await connector.apply(operation('user.deactivated', { ...ann, active: false }, { link })).catch((e) => e)
    expect(error.message).toContain(`invitation ${link.data!.invitationId} to ann@corp.example.com is no longer pending, and GitHub does not say which account accepted it`)
    expect(github.state.isMember('ann-personal')).toBe(true)

    const mapped = user('ann', { login: 'ann-personal' })
    expect((await connector.apply(operation('user.updated', mapped, { link }))).link?.id).toBe('ann-personal')
    await connector.apply(operation('user.deactivated', { ...mapped, active: false }, { link }))
    expect(github.state.isMember('ann-personal')).toBe(false)
    expect(invitationBodies()).toHaveLength(1)
    github.assertClean()
  })
})
