/**
 * The default view written as text (`defaultViewJson`) against its
 * definition: `project(renderResource(…), type, {})`, the object path every
 * other view takes. Where the text is given it must parse to that same value;
 * where the stored document is not what the default view shows, no text.
 */
import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { defaultViewJson } from './default-view'
import { listResponse, listResponseJson } from './list'
import { project } from './projection'
import { renderResource, type ResourceData } from './representation'
import { attribute } from './schemas/attribute'
import { instanceSchemas } from './schemas/instance'
import type { ResourceTypeDefinition } from './schemas/types'
import { ENTERPRISE_USER_SCHEMA as ENTERPRISE_USER, GROUP_SCHEMA as GROUP, USER_SCHEMA as USER } from './schemas/urns'

/** A fixed seed in CI; FC_RUNS=<n> soaks with at least n runs and random seeds (FC_SEED to replay one), as the other property tests. */
const SOAK = Number(process.env.FC_RUNS ?? 0) || 0
const fcParams = (ciRuns: number) => ({
  numRuns: Math.max(ciRuns, SOAK),
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : SOAK ? undefined : 20261129,
})

const BASE = 'https://scim.example.com/scim/v2/demo'
const CUSTOM = 'urn:example:params:scim:schemas:extension:custom:2.0:User'

/** An instance whose config declares attributes returned by default, always, on request and never. */
const schemas = instanceSchemas([
  {
    resource: 'User',
    required: false,
    schema: {
      id: CUSTOM,
      name: 'Custom',
      description: 'Test extension',
      attributes: [
        attribute('costCode', 'string', 'shown'),
        attribute('badge', 'string', 'always shown', { returned: 'always' }),
        attribute('pin', 'string', 'never shown', { returned: 'never' }),
        attribute('notes', 'string', 'shown on request', { returned: 'request' }),
      ],
    },
  },
])

function stored(type: 'User' | 'Group', data: Record<string, unknown>, links: ResourceData['members'] = []): ResourceData {
  return {
    id: '0193a1b2-0000-7000-8000-000000000001',
    type,
    data,
    dataJson: JSON.stringify(data),
    ...(type === 'Group' ? { members: links } : { groups: links }),
    version: 3,
    created: '2026-11-29T08:00:00.000Z',
    lastModified: '2026-11-29T09:00:00.000Z',
  }
}

const projected = (resource: ResourceData, resourceType: ResourceTypeDefinition) => project(renderResource(resource, BASE), resourceType, {})

const entraUser = {
  schemas: [USER, ENTERPRISE_USER],
  externalId: 'ext-1',
  userName: 'ada@example.com',
  active: true,
  displayName: 'Ada Lovelace',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
  title: 'Engineer',
  [ENTERPRISE_USER]: { department: 'R&D', manager: { value: 'm-1' } },
}

describe('defaultViewJson', () => {
  test.each([
    ['an Entra-like user with the enterprise extension', stored('User', entraUser)],
    ['a user in two groups', stored('User', entraUser, [{ value: 'g-1', type: 'Group', display: 'Admins' }, { value: 'g-2', type: 'Group' }])],
    ['a group with members', stored('Group', { schemas: [GROUP], displayName: 'Admins' }, [{ value: 'u-1', type: 'User', display: 'Ada' }, { value: 'g-9', type: 'Group' }])],
    ['a group without members', stored('Group', { schemas: [GROUP], displayName: 'Empty' })],
    ['a user with the extension attributes shown by default and always', stored('User', { schemas: [USER, CUSTOM], userName: 'a', [CUSTOM]: { costCode: 'C1', badge: 'B7' } })],
    ['text that needs escaping', stored('User', { schemas: [USER], userName: 'quote"back\\slash\u2028', displayName: '</script>' })],
  ])('%s: the text is the projected resource', (_, resource) => {
    const text = defaultViewJson(resource, BASE, schemas[resource.type])
    expect(text).toBeDefined()
    expect(JSON.parse(text!)).toEqual(projected(resource, schemas[resource.type]))
  })

  test.each([
    ['an attribute the config returns never', { schemas: [USER, CUSTOM], userName: 'a', [CUSTOM]: { costCode: 'C1', pin: '1234' } }],
    ['an attribute the config returns only on request', { schemas: [USER, CUSTOM], userName: 'a', [CUSTOM]: { notes: 'n' } }],
    ['an attribute the config no longer declares', { schemas: [USER], userName: 'a', shoeSize: 44 }],
    ['an extension the config no longer declares', { schemas: [USER], userName: 'a', 'urn:example:gone': { x: 1 } }],
    ['an empty extension object', { schemas: [USER], userName: 'a', [CUSTOM]: {} }],
  ])('%s: no text (the object path projects it)', (_, data) => {
    const resource = stored('User', data)
    expect(defaultViewJson(resource, BASE, schemas.User)).toBeUndefined()
    // …and the projection does change it: the text would have been wrong.
    expect(projected(resource, schemas.User)).not.toEqual(renderResource(resource, BASE))
  })

  // Not shown differently, but not worth a text of their own: a name in another case (no build stores one) and a
  // server-managed name (the text would hold it twice).
  test.each([
    ['a name in another case than the schema', { schemas: [USER], userName: 'a', DisplayName: 'A' }],
    ['a server-managed name in the document', { schemas: [USER], userName: 'a', meta: { resourceType: 'User' } }],
  ])('%s: no text', (_, data) => {
    expect(defaultViewJson(stored('User', data), BASE, schemas.User)).toBeUndefined()
  })

  test('no stored text: no text', () => {
    const { dataJson: _, ...resource } = stored('User', entraUser)
    expect(defaultViewJson(resource, BASE, schemas.User)).toBeUndefined()
  })

  // Random documents of known, unknown and extension attributes with every `returned`: the text is given exactly when
  // the default view shows the document as stored, and then it is that view.
  test('property: text exactly when the projection keeps the document, and then the same value', () => {
    const core = ['userName', 'displayName', 'title', 'active', 'externalId', 'nickName', 'locale', 'unknownThing']
    const extension = ['costCode', 'badge', 'pin', 'notes', 'unknownInside']
    const value = fc.oneof(fc.string(), fc.boolean(), fc.integer(), fc.array(fc.record({ value: fc.string() }), { maxLength: 2 }))
    const document = fc.record(
      {
        core: fc.dictionary(fc.constantFrom(...core), value, { maxKeys: 5 }),
        custom: fc.option(fc.dictionary(fc.constantFrom(...extension), value, { maxKeys: 3 }), { nil: undefined }),
        groups: fc.array(fc.record({ value: fc.uuid(), type: fc.constant('Group' as const), display: fc.option(fc.string(), { nil: undefined }) }), { maxLength: 3 }),
      },
      { requiredKeys: ['core', 'groups'] },
    )
    fc.assert(
      fc.property(document, ({ core: attributes, custom, groups }) => {
        const data: Record<string, unknown> = { schemas: [USER], ...attributes }
        if (custom) data[CUSTOM] = custom
        const resource = stored('User', data, groups.map((g) => (g.display === undefined ? { value: g.value, type: g.type } : g)))
        const text = defaultViewJson(resource, BASE, schemas.User)
        const view = projected(resource, schemas.User)
        const keepsDocument = Bun.deepEquals(view, renderResource(resource, BASE))
        expect(text !== undefined).toBe(keepsDocument)
        if (text !== undefined) expect(JSON.parse(text)).toEqual(view)
      }),
      fcParams(300),
    )
  })
})

describe('listResponseJson', () => {
  test.each([
    ['index paging', { startIndex: 11 }],
    ['cursor paging, more to come', { nextCursor: 'abc' }],
    ['cursor paging, last page', {}],
  ])('%s: the same ListResponse as the object form', (_, position) => {
    const resources = [{ id: 'a' }, { id: 'b', userName: 'x,y]' }]
    const text = listResponseJson(42, resources.map((r) => JSON.stringify(r)), position)
    expect(JSON.parse(text)).toEqual(listResponse(42, resources, position))
  })

  test('an empty page', () => {
    expect(JSON.parse(listResponseJson(0, [], { startIndex: 1 }))).toEqual(listResponse(0, [], { startIndex: 1 }))
  })
})
