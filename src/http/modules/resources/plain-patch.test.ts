/**
 * PATCHes of plain attributes through `ResourceService.patch`, which for a
 * document in the current schema's normal form sets the values without the
 * PATCH engine or normalisation, against the general way: random users and
 * bodies, run on two copies of one database, must store the same document
 * (same JSON text), version and error. A document written under another
 * schema (a config change) or before the mark was kept goes the general way.
 */
import { Database } from 'bun:sqlite'
import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { ScimError } from '../../../scim/errors'
import { builtInSchemas } from '../../../scim/schemas/instance'
import type { ResourceTypeDefinition } from '../../../scim/schemas/types'
import { ENTERPRISE_USER_SCHEMA, PATCH_OP, USER_SCHEMA } from '../../../scim/schemas/urns'
import { openDatabase } from '../../../store/db'
import { ResourceStore } from '../../../store/resources'
import { ResourceService } from './service'

/** A fixed seed in CI; FC_RUNS=<n> soaks with at least n runs and random seeds (FC_SEED to replay one). */
const SOAK = Number(process.env.FC_RUNS ?? 0) || 0
const fcParams = (ciRuns: number) => ({
  numRuns: Math.max(ciRuns, SOAK),
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : SOAK ? undefined : 20261129,
})

const User = { instance: 'demo', resourceType: builtInSchemas.User }
const text = fc.oneof(fc.constantFrom('Engineer', 'engineer', 'Ärztin', '', ' ', 'True'), fc.string({ maxLength: 6 }))

const userBody = fc.record(
  {
    title: text,
    displayName: text,
    active: fc.boolean(),
    name: fc.record({ givenName: text, familyName: text }, { requiredKeys: [] }),
    emails: fc.array(fc.record({ value: fc.constantFrom('a@example.com', 'b@example.com'), primary: fc.boolean() }), { maxLength: 1 }),
    [ENTERPRISE_USER_SCHEMA]: fc.record({ department: text, manager: fc.record({ value: text }) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
)

const PATHS = ['title', 'displayName', 'active', 'name.givenName', 'name.familyName', 'nickName', `${ENTERPRISE_USER_SCHEMA}:department`, `${ENTERPRISE_USER_SCHEMA}:manager.value`]
const operation = fc.record({
  op: fc.constantFrom('replace', 'Replace', 'add'),
  path: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...PATHS) }, { weight: 1, arbitrary: fc.constantFrom('userName', 'emails', 'id') }),
  value: fc.oneof({ weight: 6, arbitrary: text }, { weight: 2, arbitrary: fc.constantFrom(true, false, 'False') }, { weight: 1, arbitrary: fc.constantFrom(null, 5, '') }),
})
const patchBody = fc.array(operation, { minLength: 1, maxLength: 3 }).map((Operations) => ({ schemas: [PATCH_OP], Operations }))

/** A database with one user created from `body` (under `schema`), and its bytes for a second copy. */
function seeded(body: object, schema: ResourceTypeDefinition = User.resourceType) {
  const store = new ResourceStore(openDatabase(':memory:'))
  const { id } = new ResourceService(store).create({ instance: 'demo', resourceType: schema }, { schemas: [USER_SCHEMA], userName: 'ada', ...body })
  store.flush()
  return { id, bytes: (store as unknown as { db: Database }).db.serialize() }
}

/** A store on a copy of a serialised database. */
function storeOf(bytes: Uint8Array): ResourceStore {
  const db = Database.deserialize(bytes)
  db.exec('PRAGMA foreign_keys = ON')
  return new ResourceStore(db)
}

/** What a PATCH did: the error it gave, or the stored document's text and version after it. */
function outcome(service: ResourceService, store: ResourceStore, id: string, body: unknown, schema: ResourceTypeDefinition = User.resourceType) {
  try {
    service.patch({ instance: 'demo', resourceType: schema }, id, body, undefined, false)
    const after = store.get('demo', 'User', id)!
    return { data: after.dataJson, version: after.version }
  } catch (error) {
    if (!(error instanceof ScimError)) throw error
    return { status: error.status, scimType: error.scimType, message: error.message }
  }
}

describe('PATCH of plain attributes', () => {
  test('property: the same stored document (as text), version and errors as the general way', () => {
    fc.assert(
      fc.property(userBody, fc.array(patchBody, { minLength: 1, maxLength: 3 }), (body, bodies) => {
        const { id, bytes } = seeded(body)
        const [plain, general] = [storeOf(bytes), storeOf(bytes)]
        for (const patch of bodies) {
          expect(outcome(new ResourceService(plain), plain, id, patch)).toEqual(outcome(new ResourceService(general, false), general, id, patch))
        }
      }),
      fcParams(150),
    )
  }, SOAK ? 60 * 60_000 : 20_000)

  test('a document written under another schema (the config dropped an attribute) is normalised again', () => {
    // The enterprise extension as the instance had it, and as it has it after a config change without department.
    const before = builtInSchemas.User
    const enterprise = before.extensions[0]!.schema
    const after: ResourceTypeDefinition = {
      ...before,
      extensions: [{ ...before.extensions[0]!, schema: { ...enterprise, attributes: enterprise.attributes.filter((a) => a.name !== 'department') } }],
    }
    const { id, bytes } = seeded({ title: 'Engineer', [ENTERPRISE_USER_SCHEMA]: { department: 'R&D', employeeNumber: '7' } }, before)
    const store = storeOf(bytes)
    const body = { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'title', value: 'Lead' }] }
    new ResourceService(store).patch({ instance: 'demo', resourceType: after }, id, body, undefined, false)
    const stored = store.get('demo', 'User', id)!.data
    expect(stored.title).toBe('Lead')
    expect(stored[ENTERPRISE_USER_SCHEMA]).toEqual({ employeeNumber: '7' })
    // Now in the new schema's form: the next plain PATCH may skip normalisation, and keeps it so.
    new ResourceService(store).patch({ instance: 'demo', resourceType: after }, id, { ...body, Operations: [{ op: 'replace', path: 'title', value: 'Head' }] }, undefined, false)
    expect(store.get('demo', 'User', id)!.data).toMatchObject({ title: 'Head', [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '7' } })
  })

  test('a document without the mark (written before it was kept, or by an import) is normalised again', () => {
    const { id, bytes } = seeded({ title: 'Engineer' })
    const store = storeOf(bytes)
    const db = (store as unknown as { db: Database }).db
    // As an older build left it: no mark, and an attribute this schema no longer has.
    db.run("UPDATE resources SET normal_form = NULL, data = json_set(data, '$.shoeSize', 9)")
    new ResourceService(store).patch(User, id, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] }, undefined, false)
    expect(store.get('demo', 'User', id)!.data).toEqual({ schemas: [USER_SCHEMA], userName: 'ada', title: 'Lead' })
  })
})
