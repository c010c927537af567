/**
 * @module Schema version 10: the audit log by time alone. Pruning
 * (`server.audit_retention`, hourly and at start) deletes by time across
 * instances; with only the (instance, time) index it read the whole log,
 * about 100 ms before the first answer with a few hundred thousand entries.
 */
import type { Migration } from './index'

export const auditTimeIndex: Migration = {
  version: 10,
  name: 'audit-time-index',
  up(db) {
    db.exec('CREATE INDEX audit_log_time ON audit_log (time)')
  },
}
