/**
 * @module Schema version 3: the sync engine's durable state — the queue of
 * dirty resources, the links to their downstream counterparts, the journal of
 * operations planned but not yet confirmed, and the audit log.
 */
import type { Migration } from './index'

export const sync: Migration = {
  version: 3,
  name: 'sync',
  up(db) {
    db.exec(`
      -- Level-triggered queue: one row per resource whose downstream state may
      -- differ from what the IdP wants. Writes bump "generation"; a worker
      -- removes the row only if the generation it reconciled is still current.
      CREATE TABLE sync_queue (
        instance      TEXT    NOT NULL,
        resource_type TEXT    NOT NULL,
        resource_id   TEXT    NOT NULL,
        generation    INTEGER NOT NULL,
        due_at        INTEGER NOT NULL, -- ms since the epoch
        attempts      INTEGER NOT NULL DEFAULT 0,
        last_error    TEXT,
        PRIMARY KEY (instance, resource_type, resource_id)
      ) WITHOUT ROWID;
      CREATE INDEX sync_queue_due ON sync_queue (due_at);

      -- What scimify knows of each resource downstream. Outlives the SCIM
      -- resource until the downstream delete is confirmed.
      CREATE TABLE sync_links (
        instance       TEXT    NOT NULL,
        resource_type  TEXT    NOT NULL,
        resource_id    TEXT    NOT NULL,
        downstream_id  TEXT,            -- null: not (yet) downstream
        downstream     TEXT,            -- JSON: the connector's link data
        applied        TEXT,            -- JSON: the state last applied downstream, for planning
        status         TEXT    NOT NULL, -- synced | pending | failed
        last_error     TEXT,
        synced_at      TEXT,
        PRIMARY KEY (instance, resource_type, resource_id)
      ) WITHOUT ROWID;

      -- Operations planned and not yet confirmed, replayed with the same id and
      -- payload after a failure or a crash.
      CREATE TABLE sync_operations (
        id            TEXT    PRIMARY KEY,
        instance      TEXT    NOT NULL,
        resource_type TEXT    NOT NULL,
        resource_id   TEXT    NOT NULL,
        seq           INTEGER NOT NULL,
        operation     TEXT    NOT NULL, -- JSON SyncOperation
        applied_after TEXT              -- JSON: the applied state once it succeeds
      );
      CREATE INDEX sync_operations_resource ON sync_operations (instance, resource_type, resource_id, seq);

      CREATE TABLE audit_log (
        seq       INTEGER PRIMARY KEY,
        time      TEXT NOT NULL,
        instance  TEXT NOT NULL,
        actor     TEXT NOT NULL, -- "key:<id>" for SCIM calls, "sync" for downstream operations
        action    TEXT NOT NULL, -- e.g. "POST /Users", "user.created"
        target    TEXT,          -- the resource id
        result    TEXT NOT NULL  -- an HTTP status, "ok", or "error: …"
      );
      CREATE INDEX audit_log_instance_time ON audit_log (instance, time);
    `)
  },
}
