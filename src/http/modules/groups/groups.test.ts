import { describe, expect, test } from 'bun:test'
import { GROUP, PATCH_OP, newUser, testApp } from '../../../../test/support/app'

async function setup() {
  const t = testApp()
  const scim = t.client(t.alpha)
  const ann = (await scim.post('/Users', newUser('ann', { displayName: 'Ann Lee' }))).body
  const bob = (await scim.post('/Users', newUser('bob'))).body
  return { ...t, scim, ann, bob }
}

describe('/Groups', () => {
  test('POST creates a group with members, shown with display (the client\'s, else the member\'s name) and $ref', async () => {
    const { scim, ann, bob } = await setup()
    const created = await scim.post('/Groups', { schemas: [GROUP], displayName: 'Engineering', members: [{ value: ann.id }, { value: bob.id, displayName: 'Bobby' }] })
    expect(created.status).toBe(201)
    expect(created.body.meta.resourceType).toBe('Group')
    expect(created.body.members).toEqual([
      { value: ann.id, type: 'User', display: 'Ann Lee', $ref: `http://localhost/scim/v2/alpha/Users/${ann.id}` },
      { value: bob.id, type: 'User', display: 'Bobby', $ref: `http://localhost/scim/v2/alpha/Users/${bob.id}` },
    ])
    // The user's read-only groups attribute reflects the membership.
    const user = (await scim.get(`/Users/${ann.id}`)).body
    expect(user.groups).toEqual([{ value: created.body.id, type: 'direct', display: 'Engineering', $ref: `http://localhost/scim/v2/alpha/Groups/${created.body.id}` }])
  })

  test('a member that is not a resource of the instance is rejected', async () => {
    const { scim, client, beta } = await setup()
    const stranger = (await client(beta).post('/Users', newUser('eve'))).body
    for (const value of ['nope', stranger.id]) {
      const result = await scim.post('/Groups', { schemas: [GROUP], displayName: 'X', members: [{ value }] })
      expect(result.status).toBe(400)
      expect(result.body.scimType).toBe('invalidValue')
    }
    expect((await scim.get('/Groups')).body.totalResults).toBe(0)
  })

  test('PATCH adds and removes members the ways IdPs send them', async () => {
    const { scim, ann, bob } = await setup()
    const group = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Ops' })).body
    const patch = (ops: unknown[]) => scim.patch(`/Groups/${group.id}?attributes=displayName,members,meta`, { schemas: [PATCH_OP], Operations: ops })
    const memberIds = (result: { body: { members: { value: string }[] } }) => result.body.members.map((m) => m.value)

    let result = await patch([{ op: 'Add', path: 'members', value: [{ value: ann.id }, { value: bob.id }] }])
    expect(result.status).toBe(200)
    expect(memberIds(result)).toEqual([ann.id, bob.id])
    // Adding an existing member changes nothing.
    result = await patch([{ op: 'add', path: 'members', value: [{ value: ann.id }] }])
    expect(result.body.meta.version).toBe('W/"2"')

    result = await patch([{ op: 'Remove', path: 'members', value: [{ value: ann.id }] }]) // Entra
    expect(memberIds(result)).toEqual([bob.id])
    result = await patch([{ op: 'remove', path: `members[value eq "${bob.id}"]` }])
    expect(memberIds(result)).toEqual([])
    result = await patch([{ op: 'replace', value: { id: group.id, displayName: 'Operations' } }]) // Okta group push
    expect(result.body.displayName).toBe('Operations')
    result = await patch([{ op: 'replace', path: 'members', value: [{ value: bob.id }] }])
    expect(memberIds(result)).toEqual([bob.id])

    const unknown = await patch([{ op: 'add', path: 'members', value: [{ value: 'nope' }] }])
    expect(unknown.status).toBe(400)
    expect(memberIds(await scim.get(`/Groups/${group.id}`))).toEqual([bob.id])
  })

  test('filter by displayName, case-insensitively; deleting a user removes its memberships', async () => {
    const { scim, ann } = await setup()
    const group = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Sales', members: [{ value: ann.id }] })).body
    await scim.post('/Groups', { schemas: [GROUP], displayName: 'Support' })
    const found = (await scim.get(`/Groups?filter=${encodeURIComponent('displayName eq "sales"')}`)).body
    expect(found.totalResults).toBe(1)
    expect(found.Resources[0].id).toBe(group.id)
    expect((await scim.delete(`/Users/${ann.id}`)).status).toBe(204)
    expect((await scim.get(`/Groups/${group.id}`)).body.members).toEqual([])
  })

  test('PUT replaces name and members; DELETE removes the group', async () => {
    const { scim, ann, bob } = await setup()
    const group = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'A', members: [{ value: ann.id }] })).body
    const replaced = await scim.put(`/Groups/${group.id}`, { schemas: [GROUP], displayName: 'B', members: [{ value: bob.id }] })
    expect(replaced.body.displayName).toBe('B')
    expect(replaced.body.members.map((m: { value: string }) => m.value)).toEqual([bob.id])
    expect((await scim.delete(`/Groups/${group.id}`)).status).toBe(204)
    expect((await scim.get(`/Groups/${group.id}`)).status).toBe(404)
    expect((await scim.get(`/Users/${bob.id}`)).body.groups).toBeUndefined()
  })
})
