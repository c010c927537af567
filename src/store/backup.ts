/**
 * @module Backup and restore of the database file: an online copy with
 * `VACUUM INTO`, the checks that a file is a scimify database, the check that
 * nothing has the database open, and putting a backup in place.
 */
import { Database } from 'bun:sqlite'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { migrations } from './migrations'

/** A refusal or failure to report to the admin as it is (no stack trace). */
export class BackupError extends Error {}

/** Files SQLite keeps beside a database: WAL mode's log and index, a rollback journal. */
const SIDE_FILES = ['-wal', '-shm', '-journal'] as const

export interface Copy {
  path: string
  bytes: number
}

/**
 * Writes a consistent copy of the database at `databasePath` to `target`, beside
 * a running serve: `VACUUM INTO` reads one snapshot (WAL: readers never block the
 * writer, nor it them) and writes a compact single file, without -wal. The copy
 * goes to a temporary name beside `target`, is checked, and is renamed only when
 * complete; an existing `target` is never replaced.
 */
export function backupDatabase(databasePath: string, target: string): Copy {
  if (!existsSync(databasePath)) throw new BackupError(`no database at ${databasePath}`)
  if (existsSync(target)) throw new BackupError(`${target} already exists: choose another name (a backup never overwrites a file)`)
  const temporary = temporaryBeside(target)
  try {
    // Created empty (VACUUM INTO accepts an empty file) so the copy is 0600
    // from its first byte, whatever the umask.
    const fd = openSync(temporary, 'wx', 0o600)
    fchmodSync(fd, 0o600)
    closeSync(fd)
    // A connection of its own, read-write: a read-only one would leave -wal and
    // -shm behind when serve is not running, owned by whoever ran the backup.
    const source = new Database(databasePath, { readwrite: true, create: false })
    try {
      source.exec('PRAGMA busy_timeout = 5000')
      source.query('VACUUM INTO ?').run(temporary)
    } finally {
      source.close()
    }
    const problem = integrityProblem(temporary)
    if (problem) throw new BackupError(`the copy failed PRAGMA integrity_check: ${problem}`)
    syncFile(temporary)
    // Checked again: the copy may have taken minutes.
    if (existsSync(target)) throw new BackupError(`${target} appeared while the copy was written; it was left alone`)
    renameSync(temporary, target)
    syncDirectory(dirname(target))
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
  return { path: target, bytes: statSync(target).size }
}

/**
 * Whether another connection has the database open: a running serve, or a
 * scimify command beside it. In WAL mode `BEGIN EXCLUSIVE` alone succeeds next
 * to an idle connection (it only takes the write lock, and readers do not hold
 * that); in exclusive locking mode SQLite must lock the database file itself,
 * which fails while any other connection has it open. With busy_timeout 0 it
 * fails at once instead of waiting.
 *
 * When nothing else has it open, closing this connection checkpoints the WAL
 * into the file and removes the -wal, as a clean stop of serve does (the
 * -shm, which exclusive locking mode never opens, stays).
 */
export function databaseInUse(databasePath: string): boolean {
  const db = new Database(databasePath, { readwrite: true, create: false })
  try {
    db.exec('PRAGMA busy_timeout = 0')
    db.exec('PRAGMA locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
    db.exec('COMMIT')
    return false
  } catch (error) {
    if (sqliteCode(error).startsWith('SQLITE_BUSY') || sqliteCode(error).startsWith('SQLITE_LOCKED')) return true
    throw error
  } finally {
    db.close()
  }
}

/**
 * The schema version of a scimify database this build can run, or a
 * BackupError saying why `path` is not one: not SQLite, damaged (integrity_check),
 * no `_migrations`, or written by a newer scimify. An older schema is fine:
 * serve migrates it on start.
 */
export function checkScimifyDatabase(path: string): number {
  const problem = integrityProblem(path)
  if (problem) throw new BackupError(`${path} is not a usable database: ${problem}`)
  const db = new Database(path, { readwrite: true, create: false })
  try {
    const table = db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'").get()
    const version = table ? db.query<{ version: number | null }, []>('SELECT max(version) AS version FROM _migrations').get()?.version : null
    if (!version) throw new BackupError(`${path} is not a scimify database (it has no _migrations schema version)`)
    const known = migrations.at(-1)!.version
    if (version > known) throw new BackupError(`${path} was written by a newer scimify (schema version ${version}; this build knows ${known})`)
    return version
  } finally {
    db.close()
  }
}

export interface Restore {
  /** The file `scimify backup` wrote. */
  backup: string
  database: string
  /** Where the current database (and its side files) goes, e.g. `<database>.before-restore-<time>`. */
  keepAs: string
  /** Replace files already at `keepAs`. */
  force: boolean
}

export interface Restored {
  schemaVersion: number
  bytes: number
  /** What was moved aside: the database, and its -wal/-shm/-journal if there were any. */
  kept: { from: string; to: string }[]
  /** Why the database that was replaced could not be opened (a damaged file is a reason to restore). */
  unreadable?: string
}

/**
 * Puts a backup in place of the database. Refuses, changing nothing, unless
 * the backup is a scimify database this build runs and nothing has the
 * database open. The current database and its side files are renamed to
 * `keepAs` (+ the same suffix), then a copy of the backup, checked, goes in
 * place under a temporary name and is renamed.
 *
 * Nothing stops a serve from starting between the in-use check and the
 * rename; the check is for a serve left running, not a race with a start.
 */
export function restoreDatabase({ backup, database, keepAs, force }: Restore): Restored {
  if (!statSync(backup, { throwIfNoEntry: false })?.isFile()) throw new BackupError(`no backup file at ${backup}`)
  if (sameFile(backup, database)) throw new BackupError(`${backup} is the database itself`)
  // A -wal beside it means a live database copied by hand: its last commits
  // may be only in the -wal, which a copy of the main file loses.
  if ((statSync(`${backup}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) {
    throw new BackupError(`${backup} has a -wal file beside it: it is a copy of a live database, not a backup; make one with \`scimify backup\``)
  }
  const keptNames = ['', ...SIDE_FILES].map((suffix) => keepAs + suffix)
  const taken = keptNames.find((name) => existsSync(name))
  if (taken && !force) throw new BackupError(`${taken} already exists (from an earlier restore): --force replaces it`)

  mkdirSync(dirname(database), { recursive: true })
  const temporary = temporaryBeside(database)
  try {
    // The copy is what gets checked and renamed, so the check covers exactly
    // what is put in place.
    copyFileSync(backup, temporary, constants.COPYFILE_EXCL)
    chmodSync(temporary, 0o600)
    const schemaVersion = checkScimifyDatabase(temporary)
    const current = statSync(database, { throwIfNoEntry: false })
    const unreadable = current ? refuseWhileInUse(database) : undefined
    // After the check: closing its connection checkpointed the -wal into the file.
    const kept = moveAside(database, keepAs, force)
    const fd = openSync(temporary, 'r+')
    try {
      // Owned like the database it replaces, or its folder (under systemd: the
      // service's DynamicUser), else the service could not open a copy made
      // by root: systemd fixes ownership only when the folder's is wrong.
      const owner = current ?? statSync(dirname(database))
      chownIfPermitted(temporary, owner.uid, owner.gid)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temporary, database)
    syncDirectory(dirname(database))
    return { schemaVersion, bytes: statSync(database).size, kept, unreadable }
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}

/**
 * Throws when something has the database open. Returns why SQLite cannot read
 * it at all (not a database, damaged): no serve can be running on such a file,
 * and replacing it is what a restore is for. Any other failure (permissions)
 * could hide a running serve, and stops the restore.
 */
function refuseWhileInUse(database: string): string | undefined {
  let busy: boolean
  try {
    busy = databaseInUse(database)
  } catch (error) {
    if (/^SQLITE_(NOTADB|CORRUPT)/.test(sqliteCode(error))) return (error as Error).message
    throw error
  }
  if (busy) {
    throw new BackupError(`${database} is in use: stop scimify serve (systemctl stop scimify) and any scimify command using it, then restore again`)
  }
  return undefined
}

/** Renames the database and its side files to `keepAs` + the same suffix. */
function moveAside(database: string, keepAs: string, force: boolean): { from: string; to: string }[] {
  // Stale side files at keepAs would be read as part of the kept database.
  if (force) for (const suffix of ['', ...SIDE_FILES]) rmSync(keepAs + suffix, { force: true })
  const moves = ['', ...SIDE_FILES].map((suffix) => ({ from: database + suffix, to: keepAs + suffix })).filter((move) => existsSync(move.from))
  for (const move of moves) renameSync(move.from, move.to)
  return moves
}

/** `PRAGMA integrity_check`'s complaint, or undefined when the file is a sound database. */
function integrityProblem(path: string): string | undefined {
  let db: Database | undefined
  try {
    db = new Database(path, { readwrite: true, create: false })
    const rows = db.query<{ integrity_check: string }, []>('PRAGMA integrity_check').all()
    const messages = rows.map((row) => row.integrity_check)
    return messages.length === 1 && messages[0] === 'ok' ? undefined : messages.slice(0, 5).join('; ')
  } catch (error) {
    return (error as Error).message
  } finally {
    db?.close()
  }
}

/** bun:sqlite's error code, e.g. `SQLITE_BUSY`; '' for other errors. */
function sqliteCode(error: unknown): string {
  return String((error as { code?: unknown }).code ?? '')
}

function sameFile(a: string, b: string): boolean {
  const [first, second] = [statSync(a, { throwIfNoEntry: false }), statSync(b, { throwIfNoEntry: false })]
  return first !== undefined && second !== undefined && first.dev === second.dev && first.ino === second.ino
}

/** A hidden name beside `path` for a file being written, unique to this call. */
function temporaryBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
}

function chownIfPermitted(path: string, uid: number, gid: number): void {
  try {
    chownSync(path, uid, gid)
  } catch (error) {
    // Not root: the file stays owned by whoever restores, as any file they write.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Makes a rename in `dir` durable. Some file systems cannot fsync a directory; the rename stands anyway. */
function syncDirectory(dir: string): void {
  try {
    syncFile(dir)
  } catch {
    // best effort
  }
}
