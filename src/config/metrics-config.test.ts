import { describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectors } from '../../connectors'
import { ConnectorRegistry } from '../connector/registry'
import { formatIssue, parseConfig, type ConfigResult } from './load'
import { Secret } from './references'

const registry = new ConnectorRegistry(connectors)
const withMetrics = (block: string) => `server:\n  metrics:\n${block}instances:\n  - id: demo\n    connector:\n      type: directory\n`

function issuesOf(result: ConfigResult): string[] {
  if (result.ok) throw new Error('expected the config to be invalid')
  return result.issues.map(formatIssue)
}

describe('server.metrics', () => {
  test('is optional: without it, nothing about metrics is set', () => {
    const result = parseConfig('instances: []\n', registry)
    expect(result.ok && result.config.server.metrics).toBeUndefined()
  })

  test('listen is host:port; token is a reference resolved against the given environment and folder', () => {
    const env = parseConfig(withMetrics('    listen: 127.0.0.1:9464\n    token: ${env:SCIMIFY_METRICS_TOKEN}\n'), registry, { SCIMIFY_METRICS_TOKEN: 'tok-1' })
    if (!env.ok) throw new Error(JSON.stringify(env.issues))
    expect(env.config.server.metrics?.listen).toBe('127.0.0.1:9464')
    expect(env.config.server.metrics?.token).toBeInstanceOf(Secret)
    expect(env.config.server.metrics?.token?.reveal()).toBe('tok-1')
    expect(JSON.stringify(env.config)).not.toContain('tok-1')

    const dir = mkdtempSync(join(tmpdir(), 'scimify-metrics-'))
    writeFileSync(join(dir, 'metrics-token'), 'tok-2\n')
    const file = parseConfig(withMetrics('    token: ${file:metrics-token}\n'), registry, {}, dir)
    expect(file.ok && file.config.server.metrics?.token?.reveal()).toBe('tok-2')
  })

  test('an inline token, a missing variable, a bad address and an unknown key are reported with their lines', () => {
    expect(issuesOf(parseConfig(withMetrics('    token: hunter2\n'), registry, {}))).toEqual([
      'server.metrics.token: must be a ${env:NAME} or ${file:/path} reference, not an inline secret (line 3)',
    ])
    expect(issuesOf(parseConfig(withMetrics('    token: ${env:NOPE}\n'), registry, {}))).toEqual([
      'server.metrics.token: environment variable NOPE is not set (line 3)',
    ])
    expect(issuesOf(parseConfig(withMetrics('    listen: localhost\n'), registry, {}))).toEqual([
      'server.metrics.listen: must be "host:port", e.g. "127.0.0.1:8080" (line 3)',
    ])
    expect(issuesOf(parseConfig(withMetrics('    path: /prom\n'), registry, {}))[0]).toMatch(/^server\.metrics.*path/)
  })
})
