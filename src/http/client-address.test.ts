import { describe, expect, test } from 'bun:test'
import { testApp, USER } from '../../test/support/app'
import { CidrSet } from '../net/cidr'
import { clientView } from './client-address'

const proxies = new CidrSet(['10.0.0.0/8', 'fd00::/8'])

function view(peer: string | undefined, headers: Record<string, string>) {
  const { client, request } = clientView(new Request('http://127.0.0.1:8080/scim/v2/demo/Users', { headers }), peer, proxies)
  return { client, url: request.url }
}

describe('clientView', () => {
  test('an untrusted peer is the client, and its forwarding headers are ignored', () => {
    const headers = { 'x-forwarded-for': '192.0.2.1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'scim.example.com' }
    expect(view('203.0.113.9', headers)).toEqual({ client: '203.0.113.9', url: 'http://127.0.0.1:8080/scim/v2/demo/Users' })
    expect(clientView(new Request('http://x/', { headers }), '10.0.0.1', new CidrSet([])).client).toBe('10.0.0.1')
  })

  test('behind a trusted proxy: the rightmost untrusted X-Forwarded-For address', () => {
    const cases: [string, string][] = [
      ['192.0.2.1', '192.0.2.1'],
      ['6.6.6.6, 192.0.2.1', '192.0.2.1'], // the client wrote 6.6.6.6 itself
      ['6.6.6.6, 192.0.2.1, 10.0.0.2', '192.0.2.1'], // a second trusted hop
      ['2001:db8::5, fd00::1', '2001:db8::5'],
      ['[2001:db8::5]:4711', '2001:db8::5'],
      ['192.0.2.1:4711', '192.0.2.1'],
      ['10.0.0.3, 10.0.0.2', '10.0.0.3'], // all trusted: the leftmost
      ['', '10.0.0.1'],
      ['192.0.2.1, garbage', '10.0.0.1'], // unparsable: the peer
    ]
    for (const [header, client] of cases) expect({ header, client: view('10.0.0.1', { 'x-forwarded-for': header }).client }).toEqual({ header, client })
    expect(view('::ffff:10.0.0.1', { 'x-forwarded-for': '192.0.2.1' }).client).toBe('192.0.2.1')
    expect(view('10.0.0.1', {}).client).toBe('10.0.0.1')
  })

  test('behind a trusted proxy: the scheme and host it reports make the URL', () => {
    expect(view('10.0.0.1', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'scim.example.com' }).url).toBe('https://scim.example.com/scim/v2/demo/Users')
    expect(view('10.0.0.1', { 'x-forwarded-proto': 'http, https', 'x-forwarded-host': 'a.example, scim.example.com:8443' }).url).toBe(
      'https://scim.example.com:8443/scim/v2/demo/Users',
    )
    expect(view('10.0.0.1', { 'x-forwarded-proto': 'gopher', 'x-forwarded-host': 'bad host/x' }).url).toBe('http://127.0.0.1:8080/scim/v2/demo/Users')
  })

  test('an unknown peer (in memory) is no client', () => {
    expect(view(undefined, { 'x-forwarded-for': '192.0.2.1' }).client).toBeUndefined()
  })
})

describe('server.trusted_proxies through the app', () => {
  const post = (app: ReturnType<typeof testApp>['app'], key: string, peer: string) =>
    app.handle(
      new Request('http://127.0.0.1:8080/scim/v2/alpha/Users', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/scim+json',
          'x-forwarded-for': '192.0.2.44',
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'scim.example.com',
        },
        body: JSON.stringify({ schemas: [USER], userName: `u${Math.random()}` }),
      }),
      peer,
    )

  test('from a trusted proxy, the base URL and the logged client follow the forwarding headers; from anyone else they do not', async () => {
    const { app, config, alpha, logger } = testApp()
    app.applyConfig({ ...config, server: { ...config.server, trusted_proxies: ['10.0.0.0/8'] } })

    const proxied = await post(app, alpha.key, '10.1.2.3')
    expect(proxied.status).toBe(201)
    expect(proxied.headers.get('location')).toStartWith('https://scim.example.com/scim/v2/alpha/Users/')
    expect(logger.lines.at(-1)).toContain('client=192.0.2.44')

    const direct = await post(app, alpha.key, '203.0.113.9')
    expect(direct.headers.get('location')).toStartWith('http://127.0.0.1:8080/scim/v2/alpha/Users/')
    expect(logger.lines.at(-1)).toContain('client=203.0.113.9')
  })

  test('throttling counts the forwarded client, so clients behind one proxy do not lock each other out', async () => {
    const { app, config, alpha } = testApp()
    app.applyConfig({ ...config, server: { ...config.server, trusted_proxies: ['10.0.0.0/8'] } })
    const attempt = (client: string, key: string) =>
      app.handle(new Request('http://localhost/scim/v2/alpha/Users', { headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': client } }), '10.0.0.1')
    for (let i = 0; i < 11; i++) await attempt('192.0.2.1', 'wrong')
    expect((await attempt('192.0.2.1', 'wrong')).status).toBe(429)
    expect((await attempt('192.0.2.2', 'wrong')).status).toBe(401)
    expect((await attempt('192.0.2.1', alpha.key)).status).toBe(200)
  })
})
