/**
 * The Buildkite connector against the fake Buildkite GraphQL API
 * (test/buildkite/), which validates every document against the official
 * schema: one operation at a time, as the engine hands them over.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { RetryableError } from '../../src/connector/errors'
import { createHttpClient } from '../../src/connector/http-client'
import type { Connector, DownstreamLink, ScimResourceJson, SyncOperation } from '../../src/connector/types'
import { buildkiteSkipReason } from '../../test/buildkite/schema'
import { startFakeBuildkite, type FakeBuildkite } from '../../test/buildkite/server'
import { fakeSettings } from '../../test/buildkite/setup'
import { BUILDKITE_USER_SCHEMA, BuildkiteError, buildkiteConnector, checkAccess, createBuildkiteConnector } from '.'
import { createGraphqlClient } from './client'
import { INVITE } from './documents'

if (buildkiteSkipReason) console.log(buildkiteSkipReason)

const http = createHttpClient({ timeoutMs: 2_000 })
let fake: FakeBuildkite

beforeEach(() => {
  if (!buildkiteSkipReason) fake = startFakeBuildkite()
})
afterEach(async () => {
  if (!fake) return
  // Whatever a test did, the connector never sent a document the real API would refuse.
  expect(fake.rejected).toEqual([])
  await fake.stop()
})

function connector(extra: Record<string, unknown> = {}, now?: () => number): Connector {
  return createBuildkiteConnector(fakeSettings(fake, extra), { http, now })
}

const user = (name: string, extra: Record<string, unknown> = {}): ScimResourceJson => ({
  id: `scim-${name}`,
  userName: `${name}@example.com`,
  emails: [{ value: `${name}@example.com`, type: 'work', primary: true }],
  active: true,
  ...extra,
})
const admin = (name: string) => user(name, { [BUILDKITE_USER_SCHEMA]: { role: 'admin' } })
const group = (name: string) => ({ id: `scim-${name}`, displayName: name }) as ScimResourceJson

let sequence = 0
function op(type: string, resource: ScimResourceJson, link?: DownstreamLink, member?: { resource: ScimResourceJson; link?: DownstreamLink }): SyncOperation {
  return {
    id: `op-${++sequence}`,
    time: new Date().toISOString(),
    type,
    resource,
    ...(link ? { link } : {}),
    ...(member ? { member: { value: member.resource.id, ...member } } : {}),
  } as SyncOperation
}

async function linkOf(c: Connector, operation: SyncOperation): Promise<DownstreamLink> {
  const result = await c.apply(operation)
  if (!result.link) throw new Error(`${operation.type} returned no link`)
  return result.link
}

describe.skipIf(Boolean(buildkiteSkipReason))('buildkite connector', () => {
  test('the fake refuses what the real API would: a wrong input field, in a variable or in the document', async () => {
    const client = createGraphqlClient({ url: fake.url, token: fakeSettings(fake).token, org: 'acme', http })
    const organizationID = await client.organizationId()
    // `email` instead of `emails`: not a field of OrganizationInvitationCreateInput.
    await expect(client.request(INVITE, { input: { organizationID, email: 'ann@example.com', role: 'MEMBER' } })).rejects.toThrow(
      /OrganizationInvitationCreateInput.*email/,
    )
    await expect(client.request('mutation Wrong { teamDelete(input: { id: "x", slug: "y" }) { deletedTeamID } }')).rejects.toThrow(/TeamDeleteInput.*slug/)
    expect(fake.rejected.map((r) => r.operation)).toEqual(['Invite', 'Wrong'])
    expect(fake.org.snapshot().invitations).toEqual([])
    // The same checks hold for every document of the connector: every other test ends with `rejected` empty.
    fake.rejected.length = 0
  })

  test('invite: an invitation by email with the role and SSO mode; the link is the invitation', async () => {
    const c = connector({ sso_mode: 'required' })
    const ann = await linkOf(c, op('user.created', user('ann')))
    const bob = await linkOf(c, op('user.created', admin('bob')))
    expect(ann.id).toStartWith('invitation:')
    expect(ann.data).toEqual({ email: 'ann@example.com', role: 'MEMBER' })
    expect(bob.data).toEqual({ email: 'bob@example.com', role: 'ADMIN' })
    expect(fake.org.snapshot().invitations).toEqual(['ann@example.com MEMBER', 'bob@example.com ADMIN'])
    expect([...fake.org.invitations.values()].map((i) => i.ssoMode)).toEqual(['REQUIRED', 'REQUIRED'])
    const invite = fake.requests.find((r) => r.operation === 'Invite')!
    expect(invite.variables).toEqual({ input: { organizationID: fake.org.id, emails: ['ann@example.com'], role: 'MEMBER', sso: { mode: 'REQUIRED' } } })
  })

  test('invite: an existing member is linked, given its role, and not invited', async () => {
    const { member, user: person } = fake.org.addMember('carol@example.com', 'MEMBER')
    const c = connector()
    const link = await linkOf(c, op('user.created', admin('carol')))
    expect(link).toEqual({ id: member.id, data: { userId: person.id, email: 'carol@example.com' } })
    expect(fake.org.snapshot().members).toEqual(['carol@example.com ADMIN'])
    expect(fake.operations()).not.toContain('Invite')
  })

  test('invite: a replay after a lost answer finds its invitation instead of inviting twice', async () => {
    const operation = op('user.created', user('dan'))
    const first = await linkOf(connector(), operation)
    // A new process (after a crash) gets the same operation, planned before it started.
    const later = connector({}, () => Date.now() + 60_000)
    expect(await linkOf(later, operation)).toEqual(first)
    expect(fake.org.snapshot().invitations).toEqual(['dan@example.com MEMBER'])
  })

  test('invite: an invitation sent by hand is kept, or sent again when its role is not the one wanted', async () => {
    const byHand = fake.org.invite('fay@example.com', 'MEMBER', null, [])
    fake.org.invite('gus@example.com', 'MEMBER', null, [])
    const c = connector()
    expect(await linkOf(c, op('user.created', user('fay')))).toEqual({ id: `invitation:${byHand.id}`, data: { email: 'fay@example.com', role: 'MEMBER' } })
    expect((await linkOf(c, op('user.created', admin('gus')))).data).toEqual({ email: 'gus@example.com', role: 'ADMIN' })
    expect(fake.org.snapshot().invitations).toEqual(['fay@example.com MEMBER', 'gus@example.com ADMIN'])
    // The first attempts were refused ("already invited"), as the real service does (assumed): refusals, not rejected documents.
    expect(fake.requests.filter((r) => r.operation === 'Invite' && r.errors).length).toBe(2)
  })

  test('revoke: deactivating or deleting an invitee revokes the pending invitation', async () => {
    const c = connector()
    const ann = await linkOf(c, op('user.created', user('ann')))
    const bob = await linkOf(c, op('user.created', user('bob')))
    expect(await c.apply(op('user.deactivated', user('ann', { active: false }), ann))).toEqual({ link: null })
    expect(await c.apply(op('user.deleted', { id: 'scim-bob' }, bob))).toEqual({ link: null })
    expect([...fake.org.invitations.values()].map((i) => i.state)).toEqual(['REVOKED', 'REVOKED'])
    // Again (a replay): nothing left to revoke, still fine.
    expect(await c.apply(op('user.deactivated', user('ann', { active: false }), ann))).toEqual({ link: null })
  })

  test('remove: a member is removed from the organization, and with it from every team', async () => {
    const c = connector()
    const team = await linkOf(c, op('group.created', group('Eng')))
    const invited = await linkOf(c, op('user.created', user('ann')))
    fake.org.acceptInvitation('ann@example.com')
    await c.apply(op('group.member_added', group('Eng'), team, { resource: user('ann'), link: invited }))
    expect(fake.org.snapshot().teams).toEqual({ Eng: ['ann@example.com MEMBER'] })
    // The link still names the (accepted) invitation: the member is found by its email.
    expect(await c.apply(op('user.deactivated', user('ann', { active: false }), invited))).toEqual({ link: null })
    expect(fake.org.snapshot()).toEqual({ members: [], invitations: [], teams: { Eng: [] } })
    expect(fake.operations()).toContain('RemoveMember')
  })

  test('reactivate: a removed user is invited again', async () => {
    const c = connector()
    const link = await linkOf(c, op('user.created', user('ann')))
    fake.org.acceptInvitation('ann@example.com')
    await c.apply(op('user.deactivated', user('ann', { active: false }), link))
    const again = await linkOf(c, op('user.reactivated', user('ann')))
    expect(again.id).toStartWith('invitation:')
    expect(fake.org.snapshot()).toMatchObject({ members: [], invitations: ['ann@example.com MEMBER'] })
  })

  test('roles: a member gets the new role; a pending invitation is sent again with it, to the same teams', async () => {
    const c = connector()
    const team = await linkOf(c, op('group.created', group('Eng')))
    const ann = await linkOf(c, op('user.created', user('ann')))
    fake.org.acceptInvitation('ann@example.com')
    const annMember = await linkOf(c, op('user.updated', admin('ann'), ann))
    expect(annMember.id).toBe(fake.org.memberByEmail('ann@example.com')!.id)
    expect(fake.org.snapshot().members).toEqual(['ann@example.com ADMIN'])
    expect(fake.operations()).toContain('UpdateMemberRole')
    await linkOf(c, op('user.updated', user('ann'), annMember))
    expect(fake.org.snapshot().members).toEqual(['ann@example.com MEMBER'])

    // Bob is invited into Eng (the connector knows the team of his group), then made admin before accepting.
    const bob = await linkOf(c, op('user.created', user('bob', { groups: [{ value: 'scim-Eng' }] })))
    const bobAdmin = await linkOf(c, op('user.updated', admin('bob'), bob))
    expect(bobAdmin.id).not.toBe(bob.id)
    expect(fake.org.snapshot().invitations).toEqual(['bob@example.com ADMIN'])
    expect(fake.org.pendingInvitation('bob@example.com')!.teams.map((t) => t.teamId)).toEqual([team.id])
    fake.org.acceptInvitation('bob@example.com')
    expect(fake.org.snapshot().teams).toEqual({ Eng: ['bob@example.com MEMBER'] })
  })

  test('a role other than member or admin is refused, not guessed', async () => {
    const c = connector()
    await expect(c.apply(op('user.created', user('eve', { [BUILDKITE_USER_SCHEMA]: { role: 'owner' } })))).rejects.toThrow('Buildkite knows "member" and "admin"')
    expect(fake.requests).toEqual([])
  })

  test('teams: created with the privacy and role of the settings, renamed, members added, re-roled and removed, deleted', async () => {
    const c = connector({ team_privacy: 'secret', team_member_role: 'maintainer' })
    const team = await linkOf(c, op('group.created', group('Platform')))
    const created = fake.org.teams.get(team.id)!
    expect(created).toMatchObject({ name: 'Platform', slug: 'platform', privacy: 'SECRET', defaultMemberRole: 'MAINTAINER', isDefaultTeam: false })
    expect(team.data).toEqual({ slug: 'platform' })
    created.isDefaultTeam = true // set by hand: a rename keeps it

    expect(await c.apply(op('group.updated', group('Platform Engineering'), team))).toEqual({})
    expect(fake.org.teams.get(team.id)).toMatchObject({ name: 'Platform Engineering', isDefaultTeam: true, defaultMemberRole: 'MAINTAINER' })

    const { member } = fake.org.addMember('ann@example.com')
    const ann = { resource: user('ann'), link: { id: member.id } }
    await c.apply(op('group.member_added', group('Platform Engineering'), team, ann))
    expect(fake.org.snapshot().teams).toEqual({ 'Platform Engineering': ['ann@example.com MAINTAINER'] })
    // teamMemberCreate takes the User's id, not the OrganizationMember's.
    expect(fake.requests.find((r) => r.operation === 'AddTeamMember')!.variables).toMatchObject({ userID: member.userId, role: 'MAINTAINER' })

    // Made a plain member by hand, then added again (drift repair): the configured role is put back.
    fake.org.teamMembersOf(team.id)[0].role = 'MEMBER'
    await c.apply(op('group.member_added', group('Platform Engineering'), team, ann))
    expect(fake.org.snapshot().teams).toEqual({ 'Platform Engineering': ['ann@example.com MAINTAINER'] })
    expect(fake.operations()).toContain('UpdateTeamMember')

    await c.apply(op('group.member_removed', group('Platform Engineering'), team, ann))
    await c.apply(op('group.member_removed', group('Platform Engineering'), team, ann)) // a replay: already out
    expect(fake.org.snapshot().teams).toEqual({ 'Platform Engineering': [] })

    expect(await c.apply(op('group.deleted', { id: 'scim-Platform' }, team))).toEqual({ link: null })
    expect(await c.apply(op('group.deleted', { id: 'scim-Platform' }, team))).toEqual({ link: null })
    expect(fake.org.teams.size).toBe(0)
  })

  test('teams: a group is linked to an existing team by slug (team_slugs), or by its exact name; a linked team keeps its name and survives', async () => {
    const existing = fake.org.addTeamByHand('Site Reliability')
    const c = connector({ team_slugs: { SRE: 'site-reliability' } })
    const sre = await linkOf(c, op('group.created', group('SRE')))
    expect(sre).toEqual({ id: existing.id, data: { slug: 'site-reliability', linkedBySlug: true } })
    await c.apply(op('group.updated', group('SRE team'), sre))
    expect(await c.apply(op('group.deleted', { id: 'scim-SRE' }, sre))).toEqual({ link: null })
    expect([...fake.org.teams.values()].map((t) => t.name)).toEqual(['Site Reliability'])

    // A team with the group's exact name (e.g. made by a first attempt whose answer was lost) is not made twice.
    const first = await linkOf(c, op('group.created', group('Eng')))
    expect(await linkOf(c, op('group.created', group('Eng')))).toEqual(first)
    expect(fake.org.teams.size).toBe(2)

    await expect(connector({ team_slugs: { Ops: 'nope' } }).apply(op('group.created', group('Ops')))).rejects.toThrow(
      'team_slugs links "Ops" to team "nope", which acme does not have',
    )
    expect(fake.operations().filter((name) => name === 'CreateTeam')).toHaveLength(1)
  })

  test('pending invitations: a team membership waits (RetryableError after invitation_recheck) and lands once accepted', async () => {
    const c = connector({ invitation_recheck: '10m' })
    const team = await linkOf(c, op('group.created', group('Eng')))
    const ann = await linkOf(c, op('user.created', user('ann')))
    const add = op('group.member_added', group('Eng'), team, { resource: user('ann'), link: ann })
    const waiting = await c.apply(add).catch((error) => error)
    expect(waiting).toBeInstanceOf(RetryableError)
    expect(waiting).toMatchObject({ retryAfterMs: 10 * 60_000, message: 'ann@example.com has not accepted the Buildkite invitation yet; joins the team once they do' })
    // Removing a membership that never landed is nothing to do.
    expect(await c.apply(op('group.member_removed', group('Eng'), team, { resource: user('ann'), link: ann }))).toEqual({})

    fake.org.acceptInvitation('ann@example.com')
    expect(await c.apply(add)).toEqual({})
    expect(fake.org.snapshot().teams).toEqual({ Eng: ['ann@example.com MEMBER'] })
  })

  test("pending invitations: the teams of the user's groups go on the invitation; the membership is then already on its way", async () => {
    const c = connector()
    const team = await linkOf(c, op('group.created', group('Eng')))
    const ann = await linkOf(c, op('user.created', user('ann', { groups: [{ value: 'scim-Eng' }, { value: 'scim-unknown' }] })))
    expect(fake.requests.find((r) => r.operation === 'Invite')!.variables).toMatchObject({ input: { teams: [{ id: team.id, role: 'MEMBER' }] } })
    const member = { resource: user('ann'), link: ann }
    expect(await c.apply(op('group.member_added', group('Eng'), team, member))).toEqual({})
    // Taking it back off cannot be done to an invitation: it waits for the membership to exist.
    await expect(c.apply(op('group.member_removed', group('Eng'), team, member))).rejects.toBeInstanceOf(RetryableError)
    fake.org.acceptInvitation('ann@example.com')
    expect(fake.org.snapshot().teams).toEqual({ Eng: ['ann@example.com MEMBER'] })
    await c.apply(op('group.member_removed', group('Eng'), team, member))
    expect(fake.org.snapshot().teams).toEqual({ Eng: [] })
  })

  test('import listing: members, pending invitations and teams, read page by page', async () => {
    for (let i = 0; i < 230; i++) fake.org.addMember(`m${String(i).padStart(3, '0')}@example.com`)
    const c = connector()
    for (let i = 0; i < 120; i++) await c.apply(op('user.created', user(`inv${i}`)))
    const big = fake.org.addTeamByHand('Everyone')
    for (let i = 0; i < 150; i++) fake.org.addTeamMemberByHand('everyone', `m${String(i).padStart(3, '0')}@example.com`)
    fake.requests.length = 0

    const users = await c.listUsers!()
    expect(users.length).toBe(230 + 120)
    expect(users.filter((u) => u.link.id.startsWith('invitation:')).length).toBe(120)
    expect(users.map((u) => u.emails![0])).not.toContain('admin@acme.test') // the token's owner
    expect(users[0]).toMatchObject({ userName: 'm000@example.com', emails: ['m000@example.com'], link: { data: { email: 'm000@example.com' } } })
    const memberPages = fake.requests.filter((r) => r.operation === 'Members')
    expect(memberPages.map((r) => r.variables.after === null)).toEqual([true, false, false])

    const groups = await c.listGroups!()
    expect(groups).toHaveLength(1)
    expect(groups[0]).toMatchObject({ link: { id: big.id, data: { slug: 'everyone' } }, displayName: 'Everyone' })
    expect(groups[0].memberIds).toHaveLength(150)
    expect(fake.requests.filter((r) => r.operation === 'TeamMembers')).toHaveLength(2)
  })

  test('429: a rate-limited request is a RetryableError carrying retry-after; the next attempt goes through', async () => {
    const c = connector()
    fake.rateLimit(1, 7)
    const limited = await c.apply(op('user.created', user('ann'))).catch((error) => error)
    expect(limited).toBeInstanceOf(RetryableError)
    expect(limited.retryAfterMs).toBe(7_000)
    expect((await linkOf(c, op('user.created', user('ann')))).id).toStartWith('invitation:')
  })

  test('GraphQL errors[] with HTTP 200 are failures, not successes; a rate-limit message among them is retryable', async () => {
    const c = connector()
    fake.failNext('Invite', 'Emails must be from a verified domain')
    const refused = await c.apply(op('user.created', user('ann'))).catch((error) => error)
    expect(refused).toBeInstanceOf(BuildkiteError)
    expect(refused).not.toBeInstanceOf(RetryableError)
    expect(refused.message).toBe('Buildkite refused Invite: Emails must be from a verified domain')
    expect(fake.org.snapshot().invitations).toEqual([])

    fake.failNext('CreateTeam', 'Your organization has exceeded its GraphQL rate limit of 20000 complexity points')
    await expect(c.apply(op('group.created', group('Eng')))).rejects.toBeInstanceOf(RetryableError)

    // A refusal from a resolver (a duplicate name) comes back the same way.
    fake.org.addTeamByHand('Taken')
    const taken = await c.apply(op('group.updated', group('Taken'), await linkOf(c, op('group.created', group('Other'))))).catch((e) => e)
    expect(taken).toBeInstanceOf(BuildkiteError)
    expect(taken.message).toBe('Buildkite refused UpdateTeam: Name has already been taken')
  })

  test('a wrong token or an unknown organization is a clear error', async () => {
    const wrongToken = createBuildkiteConnector({ ...fakeSettings(fake), token: { reveal: () => 'nope' } as never }, { http })
    await expect(wrongToken.apply(op('group.created', group('Eng')))).rejects.toThrow('Buildkite answered 401 to TeamsNamed')
    const wrongOrg = connector({ org: 'other' })
    await expect(wrongOrg.apply(op('user.created', user('ann')))).rejects.toThrow('Buildkite has no organization "other" that this token can see')
  })

  test('checkAccess: the organization and the permissions the connector needs, as doctor lines', async () => {
    const ok = await checkAccess(fakeSettings(fake), { http })
    expect(ok).toMatchObject({ ok: true, organization: { id: fake.org.id, slug: 'acme', name: 'Acme Inc' }, viewer: { email: 'admin@acme.test' }, problems: [] })
    expect(ok.checks[0]).toEqual({ name: 'organization', ok: true, detail: 'Acme Inc (acme) as admin@acme.test' })
    expect(ok.checks.map((c) => c.name)).toContain('organizationInvitationCreate')
    expect(fake.requests.map((r) => r.operation)).toEqual(['Access']) // one query, no mutation

    fake.org.deniedPermissions.add('teamCreate')
    const denied = await buildkiteConnector.checkAccess(fakeSettings(fake), { http })
    expect(denied.ok).toBe(false)
    expect(denied.checks.filter((c) => !c.ok)).toEqual([
      { name: 'teamCreate', ok: false, detail: 'may not create teams: You must be an organization administrator to do this', fix: "make the token's owner an administrator of acme" },
    ])
    expect(denied.problems).toEqual(['teamCreate: may not create teams: You must be an organization administrator to do this'])

    expect((await checkAccess(fakeSettings(fake, { org: 'other' }), { http })).problems).toEqual([
      'organization: the token\'s owner (admin@acme.test) cannot see the organization "other"',
    ])
    const wrongToken = await checkAccess({ ...fakeSettings(fake), token: { reveal: () => 'nope' } as never }, { http })
    expect(wrongToken.checks).toEqual([{ name: 'token', ok: false, detail: expect.stringContaining('Buildkite answered 401'), fix: expect.stringContaining('GraphQL access') }])
    const unreachable = await checkAccess({ ...fakeSettings(fake), graphql_url: 'http://127.0.0.1:1/v1' }, { http })
    expect(unreachable.ok).toBe(false)
    expect(unreachable.problems[0]).toContain('127.0.0.1:1')
  })
})
