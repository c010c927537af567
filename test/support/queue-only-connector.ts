/**
 * @module A test connector that queues like a real one and provisions nothing:
 * writes to its instances are queued and reconciled (with no operation to run),
 * so the commands that show the queue can be tested without a downstream app.
 * The real store-only connector, `directory`, queues nothing at all.
 */
import * as v from 'valibot'
import type { ConnectorDefinition } from '../../src/connector/types'

export const queueOnlyConnector = {
  type: 'queue-only',
  description: 'Test only: queued and reconciled like a connector, provisions nothing.',
  settings: v.strictObject({}),
  capabilities: { users: false, groups: false, import: false },
  create: () => ({
    async apply(operation) {
      throw new Error(`queue-only connector was asked to apply ${operation.type}`)
    },
  }),
} satisfies ConnectorDefinition<object>
