import { describe, expect, test } from 'bun:test'
import type { CustomExtensionConfig } from '../../../config/schema'
import { PATCH_OP, USER, newUser, testApp } from '../../../../test/support/app'

const ACME = 'urn:scimify:params:scim:schemas:extension:acme:2.0:User'

const acme: CustomExtensionConfig = {
  schema: ACME,
  resource: 'User',
  name: 'AcmeUser',
  required: false,
  attributes: [
    { name: 'costCode', type: 'string', multi_valued: false, required: false, case_exact: false, mutability: 'readWrite', returned: 'default' },
    { name: 'roles', type: 'string', multi_valued: true, required: false, case_exact: false, mutability: 'readWrite', returned: 'default', canonical_values: ['admin', 'member'] },
    { name: 'badge', type: 'integer', multi_valued: false, required: false, case_exact: false, mutability: 'immutable', returned: 'default' },
  ],
}

describe('per-instance schema extensions', () => {
  test('are advertised in /Schemas and /ResourceTypes of their instance only', async () => {
    const { client, alpha, beta } = testApp({ extensions: [acme] })
    const schema = await client(alpha).get(`/Schemas/${ACME}`)
    expect(schema.status).toBe(200)
    expect(schema.body.attributes.map((a: { name: string }) => a.name)).toEqual(['costCode', 'roles', 'badge'])
    expect(schema.body.attributes[1]).toMatchObject({ type: 'string', multiValued: true, canonicalValues: ['admin', 'member'] })
    const userType = (await client(alpha).get('/ResourceTypes/User')).body
    expect(userType.schemaExtensions).toContainEqual({ schema: ACME, required: false })
    expect((await client(beta).get(`/Schemas/${ACME}`)).status).toBe(404)
  })

  test('values are stored, type-checked, filterable and patchable', async () => {
    const { client, alpha } = testApp({ extensions: [acme] })
    const scim = client(alpha)
    const created = await scim.post('/Users', { ...newUser('ann'), schemas: [USER, ACME], [ACME]: { costCode: 'CC-1', roles: ['admin'], badge: 7 } })
    expect(created.status).toBe(201)
    expect(created.body[ACME]).toEqual({ costCode: 'CC-1', roles: ['admin'], badge: 7 })
    expect(created.body.schemas).toEqual([USER, ACME])

    const wrongType = await scim.post('/Users', { ...newUser('bob'), [ACME]: { badge: 'seven' } })
    expect(wrongType.status).toBe(400)
    expect(wrongType.body.scimType).toBe('invalidValue')

    const found = await scim.get(`/Users?filter=${encodeURIComponent(`${ACME}:costCode eq "cc-1"`)}`)
    expect(found.body.totalResults).toBe(1)

    const id = created.body.id
    const patched = await scim.patch(`/Users/${id}?attributes=${ACME}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', value: { [`${ACME}:costCode`]: 'CC-2' } }, { op: 'add', path: `${ACME}:roles`, value: ['member'] }],
    })
    expect(patched.status).toBe(200)
    expect(patched.body[ACME]).toEqual({ costCode: 'CC-2', roles: ['admin', 'member'], badge: 7 })
  })

  test('an immutable attribute cannot change once set, through PUT or PATCH', async () => {
    const { client, alpha } = testApp({ extensions: [acme] })
    const scim = client(alpha)
    const { id } = (await scim.post('/Users', { ...newUser('ann'), [ACME]: { badge: 7 } })).body
    const put = await scim.put(`/Users/${id}`, { schemas: [USER], userName: 'ann', [ACME]: { badge: 8 } })
    expect(put.status).toBe(400)
    expect(put.body.scimType).toBe('mutability')
    const patch = await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: `${ACME}:badge`, value: 9 }] })
    expect(patch.status).toBe(400)
    expect(patch.body.scimType).toBe('mutability')
    // Re-sending the same value is fine.
    expect((await scim.put(`/Users/${id}`, { schemas: [USER], userName: 'ann', title: 'x', [ACME]: { badge: 7 } })).status).toBe(200)
  })
})
