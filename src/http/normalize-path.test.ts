import { describe, expect, test } from 'bun:test'
import { normalizeRequestPath } from './normalize-path'

const cases: [string, string][] = [
  ['/scim/v2/demo/users', '/scim/v2/demo/Users'],
  ['/scim/v2/demo/USERS/abc', '/scim/v2/demo/USERS/abc'.replace('USERS', 'Users')],
  ['/scim/v2/demo/Users/', '/scim/v2/demo/Users'],
  ['/scim/v2/demo/groups/Id-With-Case/', '/scim/v2/demo/Groups/Id-With-Case'],
  ['/scim/v2/demo/serviceproviderconfig', '/scim/v2/demo/ServiceProviderConfig'],
  ['/scim/v2/demo/users/.SEARCH', '/scim/v2/demo/Users/.search'],
  ['/scim/v2/Demo/Users', '/scim/v2/Demo/Users'],
  ['/healthz', '/healthz'],
  ['/scim/v2/demo/unknownthing', '/scim/v2/demo/unknownthing'],
]

describe('normalizeRequestPath', () => {
  for (const [input, expected] of cases) {
    test(`${input} → ${expected}`, () => {
      expect(new URL(normalizeRequestPath(new Request(`http://localhost${input}?filter=x&`)).url).pathname).toBe(expected)
    })
  }

  test('keeps method, headers, body and query', async () => {
    const original = new Request('http://localhost/scim/v2/demo/users/?', { method: 'POST', headers: { authorization: 'Bearer x' }, body: '{"a":1}' })
    const normalized = normalizeRequestPath(original)
    expect(normalized.method).toBe('POST')
    expect(normalized.headers.get('authorization')).toBe('Bearer x')
    expect(await normalized.text()).toBe('{"a":1}')
  })
})
