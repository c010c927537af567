/**
 * @module The SDK a connector is written against.
 *
 * A connector lives in `connectors/<name>/index.ts` and exports one
 * `ConnectorDefinition`, checked with `satisfies`. It knows its app's API and
 * nothing of routing or SQLite: the sync engine hands it one operation at a
 * time (the same vocabulary as the webhook events) and records what it
 * answers.
 */
import type { GenericSchema } from 'valibot'
import type { SchemaExtension } from '../scim/schemas/instance'
import type { HttpClient } from './http-client'

export interface ConnectorCapabilities {
  /** The connector provisions users downstream. */
  users: boolean
  /** The connector provisions groups (and their memberships) downstream. */
  groups: boolean
  /** The connector can read the app's existing users and groups (import, drift). */
  import: boolean
  /**
   * Removing a user downstream also drops its group memberships there (as
   * GitHub does with org members and teams): the engine then removes and
   * restores memberships along with deactivation and reactivation.
   */
  membershipsFollowUsers?: boolean
  /**
   * The SCIM attributes the connector writes downstream (top-level names, or
   * a schema URN for a whole extension): a change to any other attribute
   * causes no call. Absent: every attribute matters (the webhook).
   */
  attributes?: readonly string[]
}

/** A SCIM resource as stored: what the IdP wants, as its JSON representation. */
export type ScimResourceJson = Record<string, unknown> & { id: string }

/**
 * One change to make downstream. Each has a stable `id`: the engine records an
 * operation before it runs it and hands the same id and payload again after a
 * failure or a crash, so an app that remembers ids (a webhook receiver, an
 * idempotency key) applies it once.
 */
export type SyncOperation = { id: string; time: string } & (
  | { type: 'user.created' | 'user.updated' | 'user.deactivated' | 'user.reactivated'; resource: ScimResourceJson; link?: DownstreamLink }
  | { type: 'user.deleted'; resource: ScimResourceJson; link?: DownstreamLink }
  | { type: 'group.created' | 'group.updated'; resource: ScimResourceJson; link?: DownstreamLink }
  | { type: 'group.deleted'; resource: ScimResourceJson; link?: DownstreamLink }
  | {
      type: 'group.member_added' | 'group.member_removed'
      /** The group: id and displayName. */
      resource: ScimResourceJson
      link?: DownstreamLink
      /** The member's SCIM id, and its downstream link when it has one. */
      member: { value: string; link?: DownstreamLink; resource?: ScimResourceJson }
    }
)

export type SyncOperationType = SyncOperation['type']

/** What scimify remembers about a resource's counterpart downstream. */
export interface DownstreamLink {
  /** The app's id for it (a login, a team slug, a numeric id…). */
  id: string
  /** Anything else the connector wants back next time (e.g. a pending invitation id). */
  data?: Record<string, unknown>
}

/** The outcome of one operation: the link to keep (or none, when the object is gone downstream). */
export interface OperationResult {
  link?: DownstreamLink | null
}

/** A downstream object found by listing the app (import and drift checks). */
export interface DownstreamObject {
  link: DownstreamLink
  /** Values to match SCIM resources on: userName, emails, displayName. */
  userName?: string
  emails?: string[]
  displayName?: string
  /** For groups: the downstream ids of the members. */
  memberIds?: string[]
}

export interface ConnectorDeps {
  /** HTTP with timeouts; 429/503 with retry-after and 5xx become RetryableError. */
  http: HttpClient
  /** The instance this connector serves (for messages and event bodies). */
  instance: string
}

/** A running connector for one instance. */
export interface Connector {
  /** Makes one change downstream. Throw RetryableError to retry, any other error counts as a failure. */
  apply(operation: SyncOperation): Promise<OperationResult>
  /** Lists the app's users (capabilities.import). */
  listUsers?(): Promise<DownstreamObject[]>
  /** Lists the app's groups (capabilities.import). */
  listGroups?(): Promise<DownstreamObject[]>
}

export interface ConnectorDefinition<Settings = unknown> {
  /** The value of `connector.type` in the config file. */
  type: string
  /** One line for `--help`, `config check` and docs. */
  description: string
  /**
   * Valibot schema for the connector's settings: every key of the `connector:`
   * block except `type`. Secret settings must be `${env:…}`/`${file:…}`
   * references; use `secretReference()` from src/config for them.
   */
  settings: GenericSchema<unknown, Settings>
  capabilities: ConnectorCapabilities
  /**
   * SCIM schema extensions the connector reads, such as a GitHub login,
   * advertised in /Schemas and /ResourceTypes of its instances.
   */
  schemaExtensions?: SchemaExtension[]
  /** Starts the connector for one instance; absent for a store-only connector. */
  create?(settings: Settings, deps: ConnectorDeps): Connector
  /**
   * For `scimify doctor`: can these credentials reach the app and do what the
   * connector does there? Must change nothing downstream; may throw.
   */
  checkAccess?(settings: Settings, deps: ConnectorDeps): Promise<AccessReport>
}

/** What `checkAccess` found: one line per check, with a fix for each that failed. */
export interface AccessReport {
  ok: boolean
  checks: { name: string; ok: boolean; detail: string; fix?: string }[]
}
