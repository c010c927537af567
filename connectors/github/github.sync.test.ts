/**
 * The github connector under the sync engine, driven through the SCIM API as
 * an IdP would, against the fake GitHub (which validates every request and
 * answer by GitHub's description).
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { importDownstream } from '../../src/sync/import'
import { GROUP, PATCH_OP, USER } from '../../test/support/app'
import { secondaryRateLimit, startFakeGithub, type FakeGithub } from '../../test/github/fake-github'
import { connectorFor, githubApp } from '../../test/github/github-app'
import { GITHUB_USER_SCHEMA, githubConnector } from '.'

let github: FakeGithub | undefined
const closing: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closing.splice(0)) await close()
  github?.stop()
})

async function setup() {
  github = await startFakeGithub()
  const s = githubApp(github)
  closing.push(() => s.app.close())
  return { github, ...s }
}

/** An Entra-shaped user: UPN as userName, a primary work email, the GitHub extension when mapped. */
function entraUser(name: string, github?: { login?: string; role?: string }) {
  return {
    schemas: [USER, ...(github ? [GITHUB_USER_SCHEMA] : [])],
    externalId: `ext-${name}`,
    userName: `${name}@corp.example.com`,
    active: true,
    displayName: name,
    emails: [{ primary: true, type: 'work', value: `${name}@corp.example.com` }],
    ...(github ? { [GITHUB_USER_SCHEMA]: github } : {}),
  }
}

describe('github connector: a full Entra-style run', () => {
  test('50 users, 5 groups, invitations accepted, 10 deactivated: GitHub ends as the IdP wants it', async () => {
    const s = await setup()
    const ids: string[] = []
    const loginOf = new Map<string, string>()
    for (let i = 0; i < 50; i++) {
      const name = `user${String(i).padStart(2, '0')}`
      const login = `gh-${name}`
      // Half are mapped to their login by the IdP; the others are invited by an email GitHub ties to their account.
      s.github.state.addAccount(login, i % 2 === 0 ? [] : [`${name}@corp.example.com`])
      const body = i % 2 === 0 ? entraUser(name, { login, ...(i < 4 ? { role: 'admin' } : {}) }) : entraUser(name)
      const created = await s.scim.post('/Users', body)
      expect(created.status).toBe(201)
      ids.push(created.body.id)
      loginOf.set(created.body.id, login)
    }
    const groups: { id: string; name: string; members: string[] }[] = []
    for (let g = 0; g < 5; g++) {
      const name = `Team ${g}`
      const created = await s.scim.post('/Groups', { schemas: [GROUP], displayName: name, externalId: `grp-${g}` })
      expect(created.status).toBe(201)
      const members = ids.filter((_, i) => i % 5 === g || i % 7 === g)
      const patched = await s.scim.patch(`/Groups/${created.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Add', path: 'members', value: members.map((value) => ({ value })) }],
      })
      expect(patched.status).toBe(204)
      groups.push({ id: created.body.id, name, members })
    }

    // Everyone is invited once and the teams exist; memberships wait for acceptance.
    await s.syncUntil(() => s.github.state.invitationsSent === 50 && s.github.state.teams.size === 5)
    expect(s.github.calls('orgs/create-invitation')).toHaveLength(50)
    expect(s.github.state.members.size).toBe(0)
    s.github.state.acceptAll()
    await s.settle()

    const deactivated = ids.slice(0, 50).filter((_, i) => i % 5 === 1).slice(0, 10)
    expect(deactivated).toHaveLength(10)
    for (const id of deactivated) {
      const response = await s.scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })
      expect(response.status).toBe(204)
    }
    await s.settle()

    const active = ids.filter((id) => !deactivated.includes(id))
    const logins = (members: string[]) => members.filter((id) => active.includes(id)).map((id) => loginOf.get(id)!).sort()
    expect(s.github.state.snapshot()).toEqual({
      members: logins(ids),
      teams: Object.fromEntries(groups.map((group) => [group.name, logins(group.members)])),
    })
    expect(s.github.state.invitations.size).toBe(0)
    expect([...s.github.state.members].filter(([, role]) => role === 'admin').map(([login]) => login).sort()).toEqual(['gh-user00', 'gh-user02'])
    // One invitation per user, and every user is linked by login.
    expect(s.github.state.invitationsSent).toBe(50)
    for (const id of active) expect(s.link('User', id)?.downstream?.id).toBe(loginOf.get(id))
    expect(s.lastErrors()).toEqual([])
    s.github.assertClean()
  })
})

describe('github connector under the engine', () => {
  test('the GitHub extension (login, role) is advertised in /Schemas and /ResourceTypes', async () => {
    const s = await setup()
    const schema = await s.scim.get(`/Schemas/${GITHUB_USER_SCHEMA}`)
    expect(schema.status).toBe(200)
    expect(schema.body.attributes.map((a: { name: string; canonicalValues?: string[] }) => [a.name, a.canonicalValues])).toEqual([
      ['login', undefined],
      ['role', ['member', 'admin']],
    ])
    const userType = await s.scim.get('/ResourceTypes/User')
    expect(userType.body.schemaExtensions).toContainEqual({ schema: GITHUB_USER_SCHEMA, required: false })
  })

  test('a secondary rate limit (403, retry-after: 1) is waited out by the engine, then the invitation goes out once', async () => {
    const s = await setup()
    s.github.interpose({ when: (request) => request.operationId === 'orgs/create-invitation', respond: secondaryRateLimit(1) })
    const ann = await s.scim.post('/Users', entraUser('ann'))
    await s.syncUntil(() => s.link('User', ann.body.id)?.lastError != null)
    expect(s.link('User', ann.body.id)?.lastError).toContain('GitHub secondary rate limit reached (403)')
    await s.settle()

    const posts = s.github.calls('orgs/create-invitation')
    expect(posts.map((post) => post.status)).toEqual([403, 201])
    expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(990)
    expect(s.github.state.invitations.size).toBe(1)
    expect(s.link('User', ann.body.id)).toMatchObject({ status: 'synced', lastError: null })
    s.github.assertClean()
  })

  test('the daily invitation cap is reported on each user it holds back, and not hammered', async () => {
    const s = await setup()
    s.github.state.invitationCap = 1
    const users = [await s.scim.post('/Users', entraUser('ann')), await s.scim.post('/Users', entraUser('bob')), await s.scim.post('/Users', entraUser('cy'))]
    const held = () => users.filter((user) => s.link('User', user.body.id)?.lastError?.includes('Over invitation rate limit'))
    await s.syncUntil(() => held().length === 2)
    for (let i = 0; i < 10; i++) await s.app.sync.runDue('alpha')
    expect(s.github.calls('orgs/create-invitation').map((call) => call.status).sort()).toEqual([201, 422, 422])
    expect(held()[0] && s.link('User', held()[0].body.id)?.lastError).toContain('scimify tries again in 24 hours')
    s.github.assertClean()
  })

  test('import links the existing members (paged) and teams, so the first sync sends nothing', async () => {
    const s = await setup()
    for (let i = 0; i < 120; i++) s.github.state.addMember(`member-${String(i).padStart(3, '0')}`)
    s.github.state.createTeam('Eng', { members: ['member-000', 'member-001', 'member-002'] })
    s.github.state.createTeam('Ops', { members: ['member-003'] })
    const invited = s.github.state.createInvitation({ email: 'new@example.com' }, 'direct_member')
    const existing = await s.scim.post('/Users', { schemas: [USER], userName: 'member-001', emails: [{ value: 'm1@corp.example.com', primary: true }] })

    const report = await importDownstream({
      instance: 'alpha',
      connector: connectorFor(s.github),
      schemas: s.app.schemasOf('alpha'),
      baseUrl: 'http://localhost/scim/v2/alpha',
      match: 'userName',
      attributes: githubConnector.capabilities.attributes,
      resources: s.app.store,
      sync: s.app.syncState,
    })
    expect(report).toEqual({
      users: { linked: 1, created: 120, alreadyLinked: 0 },
      groups: { linked: 0, created: 2, alreadyLinked: 0 },
      skipped: [],
    })
    expect(s.link('User', existing.body.id)?.downstream).toEqual({ id: 'member-001', data: { login: 'member-001' } })
    const pending = s.app.syncState.links('alpha', 'User').find((link) => link.downstream?.id === `invitation:${invited.id}`)
    expect(pending).toBeDefined()
    await s.settle()
    const writes = s.github.requests.filter((request) => request.method !== 'GET')
    expect(writes).toEqual([])

    // The IdP's changes go to the linked objects: a new member of the imported team.
    const eng = (await s.scim.get('/Groups?filter=displayName%20eq%20%22Eng%22')).body.Resources[0]
    const member = (await s.scim.get('/Users?filter=userName%20eq%20%22member-004%22')).body.Resources[0]
    await s.scim.patch(`/Groups/${eng.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: member.id }] }] })
    await s.settle()
    expect(s.github.state.snapshot().teams.Eng).toEqual(['member-000', 'member-001', 'member-002', 'member-004'])
    const drift = await s.reconcileFull()
    expect([drift.missing, drift.membership, drift.unmanaged]).toEqual([[], [], []])
    s.github.assertClean()
  })

  test('drift repair: a member removed by hand is invited again at the full reconcile, and back in the team once accepted', async () => {
    const s = await setup()
    s.github.state.addAccount('ann-gh')
    s.github.state.addAccount('bob-gh')
    const ann = await s.scim.post('/Users', entraUser('ann', { login: 'ann-gh' }))
    const bob = await s.scim.post('/Users', entraUser('bob', { login: 'bob-gh' }))
    await s.scim.post('/Groups', { schemas: [GROUP], displayName: 'Eng', members: [{ value: ann.body.id }, { value: bob.body.id }] })
    await s.syncUntil(() => s.github.state.invitations.size === 2 && s.github.state.teams.size === 1)
    s.github.state.acceptAll()
    await s.settle()
    const desired = { members: ['ann-gh', 'bob-gh'], teams: { Eng: ['ann-gh', 'bob-gh'] } }
    expect(s.github.state.snapshot()).toEqual(desired)

    s.github.state.removeMember('bob-gh')
    const report = await s.reconcileFull()
    expect(report.missing).toEqual([{ type: 'User', id: bob.body.id, downstreamId: 'bob-gh' }])
    expect(report.membership).toEqual([{ id: expect.any(String), extra: [], absent: [bob.body.id] }])
    await s.syncUntil(() => s.github.state.invitations.size === 1)
    expect(s.github.calls('orgs/create-invitation').at(-1)?.body).toEqual({ invitee_id: s.github.state.account('bob-gh')!.id, role: 'direct_member' })
    s.github.state.acceptAll()
    await s.settle()
    expect(s.github.state.snapshot()).toEqual(desired)

    // A team deleted by hand comes back with its members.
    s.github.state.teams.clear()
    expect((await s.reconcileFull()).missing).toEqual([{ type: 'Group', id: expect.any(String), downstreamId: 'eng' }])
    await s.settle()
    expect(s.github.state.snapshot()).toEqual(desired)
    s.github.assertClean()
  })
})
