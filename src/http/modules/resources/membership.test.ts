/**
 * Group push applied to the memberships it names (`ResourceService.patch` →
 * `ResourceStore.changeMembers`) against the general way (the PATCH engine
 * over all members): random group states and random PATCH bodies, run on two
 * copies of one database, must end in the same members, version and error.
 */
import { Database } from 'bun:sqlite'
import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { ScimError } from '../../../scim/errors'
import { builtInSchemas } from '../../../scim/schemas/instance'
import { GROUP_SCHEMA, PATCH_OP, USER_SCHEMA } from '../../../scim/schemas/urns'
import { openDatabase } from '../../../store/db'
import { ResourceStore } from '../../../store/resources'
import { ResourceService } from './service'

/** A fixed seed in CI; FC_RUNS=<n> soaks with at least n runs and random seeds (FC_SEED to replay one), as the other property tests. */
const SOAK = Number(process.env.FC_RUNS ?? 0) || 0
const fcParams = (ciRuns: number) => ({
  numRuns: Math.max(ciRuns, SOAK),
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : SOAK ? undefined : 20261129,
})

const USERS = 5
const Group = { instance: 'demo', resourceType: builtInSchemas.Group }
const User = { instance: 'demo', resourceType: builtInSchemas.User }

/** A database with USERS users, a group `nested` and the group under test holding `initial` (indexes into the pool). */
async function seeded(initial: { member: number; display?: string }[]) {
  const store = new ResourceStore(openDatabase(':memory:'))
  const service = new ResourceService(store)
  const pool: string[] = []
  for (let i = 0; i < USERS; i++) pool.push(service.create(User, { schemas: [USER_SCHEMA], userName: `user${i}@example.com` }).id)
  pool.push(service.create(Group, { schemas: [GROUP_SCHEMA], displayName: 'nested' }).id)
  const members = initial.map(({ member, display }) => ({ value: pool[member], ...(display ? { display } : {}) }))
  const group = service.create(Group, { schemas: [GROUP_SCHEMA], displayName: 'pushed', members })
  await store.durable()
  return { store, pool, groupId: group.id, bytes: (store as unknown as { db: Database }).db.serialize() }
}

/** What a PATCH did: the error it gave, or the group's members and version after it. */
function outcome(service: ResourceService, store: ResourceStore, groupId: string, body: unknown, ifMatch?: string) {
  try {
    const returned = service.patch(Group, groupId, body, ifMatch, false)
    const after = store.get('demo', 'Group', groupId)!
    const members = (after.members ?? []).map((m) => `${m.value}|${m.display ?? ''}`).sort()
    return { version: after.version, returnedVersion: returned.version, members }
  } catch (error) {
    if (!(error instanceof ScimError)) throw error
    return { status: error.status, scimType: error.scimType }
  }
}

describe('group push by membership', () => {
  test('property: the same members, version and errors as the general PATCH', async () => {
    // The pool (users, then the nested group), now and then an unknown id or the group itself.
    const index = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: USERS }) }, { weight: 1, arbitrary: fc.constantFrom(USERS + 1, USERS + 2) })
    // Mostly the plain forms the shortcut takes, with the odd one it must leave to the engine.
    const rarely = fc.constantFrom(false, false, false, false, false, false, false, false, false, true)
    const display = fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.constantFrom('Ada', 'Bob') }, { weight: 1, arbitrary: fc.constant('') })
    const member = fc.record({ member: index, display, extra: rarely, upper: rarely })
    const bareMember = fc.record({ member: index, display: fc.constant(undefined), extra: rarely, upper: rarely })
    const operation = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('add' as const), op: fc.constantFrom('add', 'Add', 'ADD'), members: fc.array(member, { minLength: 1, maxLength: 2 }), single: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), op: fc.constant('add'), members: fc.constant([]), single: fc.constant(false) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('remove-filter' as const), member: index, noSpace: fc.boolean() }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove-value' as const), op: fc.constantFrom('remove', 'Remove'), members: fc.array(fc.oneof({ weight: 4, arbitrary: bareMember }, { weight: 1, arbitrary: member }), { minLength: 1, maxLength: 2 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove-all' as const) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const) }) },
    )
    const scenario = fc.record({
      initial: fc.uniqueArray(fc.record({ member: fc.integer({ min: 0, max: USERS }), display: fc.option(fc.constantFrom('Ada', 'Old'), { nil: undefined }) }), { selector: (m) => m.member, maxLength: 3 }),
      operations: fc.oneof({ weight: 3, arbitrary: fc.array(operation, { minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(operation, { minLength: 2, maxLength: 3 }) }),
      ifMatch: fc.constantFrom(undefined, undefined, 'current', 'W/"999"'),
      badSchemas: rarely,
    })
    let shortcutTaken = 0
    await fc.assert(
      fc.asyncProperty(scenario, async ({ initial, operations, ifMatch, badSchemas }) => {
        const { store, pool, groupId, bytes } = await seeded(initial)
        const copy = new ResourceStore(Database.deserialize(bytes, { strict: true }))
        const idOf = (i: number) => (i < pool.length ? pool[i]! : i === pool.length ? 'no-such-id' : groupId)
        const item = (m: { member: number; display?: string; extra: boolean; upper: boolean }) => ({
          value: m.upper ? idOf(m.member).toUpperCase() : idOf(m.member),
          ...(m.display !== undefined ? { display: m.display } : {}),
          ...(m.extra ? { type: m.member < USERS ? 'User' : 'Group' } : {}),
        })
        const Operations = operations.map((o) => {
          switch (o.kind) {
            case 'add':
              return { op: o.op, path: 'members', value: o.single && o.members.length === 1 ? item(o.members[0]!) : o.members.map(item) }
            case 'remove-filter':
              return { op: 'Remove', path: `members[value eq${o.noSpace ? '' : ' '}"${idOf(o.member)}"]` }
            case 'remove-value':
              return { op: o.op, path: 'members', value: o.members.map(item) }
            case 'remove-all':
              return { op: 'remove', path: 'members' }
            case 'rename':
              return { op: 'replace', path: 'displayName', value: 'renamed' }
          }
        })
        const body = { schemas: [badSchemas ? 'urn:wrong' : PATCH_OP], Operations }
        const version = store.get('demo', 'Group', groupId)!.version
        const match = ifMatch === 'current' ? `W/"${version}"` : ifMatch
        const changeMembers = store.changeMembers.bind(store)
        store.changeMembers = (...args) => {
          const result = changeMembers(...args)
          if (result !== 'declined') shortcutTaken++
          return result
        }
        const shortcut = outcome(new ResourceService(store), store, groupId, body, match)
        const general = outcome(new ResourceService(copy, false), copy, groupId, body, match)
        expect(shortcut).toEqual(general)
      }),
      fcParams(400),
    )
    // The shortcut must really have been taken in a good share of the runs, or the property says little.
    expect(shortcutTaken).toBeGreaterThan(30)
  }, SOAK ? 3_600_000 : 30_000)

  test('an Entra add then a remove by filter: one membership row each way, the version bumped each time', async () => {
    const { store, pool, groupId } = await seeded([{ member: 0 }])
    const service = new ResourceService(store)
    const add = { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: pool[1] }] }] }
    const added = service.patch(Group, groupId, add, undefined, false)
    expect(added.version).toBe(2)
    expect(store.get('demo', 'User', pool[1]!)!.groups!.map((g) => g.value)).toEqual([groupId])
    const remove = { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: `members[value eq "${pool[0]}"]` }] }
    expect(service.patch(Group, groupId, remove, undefined, true).members!.map((m) => m.value)).toEqual([pool[1]])
    expect(store.get('demo', 'Group', groupId)!.version).toBe(3)
    // A full push adds the present members again: nothing changes, the version stays.
    const again = { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: pool[1] }] }] }
    expect(service.patch(Group, groupId, again, undefined, false).version).toBe(3)
    expect(store.get('demo', 'Group', groupId)!.members!.map((m) => m.value)).toEqual([pool[1]])
  })
})
