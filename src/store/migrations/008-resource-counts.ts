/**
 * @module Schema version 8: how many users and groups each instance has,
 * kept by triggers, so an unfiltered list's totalResults is one row read
 * instead of a count over every resource of the instance.
 */
import type { Migration } from './index'

export const resourceCounts: Migration = {
  version: 8,
  name: 'resource-counts',
  up(db) {
    db.exec(`
      CREATE TABLE resource_counts (
        instance TEXT    NOT NULL,
        type     TEXT    NOT NULL,
        n        INTEGER NOT NULL,
        PRIMARY KEY (instance, type)
      ) WITHOUT ROWID;
      INSERT INTO resource_counts (instance, type, n) SELECT instance, type, count(*) FROM resources GROUP BY instance, type;
      CREATE TRIGGER resource_counts_insert AFTER INSERT ON resources BEGIN
        INSERT INTO resource_counts (instance, type, n) VALUES (new.instance, new.type, 1)
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER resource_counts_delete AFTER DELETE ON resources BEGIN
        UPDATE resource_counts SET n = n - 1 WHERE instance = old.instance AND type = old.type;
      END;
    `)
  },
}
