import { describe, expect, test } from 'bun:test'
import type { SyncOperation } from '../../src/connector/types'
import { eventBody, webhookEvent } from './event'

const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'u-1',
  userName: 'ann@example.com',
  name: { givenName: 'Ann', familyName: 'Lee' },
  emails: [{ value: 'ann@example.com', type: 'work', primary: true }],
  active: true,
  meta: { resourceType: 'User', version: 'W/"1"' },
}
const group = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g-1', displayName: 'Admins', members: [{ value: 'u-1' }] }
const TIME = '2026-01-31T10:00:00.000Z'

const body = (operation: SyncOperation) => JSON.parse(eventBody(webhookEvent(operation, 'hooks')))

describe('webhook event body', () => {
  test.each(['user.created', 'user.updated', 'user.deactivated', 'user.reactivated', 'user.deleted'] as const)(
    '%s carries the user as stored',
    (type) => {
      const operation = { id: 'op-1', time: TIME, type, resource: user, link: { id: 'u-1' } } as SyncOperation
      expect(body(operation)).toEqual({ id: 'op-1', type, instance: 'hooks', time: TIME, resource: user })
    },
  )

  test.each(['group.created', 'group.updated', 'group.deleted'] as const)('%s carries the group as stored', (type) => {
    const operation = { id: 'op-2', time: TIME, type, resource: group } as SyncOperation
    expect(body(operation)).toEqual({ id: 'op-2', type, instance: 'hooks', time: TIME, resource: group })
  })

  test.each(['group.member_added', 'group.member_removed'] as const)('%s carries the group id and name and the member id only', (type) => {
    // What the engine hands connectors: more than the event promises.
    const operation = {
      id: 'op-3',
      time: TIME,
      type,
      resource: { id: 'g-1', displayName: 'Admins' },
      link: { id: 'g-1' },
      member: { value: 'u-1', link: { id: 'u-1' }, resource: user },
    } as SyncOperation
    expect(body(operation)).toEqual({
      id: 'op-3',
      type,
      instance: 'hooks',
      time: TIME,
      resource: { id: 'g-1', displayName: 'Admins' },
      member: { value: 'u-1' },
    })
  })

  test('the envelope comes in a fixed order and carries no link data; only a receiver id that differs from the SCIM id', () => {
    const own = eventBody(webhookEvent({ id: 'op-1', time: TIME, type: 'user.updated', resource: user, link: { id: user.id, data: { a: 1 } } }, 'hooks'))
    expect(Object.keys(JSON.parse(own))).toEqual(['id', 'type', 'instance', 'time', 'resource'])
    expect(own).not.toContain('"link"')
    const imported = eventBody(webhookEvent({ id: 'op-1', time: TIME, type: 'user.updated', resource: user, link: { id: 'r-1', data: { a: 1 } } }, 'hooks'))
    expect(Object.keys(JSON.parse(imported))).toEqual(['id', 'type', 'instance', 'time', 'resource', 'downstreamId'])
    expect(JSON.parse(imported).downstreamId).toBe('r-1')
    expect(imported).not.toContain('"link"')
  })

  test('the body depends on the content only: a replay from the journal gives the same bytes', () => {
    const operation: SyncOperation = { id: 'op-1', time: TIME, type: 'user.updated', resource: user }
    const first = eventBody(webhookEvent(operation, 'hooks'))
    // The journal stores operations as JSON; and another scimify version may build the resource in another key order.
    const replayed = JSON.parse(JSON.stringify(operation)) as SyncOperation
    const reordered = { ...operation, resource: Object.fromEntries(Object.entries(user).reverse()) as typeof user }
    expect(eventBody(webhookEvent(replayed, 'hooks'))).toBe(first)
    expect(eventBody(webhookEvent(reordered, 'hooks'))).toBe(first)
  })
})
