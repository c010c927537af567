import { describe, expect, test } from 'bun:test'
import { testApp } from '../../../../test/support/app'

describe('discovery endpoints', () => {
  test('ServiceProviderConfig states what is supported', async () => {
    const { client, alpha } = testApp()
    const spc = (await client(alpha).get('/ServiceProviderConfig')).body
    expect(spc.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'])
    expect(spc.patch.supported).toBe(true)
    expect(spc.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 })
    expect(spc.etag.supported).toBe(true)
    expect(spc.filter).toEqual({ supported: true, maxResults: 1000 })
    expect(spc.sort.supported).toBe(true)
    expect(spc.pagination).toEqual({ cursor: true, index: true, defaultPaginationMethod: 'index', defaultPageSize: 100, maxPageSize: 1000 })
    expect(spc.authenticationSchemes[0].type).toBe('oauthbearertoken')
  })

  test('bulk maxPayloadSize states the server body limit when that is lower (a larger bulk request is refused with 413)', async () => {
    const { client, alpha } = testApp({}, { limits: { max_body_bytes: 65_536 } })
    expect((await client(alpha).get('/ServiceProviderConfig')).body.bulk.maxPayloadSize).toBe(65_536)
    const operations = Array.from({ length: 200 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `b${i}`, data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `user${i}@example.com`, displayName: 'x'.repeat(300) } }))
    const bulk = await client(alpha).post('/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: operations })
    expect(bulk.status).toBe(413)
    // Above the bulk limit of its own, the body limit does not raise it.
    const { client: roomy, alpha: roomyAlpha } = testApp({}, { limits: { max_body_bytes: 8 * 1024 * 1024 } })
    expect((await roomy(roomyAlpha).get('/ServiceProviderConfig')).body.bulk.maxPayloadSize).toBe(1_048_576)
  })

  test('ResourceTypes lists User and Group; one is served as the object itself', async () => {
    const { client, alpha } = testApp()
    const list = (await client(alpha).get('/ResourceTypes')).body
    expect(list.totalResults).toBe(2)
    expect(list.Resources.map((r: { id: string }) => r.id)).toEqual(['User', 'Group'])
    const user = await client(alpha).get('/ResourceTypes/User')
    expect(user.body).toMatchObject({ id: 'User', endpoint: '/Users', schema: 'urn:ietf:params:scim:schemas:core:2.0:User' })
    expect(user.body.meta.location).toBe('http://localhost/scim/v2/alpha/ResourceTypes/User')
    expect((await client(alpha).get('/ResourceTypes/Nope')).status).toBe(404)
  })

  test('Schemas describes the attributes with their characteristics', async () => {
    const { client, alpha } = testApp()
    const list = (await client(alpha).get('/Schemas')).body
    expect(list.Resources.map((s: { id: string }) => s.id)).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    ])
    const user = (await client(alpha).get('/Schemas/urn:ietf:params:scim:schemas:core:2.0:User')).body
    const userName = user.attributes.find((a: { name: string }) => a.name === 'userName')
    expect(userName).toMatchObject({ type: 'string', required: true, uniqueness: 'server', caseExact: false })
    const password = user.attributes.find((a: { name: string }) => a.name === 'password')
    expect(password).toMatchObject({ mutability: 'writeOnly', returned: 'never' })
  })

  test('discovery needs a key like everything under the instance', async () => {
    const { app } = testApp()
    const response = await app.handle(new Request('http://localhost/scim/v2/alpha/ServiceProviderConfig'))
    expect(response.status).toBe(401)
  })
})
