import { describe, expect, test } from 'bun:test'
import { PATCH_OP, USER, newUser, testApp } from '../../../../test/support/app'

describe('versions and conditional requests (RFC 7644 §3.14)', () => {
  async function setup() {
    const t = testApp()
    const scim = t.client(t.alpha)
    const user = (await scim.post('/Users', newUser('ann'))).body
    return { scim, id: user.id as string }
  }

  test('If-None-Match with the current version answers 304; another version gets the resource', async () => {
    const { scim, id } = await setup()
    const unchanged = await scim.call('GET', `/Users/${id}`, undefined, { 'if-none-match': 'W/"1"' })
    expect(unchanged.status).toBe(304)
    expect(unchanged.body).toBeUndefined()
    expect(unchanged.headers.get('etag')).toBe('W/"1"')
    const changed = await scim.call('GET', `/Users/${id}`, undefined, { 'if-none-match': 'W/"7", W/"8"' })
    expect(changed.status).toBe(200)
  })

  test('If-Match with another version is refused with 412 and changes nothing', async () => {
    const { scim, id } = await setup()
    const ops = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Boss' }] }
    for (const [method, body] of [['PATCH', ops], ['PUT', { schemas: [USER], userName: 'ann' }], ['DELETE', undefined]] as const) {
      const refused = await scim.call(method, `/Users/${id}`, body, { 'if-match': 'W/"9"' })
      expect({ method, status: refused.status }).toEqual({ method, status: 412 })
      expect(refused.body.status).toBe('412')
    }
    const current = await scim.get(`/Users/${id}`)
    expect(current.body.meta.version).toBe('W/"1"')
    expect(current.body.title).toBeUndefined()
  })

  test('If-Match with the current version (weak or strong form, or *) is applied', async () => {
    const { scim, id } = await setup()
    const ops = (title: string) => ({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: title }] })
    expect((await scim.call('PATCH', `/Users/${id}`, ops('A'), { 'if-match': 'W/"1"' })).status).toBe(204)
    expect((await scim.call('PATCH', `/Users/${id}`, ops('B'), { 'if-match': '"2"' })).status).toBe(204)
    expect((await scim.call('PATCH', `/Users/${id}`, ops('C'), { 'if-match': '*' })).status).toBe(204)
    expect((await scim.get(`/Users/${id}`)).body).toMatchObject({ title: 'C', meta: { version: 'W/"4"' } })
    expect((await scim.call('DELETE', `/Users/${id}`, undefined, { 'if-match': 'W/"4"' })).status).toBe(204)
  })
})
