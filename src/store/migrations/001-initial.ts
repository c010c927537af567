/** @module Schema version 1: resources, their indexed values and group memberships. */
import type { Migration } from './index'

export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      -- One row per SCIM resource. "seq" gives a stable order for paging and
      -- a compact key for the tables below; "id" is the SCIM id (a UUID).
      CREATE TABLE resources (
        seq           INTEGER PRIMARY KEY,
        instance      TEXT    NOT NULL,
        type          TEXT    NOT NULL CHECK (type IN ('User', 'Group')),
        id            TEXT    NOT NULL,
        -- Lower-cased copies of the attributes that filters look up most:
        -- userName is unique per instance regardless of case (RFC 7643 §4.1).
        user_name_key TEXT,
        display_key   TEXT,
        external_id   TEXT,
        active        INTEGER,
        data          TEXT    NOT NULL, -- canonical JSON without id, meta, members, groups
        version       INTEGER NOT NULL,
        created       TEXT    NOT NULL,
        last_modified TEXT    NOT NULL
      );
      CREATE UNIQUE INDEX resources_id ON resources (instance, id);
      CREATE UNIQUE INDEX resources_user_name ON resources (instance, user_name_key) WHERE type = 'User';
      CREATE INDEX resources_by_type ON resources (instance, type);
      CREATE INDEX resources_display ON resources (instance, type, display_key);
      CREATE INDEX resources_external_id ON resources (instance, type, external_id);

      -- Values of multi-valued attributes that filters look up (emails.value),
      -- lower-cased, so "emails.value eq" is an index lookup.
      CREATE TABLE resource_values (
        resource_seq INTEGER NOT NULL REFERENCES resources (seq) ON DELETE CASCADE,
        attribute    TEXT    NOT NULL,
        value        TEXT    NOT NULL
      );
      CREATE INDEX resource_values_lookup ON resource_values (attribute, value);
      CREATE INDEX resource_values_resource ON resource_values (resource_seq);

      CREATE TABLE group_members (
        group_seq  INTEGER NOT NULL REFERENCES resources (seq) ON DELETE CASCADE,
        member_seq INTEGER NOT NULL REFERENCES resources (seq) ON DELETE CASCADE,
        PRIMARY KEY (group_seq, member_seq)
      ) WITHOUT ROWID;
      CREATE INDEX group_members_member ON group_members (member_seq);

      -- One row that /healthz rewrites to prove the database takes writes.
      CREATE TABLE _health (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at TEXT NOT NULL);
    `)
  },
}
