import { describe, expect, test } from 'bun:test'
import type { ScimResourceJson } from '../connector/types'
import type { SyncLink } from '../store/sync'
import { attributesFingerprint, plan, type Desired, type EffectiveCapabilities, type MemberView, type PlanInput } from './plan'

const ALL: EffectiveCapabilities = { users: true, groups: true }
const user = (active = true, title = 'Engineer'): Desired => ({
  type: 'User',
  resource: { id: 'u1', userName: 'ann', title, active, meta: { version: 'W/"1"' } } as ScimResourceJson,
  active,
})
const group = (memberIds: string[], displayName = 'Eng'): Desired => ({ type: 'Group', resource: { id: 'g1', displayName, members: [] } as ScimResourceJson, memberIds })

function link(applied: SyncLink['applied'], downstream = 'd1'): SyncLink {
  return { instance: 'i', type: 'User', id: 'u1', downstream: { id: downstream }, applied, status: 'synced', lastError: null, syncedAt: null }
}

function run(input: Partial<PlanInput> & Pick<PlanInput, 'desired' | 'type'>) {
  let n = 0
  return plan({ id: input.type === 'User' ? 'u1' : 'g1', link: undefined, capabilities: ALL, newId: () => `op${++n}`, time: 't', ...input })
}
const types = (entries: ReturnType<typeof run>): string[] => entries.map((e) => e.operation.type)

describe('planning users', () => {
  // What the app was last told about a user in this state.
  const applied = (desired: Desired) => ({ attributes: attributesFingerprint(desired.resource), active: (desired as { active: boolean }).active })

  const cases: [string, Partial<PlanInput> & Pick<PlanInput, 'desired' | 'type'>, string[]][] = [
    ['a new active user is created', { type: 'User', desired: user() }, ['user.created']],
    ['a new inactive user stays out of the app', { type: 'User', desired: user(false) }, []],
    ['an unchanged user needs nothing (Entra re-sends)', { type: 'User', desired: user(), link: link(applied(user())) }, []],
    ['meta alone changing needs nothing', { type: 'User', desired: { ...user(), resource: { ...user().resource, meta: { version: 'W/"9"' } } }, link: link(applied(user())) }, []],
    ['a changed attribute is one update', { type: 'User', desired: user(true, 'Boss'), link: link(applied(user())) }, ['user.updated']],
    ['deactivation', { type: 'User', desired: user(false), link: link(applied(user())) }, ['user.deactivated']],
    ['reactivation', { type: 'User', desired: user(true), link: link(applied(user(false))) }, ['user.reactivated']],
    ['a deleted user that is downstream is deleted', { type: 'User', desired: undefined, link: link(applied(user())) }, ['user.deleted']],
    ['a deleted user that never got downstream needs nothing', { type: 'User', desired: undefined }, []],
    ['a connector without users does nothing for users', { type: 'User', desired: user(), capabilities: { users: false, groups: true } }, []],
    [
      'a change to an attribute the connector does not write causes no call',
      { type: 'User', desired: user(true, 'Boss'), link: link({ attributes: attributesFingerprint(user().resource, ['userName']), active: true }), capabilities: { ...ALL, attributes: ['userName'] } },
      [],
    ],
    [
      'a change to one it writes does',
      { type: 'User', desired: { ...user(), resource: { ...user().resource, userName: 'annie' } }, link: link({ attributes: attributesFingerprint(user().resource, ['userName']), active: true }), capabilities: { ...ALL, attributes: ['userName'] } },
      ['user.updated'],
    ],
  ]
  for (const [name, input, expected] of cases) test(name, () => expect(types(run(input))).toEqual(expected))

  test('operations carry the resource, the downstream link and what is applied after them', () => {
    const [entry] = run({ type: 'User', desired: user(false), link: link(applied(user()), 'octocat') })
    expect(entry!.operation).toMatchObject({ id: 'op1', time: 't', type: 'user.deactivated', resource: { id: 'u1' }, link: { id: 'octocat' } })
    expect(entry!.appliedAfter).toMatchObject({ active: false })
    expect(run({ type: 'User', desired: undefined, link: link(applied(user())) })[0]!.appliedAfter).toBeNull()
  })
})

describe('planning groups', () => {
  const downstreamUser = (active = true): MemberView => ({ resource: { id: 'x' } as ScimResourceJson, link: link({ attributes: 'f', active }) })
  const notDownstream: MemberView = { resource: { id: 'x' } as ScimResourceJson }
  const members: Record<string, MemberView> = { u1: downstreamUser(), u2: downstreamUser(), u3: notDownstream, u4: downstreamUser(false) }
  const member = (id: string) => members[id] ?? {}
  const groupLink = (memberIds: string[], attributes?: string): SyncLink => ({
    ...link({ attributes: attributes ?? run({ type: 'Group', desired: group([]), member })[0]!.appliedAfter!.attributes as string, members: memberIds }),
    type: 'Group',
    id: 'g1',
  })

  const cases: [string, Partial<PlanInput> & Pick<PlanInput, 'desired' | 'type'>, string[]][] = [
    ['a new group, then its members that are downstream', { type: 'Group', desired: group(['u1', 'u3']), member }, ['group.created', 'group.member_added']],
    ['members added and removed', { type: 'Group', desired: group(['u2']), link: groupLink(['u1']), member }, ['group.member_removed', 'group.member_added']],
    ['a rename', { type: 'Group', desired: group(['u1'], 'Engineering'), link: groupLink(['u1']), member }, ['group.updated']],
    ['unchanged', { type: 'Group', desired: group(['u1', 'u3']), link: groupLink(['u1']), member }, []],
    ['a deleted group', { type: 'Group', desired: undefined, link: groupLink(['u1']), member }, ['group.deleted']],
    ['a deactivated member stays a member downstream by default', { type: 'Group', desired: group(['u1', 'u4']), link: groupLink(['u1', 'u4']), member }, []],
    [
      'a deactivated member leaves when memberships follow users, and is not re-added',
      { type: 'Group', desired: group(['u1', 'u4']), link: groupLink(['u1', 'u4']), member, capabilities: { ...ALL, membershipsFollowUsers: true } },
      ['group.member_removed'],
    ],
    ['a groups-only connector adds members it cannot provision itself', { type: 'Group', desired: group(['u3']), member, capabilities: { users: false, groups: true } }, ['group.created', 'group.member_added']],
  ]
  for (const [name, input, expected] of cases) test(name, () => expect(types(run(input))).toEqual(expected))

  test('membership operations carry the group summary and the member with its link', () => {
    const entries = run({ type: 'Group', desired: group(['u1']), member })
    expect(entries[1]!.operation).toMatchObject({ type: 'group.member_added', resource: { id: 'g1', displayName: 'Eng' }, member: { value: 'u1', link: { id: 'd1' } } })
    expect(entries.map((e) => e.appliedAfter?.members)).toEqual([[], ['u1']])
  })
})
