import { describe, expect, test } from 'bun:test'
import { normalizeResource } from './resource'
import { userResourceType } from './schemas'
import { ENTERPRISE_USER_SCHEMA, PATCH_OP, USER_SCHEMA } from './schemas/urns'
import { applySimplePatch } from './simple-patch'

// The shortcut's results are held to the engine's by the property tests in patch.property.test.ts;
// this table pins down which forms it takes, so the identity providers' common PATCH stays on it.
const user = {
  ...normalizeResource(
    { schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA], userName: 'ada', name: { givenName: 'Ada' }, title: 'Engineer', active: true, [ENTERPRISE_USER_SCHEMA]: { department: 'R&D' } },
    userResourceType,
  ),
  id: 'u-1',
}
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations })

describe('applySimplePatch takes', () => {
  test.each([
    ['Entra: one Replace per attribute', patch({ op: 'Replace', path: 'title', value: 'Lead' }), { title: 'Lead' }],
    ['a sub-attribute of name', patch({ op: 'replace', path: 'name.givenName', value: 'Augusta' }), { name: { givenName: 'Augusta' } }],
    ['Entra: active as the string "False"', patch({ op: 'Replace', path: 'active', value: 'False' }), { active: false }],
    ['an enterprise attribute by its full path', patch({ op: 'Add', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Ops' }), { [ENTERPRISE_USER_SCHEMA]: { department: 'Ops' } }],
    ['several attributes in one body', patch({ op: 'replace', path: 'title', value: 'Lead' }, { op: 'add', path: 'displayName', value: 'Ada L.' }), { title: 'Lead', displayName: 'Ada L.' }],
  ])('%s', (_name, body, expected) => {
    const result = applySimplePatch(user, body, userResourceType)
    expect(result?.changed).toBe(true)
    expect(result?.resource).toMatchObject(expected)
  })

  test('a value already there: unchanged, the resource itself', () => {
    const result = applySimplePatch(user, patch({ op: 'replace', path: 'title', value: 'Engineer' }), userResourceType)
    expect(result).toEqual({ resource: user, changed: false })
    expect(result?.resource).toBe(user)
  })
})

describe('applySimplePatch leaves to the engine', () => {
  test.each([
    ['a remove', patch({ op: 'remove', path: 'title' })],
    ['a body without path (Okta)', patch({ op: 'replace', value: { active: false } })],
    ['a value filter', patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'a@example.com' })],
    ['a multi-valued attribute', patch({ op: 'add', path: 'emails', value: [{ value: 'a@example.com' }] })],
    ['null (unassign)', patch({ op: 'replace', path: 'title', value: null })],
    ['a value of the wrong type', patch({ op: 'replace', path: 'active', value: 'maybe' })],
    ['a readOnly attribute', patch({ op: 'replace', path: 'id', value: 'u-2' })],
    ['a complex value not there yet', patch({ op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:manager.value`, value: 'u-9' })],
    ['an unknown attribute', patch({ op: 'replace', path: 'nope', value: 'x' })],
    ['not a PatchOp', { Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] }],
  ])('%s', (_name, body) => {
    expect(applySimplePatch(user, body, userResourceType)).toBeUndefined()
  })
})
