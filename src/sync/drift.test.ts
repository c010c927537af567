import { describe, expect, test } from 'bun:test'
import { appWithConnector, fakeDownstreamApp } from '../../test/support/fake-app'
import { GROUP, PATCH_OP, newUser } from '../../test/support/app'
import type { InstanceConfig } from '../config/schema'
import { builtInSchemas } from '../scim/schemas/instance'
import { importDownstream } from './import'

function setup(sync: Partial<InstanceConfig['sync']> = {}) {
  const fake = fakeDownstreamApp()
  return { fake, ...appWithConnector(fake.definition, sync) }
}

describe('full reconcile and drift', () => {
  test('a user removed by hand comes back; a member removed by hand is re-added; unmanaged objects are left alone', async () => {
    const { app, scim, fake, settle } = setup()
    const ann = (await scim.post('/Users', newUser('ann'))).body.id
    await scim.post('/Groups', { schemas: [GROUP], displayName: 'Eng', members: [{ value: ann }] })
    await settle()
    const [annDownstream] = [...fake.users.keys()]
    const [groupDownstream] = [...fake.groups.keys()]
    expect(fake.groups.get(groupDownstream!)!.members.has(annDownstream!)).toBe(true)

    // By hand: remove the membership, and add a stranger.
    fake.groups.get(groupDownstream!)!.members.delete(annDownstream!)
    const stranger = fake.addUserByHand({ userName: 'eve', emails: ['eve@example.com'], active: true })
    const report = await app.sync.reconcileFull('alpha')
    expect(report.membership).toEqual([{ id: expect.any(String), extra: [], absent: [ann] }])
    expect(report.unmanaged).toEqual([{ type: 'User', downstreamId: stranger, name: 'eve' }])
    expect(report.repaired).toBe(true)
    await settle()
    expect(fake.groups.get(groupDownstream!)!.members.has(annDownstream!)).toBe(true)
    expect(fake.users.has(stranger)).toBe(true)

    // By hand: delete the user. It is created again and put back in its group.
    fake.users.delete(annDownstream!)
    fake.groups.get(groupDownstream!)!.members.delete(annDownstream!)
    const second = await app.sync.reconcileFull('alpha')
    expect(second.missing).toEqual([{ type: 'User', id: ann, downstreamId: annDownstream }])
    await settle()
    const recreated = [...fake.users].find(([, user]) => user.userName === 'ann')![0]
    expect(recreated).not.toBe(annDownstream)
    expect(fake.groups.get(groupDownstream!)!.members.has(recreated)).toBe(true)
    expect(app.syncRuns.last('alpha')?.report).toMatchObject({ missing: [{ id: ann }] })
  })

  test('with drift: report, nothing is changed; with prune_unmanaged, strangers are removed', async () => {
    const reportOnly = setup({ drift: 'report' })
    const ann = (await reportOnly.scim.post('/Users', newUser('ann'))).body.id
    await reportOnly.settle()
    reportOnly.fake.users.clear()
    const report = await reportOnly.app.sync.reconcileFull('alpha')
    expect(report).toMatchObject({ missing: [{ id: ann }], repaired: false })
    await reportOnly.settle()
    expect(reportOnly.fake.users.size).toBe(0)
    expect(reportOnly.logger.lines.join('')).toContain('drift found')

    const pruning = setup({ prune_unmanaged: true })
    const stranger = pruning.fake.addUserByHand({ userName: 'eve', emails: [], active: true })
    const pruned = await pruning.app.sync.reconcileFull('alpha')
    expect(pruned.pruned).toBe(1)
    expect(pruning.fake.users.has(stranger)).toBe(false)
  })
})

describe('import', () => {
  test('existing users and groups are linked or created, and the IdP then finds them: no duplicates downstream', async () => {
    const { app, scim, fake, settle } = setup()
    const existing = (await scim.post('/Users', newUser('bob', { emails: [{ value: 'bob@example.com' }] }))).body.id
    const bobDownstream = fake.addUserByHand({ userName: 'bob-gh', emails: ['bob@example.com'], active: true })
    const annDownstream = fake.addUserByHand({ userName: 'ann-gh', emails: ['ann@example.com'], active: true })
    fake.addGroupByHand('Eng', [annDownstream, bobDownstream])
    const importAll = () =>
      importDownstream({
        instance: 'alpha',
        connector: fake.definition.create(),
        schemas: builtInSchemas,
        baseUrl: 'http://localhost/scim/v2/alpha',
        match: 'email',
        resources: app.store,
        sync: app.syncState,
      })

    const report = await importAll()
    expect(report).toEqual({ users: { linked: 1, created: 1, alreadyLinked: 0 }, groups: { linked: 0, created: 1, alreadyLinked: 0 }, skipped: [] })
    await settle()
    expect(fake.applied).toEqual([])

    // Entra's first sync: it looks ann up by userName and finds her.
    const found = (await scim.get(`/Users?filter=${encodeURIComponent('userName eq "ann@example.com"')}`)).body
    expect(found.totalResults).toBe(1)
    const ann = found.Resources[0].id
    expect((await scim.get(`/Groups?filter=${encodeURIComponent('displayName eq "Eng"')}`)).body.Resources[0].members.map((m: { value: string }) => m.value).sort()).toEqual([ann, existing].sort())
    await scim.patch(`/Users/${ann}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] })
    await settle()
    expect(fake.applied.map((op) => op.type)).toEqual(['user.updated'])
    expect(fake.users.size).toBe(2)

    const again = await importAll()
    expect(again.users).toEqual({ linked: 0, created: 0, alreadyLinked: 2 })
  })
})
