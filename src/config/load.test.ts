import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { connectors } from '../../connectors'
import { ConnectorRegistry } from '../connector/registry'
import type { ConnectorDefinition } from '../connector/types'
import { formatIssue, loadConfigFile, parseConfig, type ConfigResult } from './load'
import { Secret, secretReference } from './references'

const registry = new ConnectorRegistry(connectors)

// A connector with a secret setting, kept apart from the real ones.
const tokenConnector = {
  type: 'token-app',
  description: 'test connector with a secret',
  settings: v.strictObject({ org: v.string(), token: secretReference() }),
  capabilities: { users: true, groups: true, import: false },
} satisfies ConnectorDefinition
const withGithub = new ConnectorRegistry([...connectors, tokenConnector])

const KEY = { id: '3f9a0c1d2e4b', hash: `sha256:${'a'.repeat(64)}`, created: '2026-01-31T00:00:00Z' }

function issuesOf(result: ConfigResult): string[] {
  if (result.ok) throw new Error('expected the config to be invalid')
  return result.issues.map(formatIssue)
}

describe('parseConfig', () => {
  test('config.example.yaml is valid with the real connectors', () => {
    const text = readFileSync(join(import.meta.dir, '../../config.example.yaml'), 'utf8')
    const result = parseConfig(text, registry)
    expect(result).toEqual({
      ok: true,
      config: {
        server: { audit_retention: '90d', listen: '127.0.0.1:8080', database: './data/scimify.db' },
        instances: [
          {
            id: 'demo',
            name: 'Demo directory',
            enabled: true,
            mode: 'users_and_groups',
            sync: { full_interval: '6h', drift: 'repair', prune_unmanaged: false, import_match: 'email' },
            connector: { type: 'directory', settings: {} },
            keys: [],
            extensions: [
              {
                schema: 'urn:scimify:params:scim:schemas:extension:demo:2.0:User',
                resource: 'User',
                name: 'DemoUser',
                required: false,
                attributes: [
                  { name: 'costCode', type: 'string', multi_valued: false, required: false, case_exact: false, mutability: 'readWrite', returned: 'default' },
                  {
                    name: 'accessLevel',
                    description: 'What the user may do in the app.',
                    type: 'string',
                    multi_valued: true,
                    required: false,
                    case_exact: false,
                    mutability: 'readWrite',
                    returned: 'default',
                    canonical_values: ['viewer', 'editor', 'admin'],
                  },
                ],
              },
            ],
          },
        ],
      },
    })
  })

  test('fills defaults and turns null or missing keys into []', () => {
    const text = `instances:
  - id: a
    connector: { type: directory }
  - id: b
    connector: { type: directory }
    keys:
  - id: c
    connector: { type: directory }
    keys:
      - id: ${KEY.id}
        hash: ${KEY.hash}
        created: ${KEY.created}
`
    const result = parseConfig(text, registry)
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'))
    expect(result.config.server).toEqual({ audit_retention: '90d', listen: '127.0.0.1:8080', database: './scimify.db' })
    expect(result.config.instances.map((instance) => [instance.id, instance.enabled, instance.keys])).toEqual([
      ['a', true, []],
      ['b', true, []],
      ['c', true, [KEY]],
    ])
  })

  test('reports every problem with its path and line, in file order', () => {
    const text = `server:
  listen: nope
instances:
  - id: Demo
    connector:
      typo: 1
  - id: demo
    connector: {type: gitlab}
  - id: demo
    enabled: yes
    connector:
      type: directory
      extra: 1
    keys:
      - id: ${KEY.id}
        created: 2020
      - id: ${KEY.id}
        hash: ${KEY.hash}
        created: ${KEY.created}
`
    expect(issuesOf(parseConfig(text, registry))).toEqual([
      'server.listen: must be "host:port", e.g. "127.0.0.1:8080" (line 2)',
      'instances[0].id: must be lowercase letters, digits, "-" or "_", starting with a letter or digit (it is part of the URL) (line 4)',
      'instances[0].connector.type: is required (line 5)',
      'instances[1].connector.type: unknown connector "gitlab" (line 8)',
      'instances[2].id: duplicate instance id "demo" (line 9)',
      'instances[2].enabled: must be true or false, not "yes" (line 10)',
      'instances[2].connector.extra: unknown key "extra" (line 13)',
      'instances[2].keys[0].hash: is required (line 15)',
      'instances[2].keys[0].created: must be a string, not 2020 (line 16)',
      `instances[2].keys[1].id: duplicate key id "${KEY.id}" (line 17)`,
    ])
  })

  test('the unknown connector message has the documented form', () => {
    const text = 'instances:\n  - id: a\n    connector: { type: directory }\n  - id: b\n    connector:\n      type: gitlab\n'
    expect(issuesOf(parseConfig(text, registry))).toEqual(['instances[1].connector.type: unknown connector "gitlab" (line 6)'])
  })

  test('a missing list or block is reported at its parent', () => {
    expect(issuesOf(parseConfig('server: {}\n', registry))).toEqual(['instances: is required'])
    expect(issuesOf(parseConfig('instances:\n  - id: a\n    name: A\n', registry))).toEqual([
      'instances[0].connector: is required (line 2)',
    ])
  })

  test('YAML syntax errors come with their line and stop validation', () => {
    expect(issuesOf(parseConfig('instances:\n  - id: a\n   connector: 1\n', registry))).toEqual([
      '(yaml): Sequence item without - indicator (line 3)',
    ])
    expect(issuesOf(parseConfig('server: {}\nserver: {}\ninstances: []\n', registry))).toEqual([
      '(yaml): Map keys must be unique (line 2)',
    ])
  })

  test('an empty file says so', () => {
    expect(issuesOf(parseConfig('# nothing yet\n', registry))).toEqual(['(file): is empty; it needs at least an "instances:" list'])
  })

  describe('connector settings', () => {
    const text = 'instances:\n  - id: gh\n    connector:\n      type: token-app\n      org: example\n      token: ${env:GITHUB_TOKEN}\n'

    test('are validated by the connector and resolved against the given env', () => {
      const result = parseConfig(text, withGithub, { GITHUB_TOKEN: 'ghp_s3cret' })
      if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'))
      const settings = result.config.instances[0].connector.settings as { org: string; token: Secret }
      expect(settings.org).toBe('example')
      expect(settings.token).toBeInstanceOf(Secret)
      expect(settings.token.reveal()).toBe('ghp_s3cret')
      expect(JSON.stringify(result.config)).not.toContain('ghp_s3cret')
    })

    test('report their issues under the connector block', () => {
      expect(issuesOf(parseConfig(text, withGithub, {}))).toEqual([
        'instances[0].connector.token: environment variable GITHUB_TOKEN is not set (line 6)',
      ])
      const inline = text.replace('${env:GITHUB_TOKEN}', 'ghp_inline').replace('      org: example\n', '')
      const issues = issuesOf(parseConfig(inline, withGithub, {}))
      expect(issues).toEqual([
        'instances[0].connector.org: is required (line 3)',
        'instances[0].connector.token: must be a ${env:NAME} or ${file:/path} reference, not an inline secret (line 5)',
      ])
      expect(issues.join('\n')).not.toContain('ghp_inline')
    })
  })
})

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimify-load-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('reads and validates a file', () => {
    const path = join(dir, 'config.yaml')
    writeFileSync(path, 'instances:\n  - id: a\n    connector:\n      type: gitlab\n')
    expect(issuesOf(loadConfigFile(path, registry))).toEqual(['instances[0].connector.type: unknown connector "gitlab" (line 4)'])
  })

  test('relative ${file:…} references are relative to the file\'s folder', () => {
    writeFileSync(join(dir, 'token'), 'from-file\n')
    const path = join(dir, 'secret.yaml')
    writeFileSync(path, 'instances:\n  - id: gh\n    connector:\n      type: token-app\n      org: example\n      token: ${file:./token}\n')
    const result = loadConfigFile(path, withGithub, {})
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'))
    expect((result.config.instances[0].connector.settings as { token: Secret }).token.reveal()).toBe('from-file')
  })

  test('a missing file is one issue naming the path', () => {
    const path = join(dir, 'missing.yaml')
    expect(issuesOf(loadConfigFile(path, registry))).toEqual([`(file): cannot read config file ${path}: no such file`])
  })
})

describe('formatIssue', () => {
  test('adds the line only when it is known', () => {
    expect(formatIssue({ path: 'instances[1].connector.type', message: 'unknown connector "gitlab"', line: 14 })).toBe(
      'instances[1].connector.type: unknown connector "gitlab" (line 14)',
    )
    expect(formatIssue({ path: 'instances', message: 'is required' })).toBe('instances: is required')
  })
})
