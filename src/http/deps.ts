/** @module What the HTTP layer needs from the rest of the app, as plain values. */
import type { Keyring } from '../auth/keyring'
import type { Logger } from '../log'
import type { ResourceStore } from '../store/resources'

export interface HttpDeps {
  store: ResourceStore
  /** The keyring of the config in force; swapped when the config file changes. */
  keyring(): Keyring
  /** `server.public_url` of the config in force, if set. */
  publicUrl(): string | undefined
  logger: Logger
}
