import { describe, expect, test } from 'bun:test'
import { ERROR, PATCH_OP, USER, newUser, testApp } from '../../../../test/support/app'

/** RFC 9562 UUIDv7: ids in creation order. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('/Users', () => {
  test('POST creates a user with a server-generated id and full meta', async () => {
    const { client, alpha } = testApp()
    const scim = client(alpha)
    const created = await scim.post('/Users', { ...newUser('ann'), id: 'client-id', meta: { version: 'x' }, password: 'secret-pw' })
    expect(created.status).toBe(201)
    expect(created.headers.get('content-type')).toContain('application/scim+json')
    expect(created.body.id).toMatch(UUID)
    // In creation order, so new ids land at the end of the id index.
    const next = await scim.post('/Users', newUser('bob'))
    expect(next.body.id > created.body.id).toBe(true)
    expect(created.body.schemas).toEqual([USER])
    expect(created.body).toMatchObject({ userName: 'ann', name: { givenName: 'Ann', familyName: 'Lee' }, active: true })
    expect(created.body.password).toBeUndefined()
    const meta = created.body.meta
    expect(meta.resourceType).toBe('User')
    expect(meta.location).toBe(`http://localhost/scim/v2/alpha/Users/${created.body.id}`)
    expect(created.headers.get('location')).toBe(meta.location)
    expect(meta.version).toBe('W/"1"')
    expect(created.headers.get('etag')).toBe('W/"1"')
    expect(Date.parse(meta.created)).not.toBeNaN()
    expect(meta.lastModified).toBe(meta.created)

    const fetched = await scim.get(`/Users/${created.body.id}`)
    expect(fetched.status).toBe(200)
    expect(fetched.body).toEqual(created.body)
  })

  test('userName is unique per instance regardless of case', async () => {
    const { client, alpha, beta } = testApp()
    expect((await client(alpha).post('/Users', newUser('Ann.Lee'))).status).toBe(201)
    const duplicate = await client(alpha).post('/Users', newUser('ANN.LEE'))
    expect(duplicate.status).toBe(409)
    expect(duplicate.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' })
    // Another instance is another directory.
    expect((await client(beta).post('/Users', newUser('ann.lee'))).status).toBe(201)
  })

  test('bad input is a SCIM error, never a 500', async () => {
    const { client, alpha } = testApp()
    const scim = client(alpha)
    const cases: [string, unknown, number, string][] = [
      ['malformed JSON', '{"userName": ', 400, 'invalidSyntax'],
      ['empty body', '', 400, 'invalidSyntax'],
      ['not an object', '[1,2]', 400, 'invalidSyntax'],
      ['missing userName', { schemas: [USER], displayName: 'x' }, 400, 'invalidValue'],
      ['userName of the wrong type', { schemas: [USER], userName: 42 }, 400, 'invalidValue'],
      ['active not a boolean', { schemas: [USER], userName: 'x', active: 'maybe' }, 400, 'invalidValue'],
      ['two primary emails', { schemas: [USER], userName: 'x', emails: [{ value: 'a@x', primary: true }, { value: 'b@x', primary: true }] }, 400, 'invalidValue'],
    ]
    for (const [name, body, status, scimType] of cases) {
      const result = await scim.call('POST', '/Users', body)
      expect({ name, status: result.status, scimType: result.body?.scimType }).toEqual({ name, status, scimType })
      expect(result.body.schemas).toEqual([ERROR])
    }
  })

  test('unknown ids are 404, UUID or not', async () => {
    const { client, alpha } = testApp()
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '1']) {
      const result = await client(alpha).get(`/Users/${id}`)
      expect(result.status).toBe(404)
      expect(result.body).toMatchObject({ schemas: [ERROR], status: '404' })
      expect((await client(alpha).delete(`/Users/${id}`)).status).toBe(404)
    }
  })

  test('users of one instance are invisible to another', async () => {
    const { client, alpha, beta } = testApp()
    const created = await client(alpha).post('/Users', newUser('ann'))
    expect((await client(beta).get(`/Users/${created.body.id}`)).status).toBe(404)
    expect((await client(beta).get('/Users')).body.totalResults).toBe(0)
  })

  test('filters with eq find users by userName (any case), externalId and email', async () => {
    const { client, alpha } = testApp()
    const scim = client(alpha)
    const ann = await scim.post('/Users', newUser('ann', { externalId: 'ext-1' }))
    await scim.post('/Users', newUser('bob', { externalId: 'ext-2' }))
    const find = async (filter: string) => (await scim.get(`/Users?filter=${encodeURIComponent(filter)}`)).body
    for (const filter of ['userName eq "ann"', 'userName eq "ANN"', 'externalId eq "ext-1"', 'emails.value eq "ANN@example.com"', 'emails[value eq "ann@example.com"]']) {
      const result = await find(filter)
      expect({ filter, total: result.totalResults }).toEqual({ filter, total: 1 })
      expect(result.Resources[0].id).toBe(ann.body.id)
    }
    // externalId is caseExact (RFC 7643 §3.1).
    expect((await find('externalId eq "EXT-1"')).totalResults).toBe(0)
    // No match is an empty list, not a 404 (Entra's "test connection").
    const none = await find('userName eq "does-not-exist-7f3a"')
    expect(none).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] })
    const bad = await scim.get(`/Users?filter=${encodeURIComponent('userName eq')}`)
    expect(bad.status).toBe(400)
    expect(bad.body.scimType).toBe('invalidFilter')
    const unknown = await scim.get(`/Users?filter=${encodeURIComponent('shoeSize eq "9"')}`)
    expect(unknown.status).toBe(400)
    expect(unknown.body.scimType).toBe('invalidFilter')
  })

  test('startIndex and count page through users in a stable order', async () => {
    const { client, alpha } = testApp()
    const scim = client(alpha)
    const ids: string[] = []
    for (let i = 0; i < 7; i++) ids.push((await scim.post('/Users', newUser(`user${i}`))).body.id)
    const seen: string[] = []
    for (let start = 1; start <= 7; start += 3) {
      const page = (await scim.get(`/Users?startIndex=${start}&count=3`)).body
      expect(page.totalResults).toBe(7)
      expect(page.startIndex).toBe(start)
      expect(page.itemsPerPage).toBe(page.Resources.length)
      seen.push(...page.Resources.map((r: { id: string }) => r.id))
    }
    expect(seen).toEqual(ids)
    const totalsOnly = (await scim.get('/Users?count=0')).body
    expect(totalsOnly).toMatchObject({ totalResults: 7, itemsPerPage: 0, Resources: [] })
    expect((await scim.get('/Users?startIndex=abc')).status).toBe(400)
  })

  test('PUT replaces the user; unchanged content keeps the version', async () => {
    const { client, alpha } = testApp()
    const scim = client(alpha)
    const created = (await scim.post('/Users', newUser('ann', { title: 'Engineer' }))).body
    const replaced = await scim.put(`/Users/${created.id}`, { schemas: [USER], userName: 'ann', displayName: 'Ann Lee' })
    expect(replaced.status).toBe(200)
    expect(replaced.body.title).toBeUndefined()
    expect(replaced.body.emails).toBeUndefined()
    expect(replaced.body.displayName).toBe('Ann Lee')
    expect(replaced.body.meta.version).toBe('W/"2"')
    expect(replaced.body.meta.created).toBe(created.meta.created)
    const again = await scim.put(`/Users/${created.id}`, { schemas: [USER], userName: 'ann', displayName: 'Ann Lee' })
    expect(again.body.meta.version).toBe('W/"2"')
    const other = (await scim.post('/Users', newUser('bob'))).body
    const clash = await scim.put(`/Users/${other.id}`, { schemas: [USER], userName: 'ANN' })
    expect(clash.status).toBe(409)
    expect((await scim.put('/Users/nope', newUser('x'))).status).toBe(404)
  })

  test('PATCH updates attributes as Entra and Okta send them', async () => {
    const { client, alpha } = testApp()
    const scim = client(alpha)
    const { id } = (await scim.post('/Users', newUser('ann'))).body
    // Ask for the resource back (200); without attributes PATCH answers 204.
    const patch = (ops: unknown[]) => scim.patch(`/Users/${id}?excludedAttributes=emails`, { schemas: [PATCH_OP], Operations: ops })

    let result = await patch([
      { op: 'Replace', path: 'title', value: 'Manager' },
      { op: 'Add', path: 'name.givenName', value: 'Annie' },
      { op: 'Replace', path: 'active', value: 'False' },
    ])
    expect(result.status).toBe(200)
    expect(result.body).toMatchObject({ title: 'Manager', name: { givenName: 'Annie', familyName: 'Lee' }, active: false })
    expect(result.body.meta.version).toBe('W/"2"')

    // Entra re-sends unchanged values: no new version.
    result = await patch([{ op: 'Replace', path: 'title', value: 'Manager' }])
    expect(result.body.meta.version).toBe('W/"2"')

    result = await patch([{ op: 'replace', value: { active: true, displayName: 'Ann L.' } }])
    expect(result.body).toMatchObject({ active: true, displayName: 'Ann L.' })
    result = await patch([{ op: 'remove', path: 'title' }])
    expect(result.body.title).toBeUndefined()

    // Deactivated users stay readable and filterable.
    await patch([{ op: 'replace', path: 'active', value: false }])
    const inactive = (await scim.get(`/Users?filter=${encodeURIComponent('userName eq "ann"')}`)).body
    expect(inactive.Resources[0].active).toBe(false)

    const bad = await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'frobnicate', path: 'title' }] })
    expect(bad.status).toBe(400)
    expect(bad.body.schemas).toEqual([ERROR])
    const removeUserName = await patch([{ op: 'remove', path: 'userName' }])
    expect(removeUserName.status).toBe(400)
    expect((await scim.patch('/Users/nope', { schemas: [PATCH_OP], Operations: [] })).status).toBe(404)
  })

  test('PATCH answers 204 with the new ETag unless attributes are asked for', async () => {
    const { client, alpha } = testApp()
    const scim = client(alpha)
    const { id } = (await scim.post('/Users', newUser('ann'))).body
    const result = await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Boss' }] })
    expect(result.status).toBe(204)
    expect(result.body).toBeUndefined()
    expect(result.headers.get('etag')).toBe('W/"2"')
    const projected = await scim.patch(`/Users/${id}?attributes=title`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Chief' }] })
    expect(projected.status).toBe(200)
    expect(projected.body).toEqual({ schemas: [USER], id, title: 'Chief' })
  })

  test('DELETE removes the user', async () => {
    const { client, alpha } = testApp()
    const scim = client(alpha)
    const { id } = (await scim.post('/Users', newUser('ann'))).body
    const deleted = await scim.delete(`/Users/${id}`)
    expect(deleted.status).toBe(204)
    expect(deleted.body).toBeUndefined()
    expect((await scim.get(`/Users/${id}`)).status).toBe(404)
    // The userName is free again.
    expect((await scim.post('/Users', newUser('ann'))).status).toBe(201)
  })
})

describe('audit log', () => {
  test('every SCIM write is recorded with the key id, what, which resource and the result', async () => {
    const { app, client, alpha } = testApp()
    const scim = client(alpha)
    const { id } = (await scim.post('/Users', newUser('ann'))).body
    await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] })
    await scim.post('/Users', newUser('ANN'))
    await scim.get(`/Users/${id}`)
    await scim.delete(`/Users/${id}`)
    const entries = app.audit.list('alpha', new Date(0)).map(({ actor, action, target, result }) => ({ actor, action, target, result }))
    const actor = `key:${alpha.keyId}`
    expect(entries).toEqual([
      { actor, action: 'POST /Users', target: id, result: '201' },
      { actor, action: 'PATCH /Users', target: id, result: '204' },
      { actor, action: 'POST /Users', target: undefined, result: '409' },
      { actor, action: 'DELETE /Users', target: id, result: '204' },
    ])
  })
})
