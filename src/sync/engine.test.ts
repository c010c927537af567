import { describe, expect, test } from 'bun:test'
import * as v from 'valibot'
import { RetryableError } from '../connector/errors'
import type { ConnectorDefinition, SyncOperation } from '../connector/types'
import { GROUP, PATCH_OP, newUser } from '../../test/support/app'
import { appWithConnector } from '../../test/support/fake-app'

/** An app double that records operations and fails the ones `failWhen` picks. */
function fakeApp() {
  const applied: SyncOperation[] = []
  const attempts: SyncOperation[] = []
  const control = { failWhen: (_op: SyncOperation) => false as boolean }
  const definition = {
    type: 'fake',
    description: 'records operations',
    settings: v.strictObject({}),
    capabilities: { users: true, groups: true, import: false },
    create: () => ({
      async apply(operation: SyncOperation) {
        attempts.push(operation)
        if (control.failWhen(operation)) throw new RetryableError('the app is down')
        applied.push(operation)
        return operation.type.endsWith('.created') ? { link: { id: `d-${operation.resource.id}` } } : {}
      },
    }),
  } satisfies ConnectorDefinition<object>
  return { definition, applied, attempts, control }
}

function setup() {
  const fake = fakeApp()
  const { app, scim, settle } = appWithConnector(fake.definition)
  const types = () => fake.applied.map((op) => `${op.type} ${op.resource.id}${'member' in op ? ` ${op.member.value}` : ''}`)
  return { app, scim, fake, settle, types }
}

describe('sync engine', () => {
  test('a created user reaches the app once; a no-op PATCH causes no call', async () => {
    const { scim, settle, fake, app } = setup()
    const { id } = (await scim.post('/Users', newUser('ann', { title: 'Engineer' }))).body
    await settle()
    expect(fake.applied.map((op) => op.type)).toEqual(['user.created'])
    expect(app.syncState.link({ instance: 'alpha', type: 'User', id })).toMatchObject({ status: 'synced', downstream: { id: `d-${id}` } })

    await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'title', value: 'Engineer' }] })
    await settle()
    expect(fake.attempts).toHaveLength(1)
  })

  test('rapid changes coalesce into one update with the final state', async () => {
    const { scim, settle, fake } = setup()
    const { id } = (await scim.post('/Users', newUser('ann'))).body
    await settle()
    for (const title of ['A', 'B', 'C']) await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: title }] })
    await settle()
    expect(fake.applied.map((op) => op.type)).toEqual(['user.created', 'user.updated'])
    expect(fake.applied[1]!.resource.title).toBe('C')
  })

  test('a failed operation is redelivered with the same id and payload, before any later change', async () => {
    const { scim, settle, fake, app } = setup()
    fake.control.failWhen = (op) => op.type === 'user.created'
    const { id } = (await scim.post('/Users', newUser('ann', { title: 'First' }))).body
    await app.sync.runDue('alpha')
    await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Second' }] })
    fake.control.failWhen = () => false
    await settle()
    expect(fake.applied.map((op) => op.type)).toEqual(['user.created', 'user.updated'])
    expect(fake.applied[0]!.id).toBe(fake.attempts[0]!.id)
    expect(fake.applied[0]!.resource.title).toBe('First')
    expect(fake.applied[1]!.resource.title).toBe('Second')
  })

  test('a resource that keeps failing shows as failed; the others keep flowing; it recovers', async () => {
    const { scim, settle, fake, app } = setup()
    const bad = (await scim.post('/Users', newUser('bad'))).body.id
    fake.control.failWhen = (op) => op.resource.id === bad
    await scim.post('/Users', newUser('good'))
    for (let i = 0; i < 100 && app.syncState.link({ instance: 'alpha', type: 'User', id: bad })?.status !== 'failed'; i++) {
      await app.sync.runDue('alpha')
      await Bun.sleep(3)
    }
    expect(app.syncState.link({ instance: 'alpha', type: 'User', id: bad })).toMatchObject({ status: 'failed', lastError: 'the app is down' })
    expect(fake.applied.map((op) => op.resource.userName)).toEqual(['good'])
    fake.control.failWhen = () => false
    app.syncState.retryNow('alpha', bad)
    await settle()
    expect(app.syncState.link({ instance: 'alpha', type: 'User', id: bad })?.status).toBe('synced')
  })

  test('a member is added after its user is downstream; deleting the user removes it downstream', async () => {
    const { scim, settle, fake, types, app } = setup()
    fake.control.failWhen = (op) => op.type === 'user.created'
    const ann = (await scim.post('/Users', newUser('ann'))).body.id
    const group = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Eng', members: [{ value: ann }] })).body.id
    for (let i = 0; i < 5; i++) {
      await app.sync.runDue('alpha')
      await Bun.sleep(2)
    }
    expect(types()).toEqual([`group.created ${group}`])
    fake.control.failWhen = () => false
    await settle()
    expect(types()).toEqual([`group.created ${group}`, `user.created ${ann}`, `group.member_added ${group} ${ann}`])

    await scim.delete(`/Users/${ann}`)
    await settle()
    expect(types().slice(3).sort()).toEqual([`group.member_removed ${group} ${ann}`, `user.deleted ${ann}`].sort())
  })

  test('a deactivation never overtakes the create it follows', async () => {
    const { scim, settle, fake, app } = setup()
    fake.control.failWhen = (op) => op.type === 'user.created' && fake.attempts.length < 3
    const { id } = (await scim.post('/Users', newUser('ann'))).body
    await app.sync.runDue('alpha') // the create is planned and fails
    await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] })
    await settle()
    expect(fake.applied.map((op) => op.type)).toEqual(['user.created', 'user.deactivated'])
  })
})
