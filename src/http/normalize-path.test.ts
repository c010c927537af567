import { describe, expect, test } from 'bun:test'
import { normalizeRequestPath, pathnameOf } from './normalize-path'

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

/** The first implementation (a split of every path), which the faster one must agree with. */
function reference(pathname: string): string {
  const canonical = new Map(['Users', 'Groups', 'ServiceProviderConfig', 'ResourceTypes', 'Schemas', 'Bulk', '.search'].map((name) => [name.toLowerCase(), name]))
  const parts = pathname.split('/')
  if (parts[1] !== 'scim' || parts[2] !== 'v2' || parts.length < 5) return pathname
  const normalized = parts.map((part, index) => (index === 4 || (index === 5 && part.toLowerCase() === '.search') ? (canonical.get(part.toLowerCase()) ?? part) : part))
  if (normalized.length > 5 && normalized.at(-1) === '') normalized.pop()
  return normalized.join('/')
}

test('normalizeRequestPath agrees with a plain split of the path on every mix of segments', () => {
  const segments = ['scim', 'v2', 'demo', 'Users', 'users', 'USERS', '.search', '.Search', 'Bulk', 'unknown', 'ab', '']
  let paths = ['/scim/v2']
  for (let depth = 0; depth < 4; depth++) paths = [...paths, ...paths.flatMap((path) => segments.map((segment) => `${path}/${segment}`))]
  for (const path of [...new Set(paths)]) {
    const request = new Request(`http://localhost${path}?q`)
    expect({ path, normalized: new URL(normalizeRequestPath(request).url).pathname }).toEqual({ path, normalized: reference(new URL(request.url).pathname) })
  }
})

describe('pathnameOf', () => {
  const urls = [
    'http://localhost/scim/v2/demo/Users/abc?attributes=userName',
    'https://example.com:8443/scim/v2/demo/Users#top',
    'http://localhost/a?b#c',
    'http://localhost/a#b?c',
    'http://localhost/',
    'http://localhost',
    'http://[::1]:8080/healthz',
    'http://user:p%2Fa%3Fss@host/x/y?z',
    'http://localhost/%C3%A9/a%20b/..%2F',
    'http://localhost//double//slashes/',
    'file:///etc/hosts',
  ]
  for (const url of urls) {
    test(url, () => {
      // As a request holds it: serialized.
      const serialized = new Request(url).url
      expect(pathnameOf(serialized)).toBe(new URL(serialized).pathname)
    })
  }

  test('a path that is already normal keeps its request', () => {
    const request = new Request('http://localhost/scim/v2/demo/Users/abc?x=1')
    expect(normalizeRequestPath(request)).toBe(request)
  })
})
