import { describe, expect, test } from 'bun:test'
import { connectors } from '../../connectors'
import { ConnectorRegistry } from '../connector/registry'
import { formatIssue, parseConfig, type ConfigResult } from './load'

const registry = new ConnectorRegistry(connectors)
const withServer = (block: string) => `server:\n${block}instances:\n  - id: demo\n    connector:\n      type: directory\n`

function issuesOf(result: ConfigResult): string[] {
  if (result.ok) throw new Error('expected the config to be invalid')
  return result.issues.map(formatIssue)
}

describe('server.limits, server.trusted_proxies, server.tls', () => {
  test('are optional: unset, the defaults apply in code', () => {
    const result = parseConfig('instances: []\n', registry)
    if (!result.ok) throw new Error(JSON.stringify(result.issues))
    expect([result.config.server.limits, result.config.server.trusted_proxies, result.config.server.tls]).toEqual([undefined, undefined, undefined])
  })

  test('valid values are kept as written', () => {
    const result = parseConfig(
      withServer(
        '  limits:\n    max_body_bytes: 2097152\n    request_timeout: 45s\n    max_concurrent: 64\n  trusted_proxies: [10.0.0.0/8, "fd00::/8", 127.0.0.1]\n  tls:\n    cert: ./cert.pem\n    key: ./key.pem\n',
      ),
      registry,
    )
    if (!result.ok) throw new Error(JSON.stringify(result.issues))
    expect(result.config.server).toMatchObject({
      limits: { max_body_bytes: 2097152, request_timeout: '45s', max_concurrent: 64 },
      trusted_proxies: ['10.0.0.0/8', 'fd00::/8', '127.0.0.1'],
      tls: { cert: './cert.pem', key: './key.pem' },
    })
  })

  test('each invalid value is reported at its path', () => {
    const issues = issuesOf(
      parseConfig(
        withServer('  limits:\n    max_body_bytes: 10\n    request_timeout: 0s\n    max_concurrent: 1.5\n  trusted_proxies: [10.0.0.0/33, proxy.example]\n  tls:\n    cert: ./cert.pem\n'),
        registry,
      ),
    ).join('\n')
    expect(issues).toContain('server.limits.max_body_bytes: must be at least 1024')
    expect(issues).toContain('server.limits.request_timeout: must be a whole number above 0')
    expect(issues).toContain('server.limits.max_concurrent: must be a whole number')
    expect(issues).toContain('server.trusted_proxies[0]: must be an address or a CIDR range')
    expect(issues).toContain('server.trusted_proxies[1]: must be an address or a CIDR range')
    expect(issues).toContain('server.tls.key')
  })
})
