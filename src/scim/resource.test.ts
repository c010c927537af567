import { describe, expect, test } from 'bun:test'
import { ScimError } from './errors'
import { normalizeResource } from './resource'
import { groupResourceType, userResourceType } from './schemas'
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './schemas/urns'

const user = (attributes: Record<string, unknown>) => ({ schemas: [USER_SCHEMA], userName: 'ada', ...attributes })

describe('normalizeResource: the canonical form a POST or PUT body is stored in', () => {
  test.each<[string, unknown, unknown]>([
    ['names in any case become the schema spelling', user({ DisplayName: 'Ada', NAME: { GIVENNAME: 'Ada' } }), { displayName: 'Ada', name: { givenName: 'Ada' } }],
    ['"True"/"False" strings become booleans (Entra)', user({ active: 'False', emails: [{ value: 'a@x', primary: 'True' }] }), { active: false, emails: [{ value: 'a@x', primary: true }] }],
    ['a single object where an array is meant (OneLogin)', user({ emails: { value: 'a@x' } }), { emails: [{ value: 'a@x' }] }],
    ['nulls and empty values are dropped', user({ title: null, emails: [], name: { givenName: null }, [ENTERPRISE_USER_SCHEMA]: { department: null } }), {}],
    ['id, meta, readOnly, writeOnly and unknown attributes are dropped', user({ id: 'x', meta: {}, groups: [{ value: 'g' }], password: 'p', shoeSize: 9, emails: [{ value: 'a@x', foo: 1 }] }), { emails: [{ value: 'a@x' }] }],
    ['an extension under its URN, also by its legacy name', user({ 'urn:scim:schemas:extension:enterprise:2.0': { Department: 'R&D' } }), { [ENTERPRISE_USER_SCHEMA]: { department: 'R&D' } }],
    ['a bare manager id becomes { value } (Entra)', user({ [ENTERPRISE_USER_SCHEMA]: { manager: 'u-1' } }), { [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'u-1' } } }],
  ])('%s', (_name, body, expected) => {
    const result = normalizeResource(body, userResourceType)
    const { schemas, userName, ...rest } = result
    expect(userName).toBe('ada')
    expect(rest).toEqual(expected as Record<string, unknown>)
    // schemas first, naming the extensions present
    expect(Object.keys(result)[0]).toBe('schemas')
    expect(schemas).toEqual(ENTERPRISE_USER_SCHEMA in result ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA])
  })

  test('keys keep the order the client sent them in, after schemas', () => {
    expect(Object.keys(normalizeResource({ title: 'x', userName: 'ada', schemas: [USER_SCHEMA], active: true }, userResourceType))).toEqual(['schemas', 'title', 'userName', 'active'])
  })

  test.each<[string, unknown, string]>([
    ['not an object', [], 'invalidSyntax: The request body must be a JSON object'],
    ['userName missing', { schemas: [USER_SCHEMA] }, 'invalidValue: "userName" is required'],
    ['userName blank', user({ userName: '  ' }), 'invalidValue: "userName" is required'],
    ['a string of the wrong type', user({ title: 5 }), 'invalidValue: "title" must be a string'],
    ['an array where one value is meant', user({ title: ['a'] }), 'invalidValue: "title" must be a single value, not an array'],
    ['a sub-attribute of the wrong type', user({ name: { givenName: 1 } }), 'invalidValue: "name.givenName" must be a string'],
    ['an item of a multi-valued attribute', user({ emails: [{ value: 'a@x' }, { value: 2 }] }), 'invalidValue: "emails[1].value" must be a string'],
    ['an item that is not an object', user({ emails: [{ value: 'a@x' }, 3] }), 'invalidValue: "emails[1]" must be an object'],
    ['a boolean sub-attribute', user({ emails: [{ value: 'a@x', primary: 'yes' }] }), 'invalidValue: "emails[0].primary" must be a boolean'],
    ['two primary values', user({ emails: [{ value: 'a@x', primary: true }, { value: 'b@x', primary: 'True' }] }), 'invalidValue: At most one value of "emails" may be primary'],
    ['an extension that is not an object', user({ [ENTERPRISE_USER_SCHEMA]: 'x' }), `invalidValue: "${ENTERPRISE_USER_SCHEMA}" must be an object`],
    ['an extension attribute', user({ [ENTERPRISE_USER_SCHEMA]: { department: true } }), `invalidValue: "${ENTERPRISE_USER_SCHEMA}:department" must be a string`],
    ['externalId not a string', user({ externalId: 1 }), 'invalidValue: "externalId" must be a string'],
  ])('%s: %s', (_name, body, expected) => {
    let error: unknown
    try {
      normalizeResource(body, userResourceType)
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(ScimError)
    expect(`${(error as ScimError).scimType}: ${(error as ScimError).message}`).toBe(expected)
  })

  test('a group keeps its members for the store to take apart', () => {
    expect(normalizeResource({ schemas: [GROUP_SCHEMA], displayName: 'g', members: [{ value: 'u-1', display: 'Ada' }] }, groupResourceType)).toEqual({
      schemas: [GROUP_SCHEMA],
      displayName: 'g',
      members: [{ value: 'u-1', display: 'Ada' }],
    })
  })
})
