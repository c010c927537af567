/** @module What the HTTP layer needs from the rest of the app, as plain values. */
import type { Keyring } from '../auth/keyring'
import type { Logger } from '../log'
import type { AuditLog } from '../store/audit'
import type { InstanceSchemas } from '../scim/schemas/instance'
import type { ResourceStore } from '../store/resources'

export interface HttpDeps {
  store: ResourceStore
  /** The keyring of the config in force; swapped when the config file changes. */
  keyring(): Keyring
  /** `server.public_url` of the config in force, if set. */
  publicUrl(): string | undefined
  /** The resource types and schemas of an instance of the config in force. */
  schemas(instance: string): InstanceSchemas
  logger: Logger
  /** Where SCIM writes are recorded; absent in tests that do not need it. */
  audit?: AuditLog
}
