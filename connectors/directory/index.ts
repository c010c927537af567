/**
 * @module The `directory` connector: store only. scimify keeps the state the
 * identity provider writes and changes nothing downstream. Useful as a SCIM
 * directory of its own, for trying scimify out, and as the demo instance.
 */
import * as v from 'valibot'
import type { ConnectorDefinition } from '../../src/connector/types'

export const directoryConnector = {
  type: 'directory',
  description: 'Store only: keeps users and groups in scimify and changes nothing downstream.',
  settings: v.strictObject({}),
  capabilities: { users: false, groups: false, import: false },
} satisfies ConnectorDefinition<object>
