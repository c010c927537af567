/**
 * @module Schema version 7: the connector type each instance last ran with.
 * A store-only instance queues nothing for the sync engine; when its config
 * gives it a connector that syncs, everything it holds is queued once (see
 * SyncStore.noteConnector).
 */
import type { Migration } from './index'

export const instanceConnectors: Migration = {
  version: 7,
  name: 'instance-connectors',
  up(db) {
    db.exec('CREATE TABLE instance_connectors (instance TEXT PRIMARY KEY, connector_type TEXT NOT NULL, syncs INTEGER NOT NULL) WITHOUT ROWID')
  },
}
