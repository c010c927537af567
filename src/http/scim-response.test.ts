import { describe, expect, test } from 'bun:test'
import { instanceBaseUrl } from './scim-response'

describe('instanceBaseUrl', () => {
  test('public_url first, trailing slashes dropped; the instance id encoded', () => {
    const request = new Request('http://127.0.0.1:8080/scim/v2/demo/Users')
    expect(instanceBaseUrl(request, 'https://scim.example.com//', 'a b')).toBe('https://scim.example.com/scim/v2/a%20b')
  })

  test("else the request's origin, the same as the URL standard's for every URL a request can have", () => {
    const urls = [
      'http://localhost/scim/v2/demo/Users',
      'http://127.0.0.1:8080/scim/v2/demo/Users?filter=userName%20eq%20%22a%22',
      'https://[::1]:8443/scim/v2/demo',
      'http://user:secret@host.example:9000/p',
      'http://HOST.Example:80/x#frag',
      'https://host.example',
      'http://host.example?x=1',
    ]
    for (const url of urls) {
      const request = new Request(url)
      expect(instanceBaseUrl(request, undefined, 'demo')).toBe(`${new URL(request.url).origin}/scim/v2/demo`)
    }
  })
})
