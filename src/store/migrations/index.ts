/**
 * @module Forward-only, numbered migrations, applied in one transaction at
 * start and recorded in `_migrations`. Add a migration by appending to the
 * list; never edit one that has shipped.
 */
import type { Database } from 'bun:sqlite'
import { initial } from './001-initial'
import { memberDisplay } from './002-member-display'
import { sync } from './003-sync'
import { foldedData } from './004-folded-data'
import { syncRuns } from './005-sync-runs'
import { queueClaims } from './006-queue-claims'
import { instanceConnectors } from './007-instance-connectors'
import { resourceCounts } from './008-resource-counts'
import { plainUserNameIndex } from './009-plain-user-name-index'
import { auditTimeIndex } from './010-audit-time-index'
import { foldedNames } from './011-folded-names'
import { normalForm } from './012-normal-form'

export interface Migration {
  version: number
  name: string
  up(db: Database): void
}

export const migrations: readonly Migration[] = [initial, memberDisplay, sync, foldedData, syncRuns, queueClaims, instanceConnectors, resourceCounts, plainUserNameIndex, auditTimeIndex, foldedNames, normalForm]

export function migrate(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)')
  const applied = new Set(db.query<{ version: number }, []>('SELECT version FROM _migrations').all().map((row) => row.version))
  const newest = Math.max(0, ...applied)
  const latestKnown = migrations.at(-1)?.version ?? 0
  if (newest > latestKnown) {
    throw new Error(`the database was written by a newer scimify (schema version ${newest}; this build knows ${latestKnown})`)
  }
  const record = db.prepare('INSERT INTO _migrations (version, name, applied_at) VALUES (?, ?, ?)')
  db.transaction(() => {
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue
      migration.up(db)
      record.run(migration.version, migration.name, new Date().toISOString())
    }
  })()
}
