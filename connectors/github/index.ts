/**
 * @module The `github` connector: users become members of a GitHub
 * organization (by invitation), groups become its teams. Settings, the
 * permissions it needs and what is synced: README.md.
 */
import type { HttpClient } from '../../src/connector/http-client'
import type { Connector, ConnectorDefinition, SyncOperation } from '../../src/connector/types'
import { tokenSourceFor } from './auth'
import { createGithubClient } from './client'
import { GITHUB_USER_SCHEMA, githubUserExtension } from './extension'
import { listGroups, listUsers } from './import'
import type { Org } from './org'
import { githubSettings, type GithubSettings } from './settings'
import { applyGroupOperation } from './teams'
import { applyUserOperation, type UserOperation } from './users'

import { checkAccess } from './access'
export { checkAccess, type AccessCheck, type AccessReport } from './access'
export { signAppJwt } from './auth'
export { GITHUB_USER_SCHEMA } from './extension'
export type { GithubSettings } from './settings'

/** How long a team membership waits before looking at its member's pending invitation again. */
const PENDING_RECHECK_MS = 10 * 60 * 1000

export const githubConnector = {
  type: 'github',
  description: 'Users become members of a GitHub organization (by invitation), groups become its teams.',
  settings: githubSettings,
  capabilities: {
    users: true,
    groups: true,
    import: true,
    membershipsFollowUsers: true,
    attributes: ['active', 'displayName', 'emails', GITHUB_USER_SCHEMA],
  },
  schemaExtensions: [githubUserExtension],
  create: (settings, deps) => createGithubConnector(settings, deps),
  checkAccess: (settings, deps) => checkAccess(settings, deps),
} satisfies ConnectorDefinition<GithubSettings>

export interface GithubConnectorDeps {
  http: HttpClient
  now?: () => number
  /** Tests shorten it. */
  pendingRecheckMs?: number
}

/** The connector with its clock and timing given (tests pass their own). */
export function createGithubConnector(settings: GithubSettings, deps: GithubConnectorDeps): Connector {
  const now = deps.now ?? Date.now
  const github = createGithubClient({ apiUrl: settings.api_url, http: deps.http, auth: tokenSourceFor(settings, deps.http, now), now })
  const org: Org = { name: settings.org, github }
  return {
    apply(operation: SyncOperation) {
      if (isUserOperation(operation)) return applyUserOperation(org, operation, now())
      return applyGroupOperation(org, operation, { pendingRecheckMs: deps.pendingRecheckMs ?? PENDING_RECHECK_MS, now: now() })
    },
    listUsers: () => listUsers(org),
    listGroups: () => listGroups(org),
  }
}

function isUserOperation(operation: SyncOperation): operation is UserOperation {
  return operation.type.startsWith('user.')
}
