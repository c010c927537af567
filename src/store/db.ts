/**
 * @module Opens the SQLite database with the settings scimify relies on and
 * applies migrations. Nothing opens a database at import time.
 */
import { Database } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { migrate } from './migrations'

/** `normal`: an answered write survives a crash of the process; `full`: also a power loss (config `server.durability`). */
export type Durability = 'normal' | 'full'

export function openDatabase(path: string, durability: Durability = 'normal'): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path, { create: true, strict: true })
  try {
    // WAL: readers never block the writer. synchronous=NORMAL: a commit survives
    // a crash of the process (SIGKILL) and is lost only on power loss, the
    // documented WAL trade-off; FULL also fsyncs the WAL at every commit.
    db.exec('PRAGMA journal_mode = WAL')
    db.exec(`PRAGMA synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`)
    db.exec('PRAGMA foreign_keys = ON')
    // 16 MiB of page cache (SQLite's default is 2 MiB): the indexes of 100,000 users stay in memory.
    db.exec('PRAGMA cache_size = -16384')
    db.exec('PRAGMA busy_timeout = 5000')
    migrate(db)
  } catch (error) {
    // Not a database, or one of a newer build: do not keep the file open.
    db.close()
    throw error
  }
  return db
}
