/**
 * @module A stateful fake downstream app for engine tests: it applies sync
 * operations to in-memory users and groups, lists them for import and drift
 * checks, and can be changed "by hand" like a real app.
 */
import * as v from 'valibot'
import { connectors } from '../../connectors'
import { createApp } from '../../src/app'
import { generateApiKey } from '../../src/auth/api-key'
import type { Config, InstanceConfig } from '../../src/config/schema'
import { RetryableError } from '../../src/connector/errors'
import { ConnectorRegistry } from '../../src/connector/registry'
import type { ConnectorDefinition, DownstreamObject, SyncOperation } from '../../src/connector/types'
import { memoryLogger } from '../../src/log'
import { scimClient } from './app'

export interface FakeUser {
  userName: string
  emails: string[]
  active: boolean
}

export function fakeDownstreamApp() {
  let next = 1
  const users = new Map<string, FakeUser>()
  const groups = new Map<string, { displayName: string; members: Set<string> }>()
  const applied: SyncOperation[] = []
  const control = { failWhen: (_op: SyncOperation): boolean => false }

  function apply(op: SyncOperation) {
    if (control.failWhen(op)) throw new RetryableError('the app is down')
    applied.push(op)
    const id = op.link?.id
    switch (op.type) {
      case 'user.created': {
        const newId = `u${next++}`
        users.set(newId, { userName: String(op.resource.userName), emails: emailsOf(op.resource), active: true })
        return { link: { id: newId } }
      }
      case 'user.updated':
      case 'user.deactivated':
      case 'user.reactivated':
        if (id && users.has(id)) users.set(id, { ...users.get(id)!, active: op.type !== 'user.deactivated', userName: String(op.resource.userName) })
        return {}
      case 'user.deleted':
        if (id) users.delete(id)
        for (const group of groups.values()) if (id) group.members.delete(id)
        return { link: null }
      case 'group.created': {
        const newId = `g${next++}`
        groups.set(newId, { displayName: String(op.resource.displayName), members: new Set() })
        return { link: { id: newId } }
      }
      case 'group.updated':
        if (id && groups.has(id)) groups.get(id)!.displayName = String(op.resource.displayName)
        return {}
      case 'group.deleted':
        if (id) groups.delete(id)
        return { link: null }
      case 'group.member_added':
        if (id && op.member.link) groups.get(id)?.members.add(op.member.link.id)
        return {}
      case 'group.member_removed':
        if (id && op.member.link) groups.get(id)?.members.delete(op.member.link.id)
        return {}
    }
  }

  const definition = {
    type: 'fake-app',
    description: 'an in-memory app for tests',
    settings: v.strictObject({}),
    capabilities: { users: true, groups: true, import: true },
    create: () => ({
      apply: async (op: SyncOperation) => apply(op),
      listUsers: async (): Promise<DownstreamObject[]> =>
        [...users].map(([id, user]) => ({ link: { id }, userName: user.userName, emails: user.emails })),
      listGroups: async (): Promise<DownstreamObject[]> =>
        [...groups].map(([id, group]) => ({ link: { id }, displayName: group.displayName, memberIds: [...group.members] })),
    }),
  } satisfies ConnectorDefinition<object>

  /** Adds a user by hand, as an admin would in the app. */
  function addUserByHand(user: FakeUser): string {
    const id = `u${next++}`
    users.set(id, user)
    return id
  }

  function addGroupByHand(displayName: string, members: string[] = []): string {
    const id = `g${next++}`
    groups.set(id, { displayName, members: new Set(members) })
    return id
  }

  return { definition, users, groups, applied, control, addUserByHand, addGroupByHand }
}

function emailsOf(resource: Record<string, unknown>): string[] {
  return Array.isArray(resource.emails) ? resource.emails.map((e) => String((e as { value: unknown }).value)) : []
}

/** A config with one instance `alpha` on the given connector type, and its key. */
export function configWithConnector(type: string, sync: Partial<InstanceConfig['sync']> = {}) {
  const key = generateApiKey()
  const instance = {
    id: 'alpha',
    enabled: true,
    mode: 'users_and_groups',
    sync: { full_interval: '0s', drift: 'repair', prune_unmanaged: false, import_match: 'email', ...sync },
    connector: { type, settings: {} },
    keys: [{ id: key.id, hash: key.hash, created: new Date().toISOString() }],
    extensions: [],
  } as InstanceConfig
  const config: Config = { server: { listen: '127.0.0.1:0', database: ':memory:', audit_retention: '90d' }, instances: [instance] }
  return { config, key }
}

/**
 * An app on a fresh in-memory database whose instance `alpha` uses
 * `definition`, with a fast engine backoff, a SCIM client and `settle()`,
 * which runs the engine until the queue is empty (bounded).
 */
export function appWithConnector(
  definition: ConnectorDefinition<object>,
  sync: Partial<InstanceConfig['sync']> = {},
  backoff = { baseMs: 1, capMs: 5, failedAfter: 3 },
) {
  const { config, key } = configWithConnector(definition.type, sync)
  const logger = memoryLogger()
  const app = createApp(config, {
    databasePath: ':memory:',
    logger,
    registry: new ConnectorRegistry([...connectors, definition]),
    syncBackoff: backoff,
  })
  const scim = scimClient(app, { id: 'alpha', key: key.secret, keyId: key.id })
  const settle = async () => {
    for (let i = 0; i < 200 && app.syncState.queueLength('alpha') > 0; i++) {
      await app.sync.runDue('alpha')
      await Bun.sleep(2)
    }
  }
  return { app, scim, settle, logger }
}
