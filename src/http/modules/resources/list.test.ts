import { describe, expect, test } from 'bun:test'
import { GROUP, USER, newUser, testApp } from '../../../../test/support/app'

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest'

async function seeded() {
  const t = testApp()
  const scim = t.client(t.alpha)
  const people = [
    ['carol', 'Zed', 'c@x'],
    ['Ann', 'Young', 'a@x'],
    ['bob', undefined, 'b@x'],
    ['dave', 'adams', 'd@x'],
  ] as const
  for (const [userName, familyName, email] of people) {
    await scim.post('/Users', newUser(userName, { name: familyName ? { familyName } : undefined, emails: [{ value: 'z-' + email }, { value: email, primary: true }] }))
  }
  await scim.post('/Groups', { schemas: [GROUP], displayName: 'Ann fans' })
  return { ...t, scim }
}

const userNames = (body: { Resources: { userName?: string; displayName?: string }[] }): string[] => body.Resources.map((r) => r.userName ?? r.displayName ?? '')

describe('sortBy and sortOrder (RFC 7644 §3.4.2.3)', () => {
  const cases: [string, string[]][] = [
    ['sortBy=userName', ['Ann', 'bob', 'carol', 'dave']],
    ['sortBy=userName&sortOrder=descending', ['dave', 'carol', 'bob', 'Ann']],
    ['sortBy=name.familyName', ['dave', 'Ann', 'carol', 'bob']], // case-insensitive; no value last
    ['sortBy=name.familyName&sortOrder=descending', ['bob', 'carol', 'Ann', 'dave']],
    ['sortBy=emails', ['Ann', 'bob', 'carol', 'dave']], // the primary email
    ['sortBy=meta.created&sortOrder=descending', ['dave', 'bob', 'Ann', 'carol']],
    ['sortBy=USERNAME&sortOrder=Ascending&count=2&startIndex=2', ['bob', 'carol']],
  ]
  for (const [query, expected] of cases) {
    test(query, async () => {
      const { scim } = await seeded()
      const result = await scim.get(`/Users?${query}`)
      expect(result.status).toBe(200)
      expect(userNames(result.body)).toEqual(expected)
    })
  }

  test('a bad sortBy or sortOrder is a 400', async () => {
    const { scim } = await seeded()
    for (const query of ['sortBy=shoeSize', 'sortBy=name', 'sortBy=userName&sortOrder=sideways']) {
      const result = await scim.get(`/Users?${query}`)
      expect({ query, status: result.status, scimType: result.body.scimType }).toEqual({ query, status: 400, scimType: 'invalidValue' })
    }
  })
})

describe('cursor paging (RFC 9865)', () => {
  test('an empty cursor starts; nextCursor walks every user once; the last page has none', async () => {
    const { scim } = await seeded()
    const seen: string[] = []
    let cursor = ''
    for (let pages = 0; pages < 10; pages++) {
      const page = (await scim.get(`/Users?cursor=${cursor}&count=3`)).body
      expect(page.totalResults).toBe(4)
      expect(page.startIndex).toBeUndefined()
      seen.push(...userNames(page))
      if (!page.nextCursor) break
      expect(page.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/)
      cursor = page.nextCursor
    }
    expect(seen).toEqual(['carol', 'Ann', 'bob', 'dave'])
  })

  test('cursor pages follow sortBy, and a forged cursor is invalidCursor', async () => {
    const { scim } = await seeded()
    const first = (await scim.get('/Users?sortBy=userName&cursor=&count=2')).body
    const second = (await scim.get(`/Users?sortBy=userName&cursor=${first.nextCursor}&count=2`)).body
    expect([...userNames(first), ...userNames(second)]).toEqual(['Ann', 'bob', 'carol', 'dave'])
    expect(second.nextCursor).toBeUndefined()
    const forged = await scim.get('/Users?cursor=bm90LWEtY3Vyc29y')
    expect(forged.status).toBe(400)
    expect(forged.body.scimType).toBe('invalidCursor')
  })
})

describe('POST /.search (RFC 7644 §3.4.3)', () => {
  test('on /Users takes the query from the body', async () => {
    const { scim } = await seeded()
    const result = await scim.post('/Users/.search', { schemas: [SEARCH], filter: 'userName sw "a"', attributes: ['userName'], sortBy: 'userName', count: 10 })
    expect(result.status).toBe(200)
    expect(result.body.Resources).toEqual([{ schemas: [USER], id: expect.any(String), userName: 'Ann' }])
  })

  test('at the root searches users and groups', async () => {
    const { scim } = await seeded()
    const all = (await scim.post('/.search', { schemas: [SEARCH], filter: 'displayName pr or userName pr' })).body
    expect(all.totalResults).toBe(5)
    const ann = (await scim.post('/.search', { schemas: [SEARCH], filter: 'displayName sw "ann" or userName eq "ann"', startIndex: 2, count: 5 })).body
    expect(ann.totalResults).toBe(2)
    expect(userNames(ann)).toEqual(['Ann fans'])
    const groupsOnly = (await scim.post('/.search', { schemas: [SEARCH], filter: 'members pr or displayName eq "Ann fans"' })).body
    expect(userNames(groupsOnly)).toEqual(['Ann fans'])
  })

  test('a body that is not a SearchRequest is a 400', async () => {
    const { scim } = await seeded()
    for (const body of [{ filter: 'userName pr' }, { schemas: [SEARCH], count: 'ten' }, { schemas: [SEARCH], attributes: 5 }]) {
      expect((await scim.post('/Users/.search', body)).status).toBe(400)
    }
  })
})
