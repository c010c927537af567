/**
 * @module Test helpers: an app on a fresh in-memory database with two
 * instances and a key for each, and a small client for SCIM calls.
 */
import { createApp, type App } from '../../src/app'
import { generateApiKey } from '../../src/auth/api-key'
import type { Config, InstanceConfig } from '../../src/config/schema'
import { memoryLogger } from '../../src/log'

export interface TestInstance {
  id: string
  key: string
  keyId: string
}

export function testInstanceConfig(id: string, key = generateApiKey(), extra: Partial<InstanceConfig> = {}): InstanceConfig {
  return {
    id,
    name: `Test ${id}`,
    enabled: true,
    mode: 'users_and_groups',
    sync: { full_interval: '6h', drift: 'repair', prune_unmanaged: false, import_match: 'email' },
    connector: { type: 'directory', settings: {} },
    keys: [{ id: key.id, name: 'test', hash: key.hash, created: new Date().toISOString() }],
    extensions: [],
    ...extra,
  } as InstanceConfig
}

/** `alpha` may be given more settings (e.g. extensions); `beta` is plain. `server` settings join the defaults. */
export function testApp(alphaSettings: Partial<InstanceConfig> = {}, server: Partial<Config['server']> = {}) {
  const keyA = generateApiKey()
  const keyB = generateApiKey()
  const config: Config = {
    server: { listen: '127.0.0.1:0', database: ':memory:', audit_retention: '90d', ...server },
    instances: [testInstanceConfig('alpha', keyA, alphaSettings), testInstanceConfig('beta', keyB)],
  }
  const logger = memoryLogger()
  const app = createApp(config, { databasePath: ':memory:', logger })
  const alpha: TestInstance = { id: 'alpha', key: keyA.secret, keyId: keyA.id }
  const beta: TestInstance = { id: 'beta', key: keyB.secret, keyId: keyB.id }
  return { app, config, logger, alpha, beta, client: (instance: TestInstance) => scimClient(app, instance) }
}

export interface ScimResult {
  status: number
  headers: Headers
  body: any
}

export function scimClient(app: App, instance: TestInstance) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimResult> => {
    const response = await app.handle(
      new Request(`http://localhost/scim/v2/${instance.id}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${instance.key}`,
          ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    )
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined }
  }
  return {
    call,
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
    put: (path: string, body: unknown) => call('PUT', path, body),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    delete: (path: string) => call('DELETE', path),
  }
}

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

export function newUser(userName: string, extra: Record<string, unknown> = {}) {
  return { schemas: [USER], userName, name: { givenName: 'Ann', familyName: 'Lee' }, emails: [{ value: `${userName}@example.com`, type: 'work', primary: true }], active: true, ...extra }
}
