/**
 * What real identity providers send (../shared/reference/idp-quirks.md, by
 * number): each is accepted and stored with its meaning, not its letter.
 */
import { describe, expect, test } from 'bun:test'
import { GROUP, PATCH_OP, USER, newUser, testApp } from '../../test/support/app'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

async function setup() {
  const t = testApp()
  const scim = t.client(t.alpha)
  const ann = (await scim.post('/Users', newUser('ann', { externalId: 'ext-ann' }))).body
  const bob = (await scim.post('/Users', newUser('bob'))).body
  const group = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Eng', members: [{ value: ann.id }, { value: bob.id }] })).body
  const patchUser = (ops: unknown[]) => scim.patch(`/Users/${ann.id}`, { schemas: [PATCH_OP], Operations: ops })
  const patchGroup = (ops: unknown[]) => scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: ops })
  const user = async () => (await scim.get(`/Users/${ann.id}`)).body
  const members = async () => ((await scim.get(`/Groups/${group.id}`)).body.members as { value: string }[]).map((m) => m.value)
  return { ...t, scim, ann, bob, group, patchUser, patchGroup, user, members }
}

type Setup = Awaited<ReturnType<typeof setup>>
const find = async ({ scim }: Setup, path: string) => (await scim.get(path)).body

const quirks: [string, (s: Setup) => Promise<void>][] = [
  ['1, 2: Entra capitalised ops and "False" strings', async (s) => {
    expect((await s.patchUser([{ op: 'Replace', path: 'active', value: 'False' }])).status).toBe(204)
    expect((await s.user()).active).toBe(false)
    const created = await s.scim.post('/Users', { schemas: [USER], userName: 'carl', active: 'True' })
    expect(created.body.active).toBe(true)
  }],
  ['3: Entra no-path replace with dotted and URN keys', async (s) => {
    await s.patchUser([{ op: 'Replace', value: { 'name.givenName': 'Annie', [`${ENTERPRISE}:department`]: 'R&D' } }])
    const user = await s.user()
    expect(user.name).toEqual({ givenName: 'Annie', familyName: 'Lee' })
    expect(user[ENTERPRISE]).toEqual({ department: 'R&D' })
  }],
  ['4, 34: member removal by value list, by filter, by filter without a space', async (s) => {
    await s.patchGroup([{ op: 'Remove', path: 'members', value: [{ value: s.ann.id }] }])
    expect(await s.members()).toEqual([s.bob.id])
    await s.patchGroup([{ op: 'add', path: 'members', value: { value: s.ann.id } }]) // Saviynt: one object
    await s.patchGroup([{ op: 'remove', path: `members[value eq"${s.ann.id}"]` }])
    await s.patchGroup([{ op: 'Remove', path: `members[value eq "${s.bob.id}"]` }])
    expect(await s.members()).toEqual([])
  }],
  ['5: a filtered path to an absent entry creates it', async (s) => {
    await s.patchUser([{ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555' }])
    expect((await s.user()).phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555' }])
  }],
  ['6: manager as a bare id', async (s) => {
    await s.patchUser([{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: s.bob.id }])
    expect((await s.user())[ENTERPRISE].manager).toEqual({ value: s.bob.id })
    const created = await s.scim.post('/Users', { schemas: [USER], userName: 'dan', [ENTERPRISE]: { manager: s.bob.id } })
    expect(created.body[ENTERPRISE].manager).toEqual({ value: s.bob.id })
  }],
  ['7, 8, 22: lookups by userName, externalId (unquoted), work email; no match is an empty list', async (s) => {
    for (const filter of ['userName eq "ann"', 'externalId eq ext-ann', 'emails[type eq "work"].value eq "ann@example.com"']) {
      expect((await find(s, `/Users?filter=${encodeURIComponent(filter)}`)).totalResults).toBe(1)
    }
    const none = await s.scim.get(`/Users?filter=${encodeURIComponent('userName eq "7f3a9c1e-does-not-exist"')}`)
    expect(none.status).toBe(200)
    expect(none.body.totalResults).toBe(0)
    const groups = await find(s, `/Groups?filter=${encodeURIComponent('displayName eq "Eng"')}&excludedAttributes=members`)
    expect(groups.Resources[0].members).toBeUndefined()
    expect(groups.Resources[0].displayName).toBe('Eng')
  }],
  ['9, 11: deactivation by PATCH (Entra path, Okta no-path) keeps the user readable and filterable', async (s) => {
    await s.patchUser([{ op: 'replace', value: { active: false } }])
    expect((await find(s, `/Users?filter=${encodeURIComponent('active eq false')}`)).Resources[0].userName).toBe('ann')
  }],
  ['10: an empty Operations array changes nothing', async (s) => {
    expect((await s.patchUser([])).status).toBe(204)
    expect((await s.user()).meta.version).toBe('W/"1"')
  }],
  ['12: Okta group push with the read-only id, and a full member replace incl. []', async (s) => {
    await s.patchGroup([{ op: 'replace', value: { id: s.group.id, displayName: 'Engineering' } }])
    await s.patchGroup([{ op: 'replace', path: 'members', value: [] }])
    const group = (await s.scim.get(`/Groups/${s.group.id}`)).body
    expect(group.displayName).toBe('Engineering')
    expect(group.members).toEqual([])
  }],
  ['13: Okta PUT with a password: accepted, never stored or returned', async (s) => {
    const put = await s.scim.put(`/Users/${s.ann.id}`, { ...newUser('ann'), password: 'hunter2' })
    expect(put.status).toBe(200)
    expect(JSON.stringify(put.body)).not.toContain('hunter2')
    expect(JSON.stringify(await s.user())).not.toContain('hunter2')
  }],
  ['14: userName in any case finds the user; a case variant is a duplicate', async (s) => {
    expect((await find(s, `/Users?filter=${encodeURIComponent('userName eq "ANN"')}`)).totalResults).toBe(1)
    expect((await s.scim.post('/Users', newUser('ANN'))).body.scimType).toBe('uniqueness')
  }],
  ['18, 20: names in any case in bodies; $ref null and displayName on members', async (s) => {
    await s.patchUser([{ op: 'add', path: 'Emails', value: [{ Value: 'x@example.com', Type: 'home', Primary: true }] }])
    const emails = (await s.user()).emails
    expect(emails).toContainEqual({ value: 'x@example.com', type: 'home', primary: true })
    expect(emails.filter((e: { primary?: boolean }) => e.primary)).toHaveLength(1)
    const group = await s.scim.post('/Groups', { schemas: [GROUP], DisplayName: 'Ops', members: [{ value: s.ann.id, $ref: null, displayName: 'Ann' }] })
    expect(group.status).toBe(201)
    expect(group.body.members[0]).toMatchObject({ value: s.ann.id, display: 'Ann' })
  }],
  ['19: client ids and meta ignored; externalId not unique', async (s) => {
    const created = await s.scim.post('/Users', { schemas: [USER], userName: 'eve', id: 'mine', externalId: 'ext-ann', meta: { created: '1999-01-01T00:00:00Z' } })
    expect(created.status).toBe(201)
    expect(created.body.id).not.toBe('mine')
    expect(created.body.meta.created).not.toStartWith('1999')
  }],
  ['21, 32: SailPoint partial complex replaces keep each other', async (s) => {
    await s.patchUser([{ op: 'replace', value: { name: { familyName: 'Smith' } } }])
    await s.patchUser([{ op: 'replace', value: { name: { givenName: 'Anna' } } }])
    expect((await s.user()).name).toEqual({ givenName: 'Anna', familyName: 'Smith' })
  }],
  ['23: application/json when a client asks for it', async (s) => {
    const response = await s.app.handle(new Request(`http://localhost/scim/v2/alpha/Users/${s.ann.id}`, { headers: { authorization: `Bearer ${s.alpha.key}`, accept: 'application/json' } }))
    expect(response.headers.get('content-type')).toStartWith('application/json')
    expect(((await response.json()) as { userName: string }).userName).toBe('ann')
  }],
  ['24: OneLogin form-encoded filter with a trailing &, PUT with a bare ?', async (s) => {
    expect((await find(s, '/Users?filter=userName+eq+%22ann%22&')).totalResults).toBe(1)
    expect((await s.scim.put(`/Users/${s.ann.id}?`, newUser('ann', { title: 'T' }))).body.title).toBe('T')
  }],
  ['25: legacy URNs and a single email object (OneLogin)', async (s) => {
    const created = await s.scim.post('/Users', {
      schemas: ['urn:scim:schemas:core:2.0', 'urn:scim:schemas:extension:enterprise:2.0'],
      userName: 'olga',
      emails: { value: 'olga@example.com', primary: true },
      'urn:scim:schemas:extension:enterprise:2.0': { department: 'Ops' },
    })
    expect(created.status).toBe(201)
    expect(created.body.emails).toEqual([{ value: 'olga@example.com', primary: true }])
    expect(created.body[ENTERPRISE]).toEqual({ department: 'Ops' })
  }],
  ['30: PingOne operators in any case', async (s) => {
    expect((await find(s, `/Users?filter=${encodeURIComponent('username Eq "ann"')}`)).totalResults).toBe(1)
  }],
  ['31: SailPoint reads single ResourceTypes and Schemas as objects', async (s) => {
    for (const path of ['/ResourceTypes/User', '/ResourceTypes/Group', `/Schemas/${USER}`]) {
      const body = await find(s, path)
      expect(body.schemas[0]).not.toBe('urn:ietf:params:scim:api:messages:2.0:ListResponse')
      expect(body.id).toBeDefined()
    }
  }],
  ['33: Saviynt string booleans, and a PUT of {"active": false} alone', async (s) => {
    await s.patchUser([{ op: 'replace', path: 'active', value: 'false' }])
    expect((await s.user()).active).toBe(false)
    const put = await s.scim.put(`/Users/${s.ann.id}`, { active: 'true' })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ userName: 'ann', active: true, name: { givenName: 'Ann' } })
  }],
  ['35: Saviynt itemsPerPage for count, totalResults at the top', async (s) => {
    const page = await find(s, '/Users?startIndex=1&itemsPerPage=1')
    expect(page.Resources).toHaveLength(1)
    expect(page.totalResults).toBe(2)
  }],
  ['36: CyberArk count=1 probe', async (s) => {
    expect((await find(s, '/Users?count=1')).itemsPerPage).toBe(1)
  }],
]

describe('IdP quirks', () => {
  for (const [name, check] of quirks) test(name, async () => check(await setup()))
})
