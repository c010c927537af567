/**
 * @module The `buildkite` connector: users become members of a Buildkite
 * organization (invited by email), groups become its teams, through
 * Buildkite's GraphQL API. Settings, token and behaviour: README.md.
 */
import type { HttpClient } from '../../src/connector/http-client'
import type { Connector, ConnectorDefinition, OperationResult, SyncOperation } from '../../src/connector/types'
import { checkAccess } from './access'
import { createGraphqlClient } from './client'
import { createContext } from './context'
import { BUILDKITE_USER_SCHEMA, buildkiteUserExtension } from './extension'
import { listGroups, listUsers } from './import'
import { settingsSchema, type BuildkiteSettings } from './settings'
import { applyGroupOperation } from './teams'
import { applyUserOperation } from './users'

export { checkAccess, REQUIRED_PERMISSIONS, type AccessCheck, type AccessReport } from './access'
export { BuildkiteError } from './client'
export { BUILDKITE_USER_SCHEMA } from './extension'
export type { BuildkiteSettings } from './settings'

export const buildkiteConnector = {
  type: 'buildkite',
  description: 'Buildkite organization members (invited by email) and teams, through the GraphQL API.',
  settings: settingsSchema,
  capabilities: {
    users: true,
    groups: true,
    import: true,
    // Team members are organization members: removing a member takes it out of every team.
    membershipsFollowUsers: true,
    // displayName: the team's name (one list serves users and groups; a user's displayName changes nothing in Buildkite).
    attributes: ['userName', 'emails', 'active', 'displayName', BUILDKITE_USER_SCHEMA],
  },
  schemaExtensions: [buildkiteUserExtension],
  create: (settings, deps) => createBuildkiteConnector(settings, deps),
  /** For `scimify doctor` (not yet part of the SDK): reads the organization and the token owner's permissions, changes nothing. */
  checkAccess,
} satisfies ConnectorDefinition<BuildkiteSettings> & { checkAccess: typeof checkAccess }

/** The connector with its HTTP client (and, for tests, its clock) given. */
export function createBuildkiteConnector(settings: BuildkiteSettings, deps: { http: HttpClient; now?: () => number }): Connector {
  const client = createGraphqlClient({ url: settings.graphql_url, token: settings.token, org: settings.org, http: deps.http })
  const { context, failedOnce } = createContext(client, settings, deps.now)
  return {
    async apply(operation: SyncOperation): Promise<OperationResult> {
      try {
        return operation.type.startsWith('user.')
          ? await applyUserOperation(context, operation as Extract<SyncOperation, { type: `user.${string}` }>)
          : await applyGroupOperation(context, operation as Extract<SyncOperation, { type: `group.${string}` }>)
      } catch (error) {
        failedOnce(operation)
        throw error
      }
    },
    listUsers: () => listUsers(client),
    listGroups: () => listGroups(client),
  }
}
