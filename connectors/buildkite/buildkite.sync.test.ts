/**
 * The Buildkite connector under the sync engine: SCIM writes go in through
 * the app (as an IdP sends them), the engine runs with a fast backoff, and
 * the fake Buildkite GraphQL API (validating every document against the
 * official schema) holds what comes out.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { connectors } from '..'
import type { App } from '../../src/app'
import { ConnectorRegistry } from '../../src/connector/registry'
import { importDownstream } from '../../src/sync/import'
import { instanceRuntimes } from '../../src/sync/runtime'
import { GROUP, newUser, PATCH_OP } from '../../test/support/app'
import { buildkiteSkipReason } from '../../test/buildkite/schema'
import { startFakeBuildkite, type FakeBuildkite } from '../../test/buildkite/server'
import { buildkiteApp } from '../../test/buildkite/setup'
import { BUILDKITE_USER_SCHEMA } from '.'

if (buildkiteSkipReason) console.log(buildkiteSkipReason)

const running: { app: App; fake: FakeBuildkite }[] = []
afterEach(async () => {
  for (const { app, fake } of running.splice(0)) {
    await app.close()
    expect(fake.rejected).toEqual([])
    await fake.stop()
  }
})

function setup(extra: Record<string, unknown> = {}) {
  const fake = startFakeBuildkite()
  const s = buildkiteApp(fake, extra)
  running.push({ app: s.app, fake })
  const post = async (path: string, body: unknown) => {
    const response = await s.scim.post(path, body)
    expect(response.status).toBe(201)
    return response.body as { id: string } & Record<string, any>
  }
  const patch = async (path: string, Operations: unknown[]) => {
    const response = await s.scim.patch(path, { schemas: [PATCH_OP], Operations })
    expect(response.status).toBeLessThan(300)
  }
  const addMembers = (groupId: string, userIds: string[]) =>
    patch(`/Groups/${groupId}`, [{ op: 'Add', path: 'members', value: userIds.map((value) => ({ value })) }])
  return { ...s, fake, post, patch, addMembers }
}

/** What the organization should look like for what the IdP wants: every active user a member, in its groups' teams. */
async function desiredState(s: ReturnType<typeof setup>) {
  const users = (await s.scim.get('/Users?count=1000')).body.Resources as Record<string, any>[]
  const groups = (await s.scim.get('/Groups?count=1000')).body.Resources as Record<string, any>[]
  const active = new Map(users.filter((u) => u.active !== false).map((u) => [u.id, u]))
  const role = (u: Record<string, any>) => (u[BUILDKITE_USER_SCHEMA]?.role === 'admin' ? 'ADMIN' : 'MEMBER')
  return {
    members: [...active.values()].map((u) => `${u.emails[0].value} ${role(u)}`).sort(),
    invitations: [] as string[],
    teams: Object.fromEntries(
      groups
        .sort((a, b) => a.displayName.localeCompare(b.displayName))
        .map((g) => [
          g.displayName,
          (g.members ?? [])
            .filter((m: { value: string }) => active.has(m.value))
            .map((m: { value: string }) => `${active.get(m.value)!.emails[0].value} MEMBER`)
            .sort(),
        ]),
    ),
  }
}

describe.skipIf(Boolean(buildkiteSkipReason))('buildkite connector under the sync engine', () => {
  test('the role extension is advertised in /Schemas and /ResourceTypes, and takes effect', async () => {
    const s = setup()
    const schema = await s.scim.get(`/Schemas/${BUILDKITE_USER_SCHEMA}`)
    expect(schema.status).toBe(200)
    expect(schema.body.attributes.map((a: { name: string }) => a.name)).toEqual(['role'])
    const userType = await s.scim.get('/ResourceTypes/User')
    expect(userType.body.schemaExtensions).toContainEqual({ schema: BUILDKITE_USER_SCHEMA, required: false })

    await s.post('/Users', newUser('ann', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', BUILDKITE_USER_SCHEMA], [BUILDKITE_USER_SCHEMA]: { role: 'admin' } }))
    await s.settle()
    expect(s.fake.org.snapshot().invitations).toEqual(['ann@example.com ADMIN'])
    // A change the connector does not write (the title) causes no call.
    const before = s.fake.requests.length
    const ann = (await s.scim.get('/Users?filter=userName%20eq%20%22ann%22')).body.Resources[0]
    await s.patch(`/Users/${ann.id}`, [{ op: 'replace', path: 'title', value: 'Engineer' }])
    await s.settle()
    expect(s.fake.requests.length).toBe(before)
  })

  test('import: existing members, pending invitations and teams are linked; the IdP then updates them instead of inviting', async () => {
    const s = setup()
    const { fake } = s
    fake.org.addMember('ann@example.com')
    fake.org.addMember('bob@example.com', 'ADMIN')
    fake.org.invite('carol@example.com', 'MEMBER', null, [])
    fake.org.addTeamByHand('Eng')
    fake.org.addTeamMemberByHand('eng', 'ann@example.com')
    // As `scimify import` does it: the instance's runtime from the config, beside the app.
    const alpha = instanceRuntimes(s.config, new ConnectorRegistry(connectors)).get('alpha')!
    const report = await importDownstream({
      instance: 'alpha',
      connector: alpha.connector!,
      schemas: s.app.schemasOf('alpha'),
      baseUrl: alpha.baseUrl,
      match: 'email',
      attributes: alpha.capabilities.attributes,
      resources: s.app.store,
      sync: s.app.syncState,
    })
    expect(report).toEqual({ users: { linked: 0, created: 3, alreadyLinked: 0 }, groups: { linked: 0, created: 1, alreadyLinked: 0 }, skipped: [] })
    const carol = (await s.scim.get('/Users?filter=userName%20eq%20%22carol@example.com%22')).body.Resources[0]
    expect(s.link('User', carol.id)?.downstream?.id).toStartWith('invitation:')
    const eng = (await s.scim.get('/Groups')).body.Resources[0]
    expect(eng.members.map((m: { display?: string; value: string }) => m.value)).toHaveLength(1)

    // The IdP finds ann by userName and makes her an admin: a role change, no invitation.
    const ann = (await s.scim.get('/Users?filter=userName%20eq%20%22ann@example.com%22')).body.Resources[0]
    await s.patch(`/Users/${ann.id}`, [{ op: 'Add', path: `${BUILDKITE_USER_SCHEMA}:role`, value: 'admin' }])
    await s.settle()
    expect(fake.operations()).not.toContain('Invite')
    expect(fake.org.snapshot()).toEqual({
      members: ['ann@example.com ADMIN', 'bob@example.com ADMIN'],
      invitations: ['carol@example.com MEMBER'],
      teams: { Eng: ['ann@example.com MEMBER'] },
    })
  })

  test('drift repair: a team member removed by hand is put back by the full reconcile', async () => {
    const s = setup()
    const ann = await s.post('/Users', newUser('ann'))
    const bob = await s.post('/Users', newUser('bob'))
    const eng = await s.post('/Groups', { schemas: [GROUP], displayName: 'Eng', members: [{ value: ann.id }, { value: bob.id }] })
    await s.settle()
    // Invited, not yet accepted: the memberships wait, pending (not failed), with the reason.
    expect(s.fake.org.snapshot()).toMatchObject({ invitations: ['ann@example.com MEMBER', 'bob@example.com MEMBER'], teams: { Eng: [] } })
    expect(s.link('Group', eng.id)).toMatchObject({ status: 'pending', lastError: expect.stringContaining('has not accepted the Buildkite invitation yet') })

    s.fake.org.acceptInvitation('ann@example.com')
    s.fake.org.acceptInvitation('bob@example.com')
    s.app.syncState.retryNow('alpha') // or wait for invitation_recheck
    await s.settle()
    expect(s.fake.org.snapshot().teams).toEqual({ Eng: ['ann@example.com MEMBER', 'bob@example.com MEMBER'] })
    expect(s.link('Group', eng.id)?.status).toBe('synced')

    // The first full reconcile after acceptance finds the invitations gone and links the users to their members.
    const relink = await s.app.sync.reconcileFull('alpha')
    expect(relink.missing.map((m) => m.id).sort()).toEqual([ann.id, bob.id].sort())
    await s.settle()
    expect(s.link('User', ann.id)?.downstream?.id).toBe(s.fake.org.memberByEmail('ann@example.com')!.id)
    expect(s.fake.org.snapshot().teams).toEqual({ Eng: ['ann@example.com MEMBER', 'bob@example.com MEMBER'] })

    s.fake.org.removeTeamMemberByHand('eng', 'bob@example.com')
    const report = await s.app.sync.reconcileFull('alpha')
    expect(report).toMatchObject({ missing: [], membership: [{ id: eng.id, extra: [], absent: [bob.id] }], repaired: true })
    await s.settle()
    expect(s.fake.org.snapshot().teams).toEqual({ Eng: ['ann@example.com MEMBER', 'bob@example.com MEMBER'] })
    expect((await s.app.sync.reconcileFull('alpha')).membership).toEqual([])
  })

  test('an Entra-style run: 50 users, 5 groups, memberships, invitations accepted, 10 deactivated; Buildkite ends as the IdP wants it', async () => {
    const s = setup({ invitation_recheck: '1h' })
    s.fake.rateLimit(3, 0) // a burst of 429s on the way: retried by the engine
    const users: { id: string }[] = []
    for (let i = 0; i < 50; i++) {
      const name = `user${String(i).padStart(2, '0')}`
      const extension = i < 5 ? { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', BUILDKITE_USER_SCHEMA], [BUILDKITE_USER_SCHEMA]: { role: 'admin' } } : {}
      users.push(await s.post('/Users', newUser(name, { externalId: `entra-${i}`, ...extension })))
    }
    const groups: { id: string }[] = []
    for (const name of ['Platform', 'Frontend', 'Backend', 'Data', 'Security']) groups.push(await s.post('/Groups', { schemas: [GROUP], displayName: name, members: [] }))
    // Entra adds members in PATCHes after creating the group; groups overlap.
    for (let g = 0; g < 5; g++) await s.addMembers(groups[g].id, users.slice(g * 10, g * 10 + 15).map((u) => u.id))
    await s.settle()

    expect(s.fake.org.snapshot().invitations).toHaveLength(50)
    expect(Object.keys(s.fake.org.snapshot().teams)).toEqual(['Backend', 'Data', 'Frontend', 'Platform', 'Security'])
    expect(s.app.syncState.counts('alpha').failed).toBe(0)

    for (let i = 0; i < 50; i++) s.fake.org.acceptInvitation(`user${String(i).padStart(2, '0')}@example.com`)
    s.app.syncState.retryNow('alpha')
    await s.settle()
    expect(s.fake.org.snapshot()).toEqual(await desiredState(s))

    // Deactivate 10 (Entra's "False" string), make one an admin, rename a group and drop two of its members.
    for (const user of users.slice(40, 50)) await s.patch(`/Users/${user.id}`, [{ op: 'Replace', path: 'active', value: 'False' }])
    await s.patch(`/Users/${users[12].id}`, [{ op: 'Add', path: `${BUILDKITE_USER_SCHEMA}:role`, value: 'admin' }])
    await s.patch(`/Groups/${groups[1].id}`, [
      { op: 'Replace', path: 'displayName', value: 'Web' },
      { op: 'Remove', path: `members[value eq "${users[10].id}"]` },
      { op: 'Remove', path: `members[value eq "${users[11].id}"]` },
    ])
    await s.settle()

    const desired = await desiredState(s)
    expect(desired.members).toHaveLength(40)
    expect(desired.members).toContain('user12@example.com ADMIN')
    expect(desired.teams.Security).toHaveLength(0) // users 40–49 only, all deactivated
    expect(s.fake.org.snapshot()).toEqual(desired)
    expect(s.app.syncState.queueLength('alpha')).toBe(0)
    expect(s.app.syncState.counts('alpha')).toEqual({ pending: 0, failed: 0 })
  })
})
