/**
 * @module The SDK a connector is written against.
 * A connector lives in `connectors/<name>/index.ts` and exports one
 * `ConnectorDefinition`, checked with `satisfies`. It knows its app's API and
 * nothing of routing or SQLite. The sync engine (a later issue) adds the
 * operations; for now a definition names itself, validates its settings and
 * says what it can do.
 */
import type { GenericSchema } from 'valibot'
import type { SchemaExtension } from '../scim/schemas/instance'

export interface ConnectorCapabilities {
  /** The connector provisions users downstream. */
  users: boolean
  /** The connector provisions groups (and their memberships) downstream. */
  groups: boolean
  /** The connector can read the app's existing users and groups. */
  import: boolean
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
}
