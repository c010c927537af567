import { afterAll, afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backupDatabase, BackupError, checkScimifyDatabase, databaseInUse, restoreDatabase } from './backup'
import { openDatabase } from './db'
import { migrations } from './migrations'

// One scimify database made with openDatabase, copied for each test. Test
// databases are then opened only with plain connections: migrate() leaves a
// prepared statement unfinalized, so closing an openDatabase() connection
// leaves it open (and locked) until garbage collection, which would make the
// in-use check see it. A process that exits (serve, the CLI) releases it.
const templateDir = mkdtempSync(join(tmpdir(), 'scimify-backup-template-'))
const template = join(templateDir, 'template.db')
openDatabase(template).close()
afterAll(() => rmSync(templateDir, { recursive: true, force: true }))

let dir: string
let database: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scimify-backup-'))
  database = join(dir, 'scimify.db')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A scimify database in WAL mode with `rows` marker rows, left open as serve holds it. */
function liveDatabase(path = database, rows = ['one']): Database {
  if (!existsSync(path)) backupDatabase(template, path)
  const db = new Database(path)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('CREATE TABLE IF NOT EXISTS marker (name TEXT)')
  for (const name of rows) db.query('INSERT INTO marker (name) VALUES (?)').run(name)
  return db
}

function markers(path: string): string[] {
  const db = new Database(path)
  try {
    return db.query<{ name: string }, []>('SELECT name FROM marker ORDER BY rowid').all().map((row) => row.name)
  } finally {
    db.close()
  }
}

/** A copy of the template changed by `change`. */
function scimifyDatabase(path: string, change: (db: Database) => void): string {
  backupDatabase(template, path)
  const db = new Database(path)
  change(db)
  db.close()
  return path
}

const mode = (path: string) => statSync(path).mode & 0o777

describe('backupDatabase', () => {
  test('copies what is committed while a writer is mid-transaction; 0600, one file, no temporary left', () => {
    const live = liveDatabase(database, ['one', 'two'])
    live.exec('BEGIN IMMEDIATE')
    live.query('INSERT INTO marker (name) VALUES (?)').run('in flight')
    const target = join(dir, 'backup.db')
    const copy = backupDatabase(database, target)
    live.exec('COMMIT')
    live.close()

    expect(copy).toEqual({ path: target, bytes: statSync(target).size })
    expect(copy.bytes).toBeGreaterThan(0)
    expect(mode(target)).toBe(0o600)
    expect(readdirSync(dir).sort()).toEqual(['backup.db', 'scimify.db'])
    expect(markers(target)).toEqual(['one', 'two'])
    expect(checkScimifyDatabase(target)).toBe(migrations.at(-1)!.version)
  })

  test('never overwrites a file, and needs a database', () => {
    liveDatabase().close()
    const target = join(dir, 'backup.db')
    writeFileSync(target, 'precious')
    expect(() => backupDatabase(database, target)).toThrow(new BackupError(`${target} already exists: choose another name (a backup never overwrites a file)`))
    expect(readFileSync(target, 'utf8')).toBe('precious')
    expect(() => backupDatabase(join(dir, 'missing.db'), join(dir, 'other.db'))).toThrow(`no database at ${join(dir, 'missing.db')}`)
    expect(existsSync(join(dir, 'other.db'))).toBe(false)
    expect(existsSync(join(dir, 'missing.db'))).toBe(false)
  })

  test('a failed copy leaves no file behind', () => {
    liveDatabase().close()
    expect(() => backupDatabase(database, join(dir, 'no-such-folder', 'backup.db'))).toThrow()
    writeFileSync(join(dir, 'not-a-db'), 'x'.repeat(4096))
    expect(() => backupDatabase(join(dir, 'not-a-db'), join(dir, 'backup.db'))).toThrow()
    expect(readdirSync(dir).sort()).toEqual(['not-a-db', 'scimify.db'])
  })
})

describe('databaseInUse', () => {
  test('sees an idle connection (in WAL mode BEGIN EXCLUSIVE alone would not), and none after it closed', () => {
    const live = liveDatabase()
    expect(databaseInUse(database)).toBe(true)
    live.close()
    expect(databaseInUse(database)).toBe(false)
  })
})

describe('checkScimifyDatabase', () => {
  test('rejects what is not a scimify database this build can run', () => {
    const other = join(dir, 'other.db')
    scimifyDatabase(other, (db) => db.exec('DROP TABLE _migrations'))
    expect(() => checkScimifyDatabase(other)).toThrow(`${other} is not a scimify database (it has no _migrations schema version)`)

    const newer = join(dir, 'newer.db')
    scimifyDatabase(newer, (db) => db.query("INSERT INTO _migrations (version, name, applied_at) VALUES (?, 'future', 'x')").run(migrations.at(-1)!.version + 1))
    expect(() => checkScimifyDatabase(newer)).toThrow(/was written by a newer scimify \(schema version \d+; this build knows \d+\)/)

    const text = join(dir, 'notes.txt')
    writeFileSync(text, 'hello '.repeat(1000))
    expect(() => checkScimifyDatabase(text)).toThrow(/is not a usable database: file is not a database/)
  })
})

describe('restoreDatabase', () => {
  const keepAs = () => `${database}.before-restore-20260131T120000Z`

  function backupWith(rows: string[]): string {
    const source = join(dir, 'source.db')
    liveDatabase(source, rows).close()
    const target = join(dir, 'backup.db')
    backupDatabase(source, target)
    return target
  }

  test('keeps the current database with its -wal, and puts the backup in place', () => {
    const backup = backupWith(['from-backup'])
    // Left as after a crash: the last commit only in the -wal.
    const live = liveDatabase(database, ['current'])
    const crashed = join(dir, 'crashed')
    for (const suffix of ['', '-wal', '-shm']) writeFileSync(`${crashed}${suffix}`, readFileSync(`${database}${suffix}`))
    live.close()
    for (const suffix of ['', '-wal', '-shm']) writeFileSync(`${database}${suffix}`, readFileSync(`${crashed}${suffix}`))

    const restored = restoreDatabase({ backup, database, keepAs: keepAs(), force: false })

    expect(restored.schemaVersion).toBe(migrations.at(-1)!.version)
    expect(restored.bytes).toBe(statSync(database).size)
    // Closing the in-use check's connection checkpointed the -wal into the file
    // and removed it; exclusive locking mode never opened the -shm, which goes too.
    expect(restored.kept).toEqual([
      { from: database, to: keepAs() },
      { from: `${database}-shm`, to: `${keepAs()}-shm` },
    ])
    expect(restored.unreadable).toBeUndefined()
    // No side file of the old database is left to be read with the new one.
    expect(readdirSync(dir).filter((name) => name.startsWith('scimify.db')).sort()).toEqual([
      'scimify.db',
      'scimify.db.before-restore-20260131T120000Z',
      'scimify.db.before-restore-20260131T120000Z-shm',
    ])
    expect(markers(database)).toEqual(['from-backup'])
    expect(markers(keepAs())).toEqual(['current'])
    expect(mode(database)).toBe(0o600)
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([])
  })

  test('refuses while the database is open, changing nothing', () => {
    const backup = backupWith(['from-backup'])
    const live = liveDatabase(database, ['current'])
    const before = readdirSync(dir).sort()
    expect(() => restoreDatabase({ backup, database, keepAs: keepAs(), force: true })).toThrow(/is in use: stop scimify serve/)
    expect(readdirSync(dir).sort()).toEqual(before)
    live.close()
    expect(markers(database)).toEqual(['current'])
  })

  test('an existing before-restore file needs --force, which replaces it and its stale side files', () => {
    const backup = backupWith(['from-backup'])
    liveDatabase(database, ['current']).close()
    writeFileSync(keepAs(), 'older')
    writeFileSync(`${keepAs()}-wal`, 'stale')
    expect(() => restoreDatabase({ backup, database, keepAs: keepAs(), force: false })).toThrow(`${keepAs()} already exists (from an earlier restore): --force replaces it`)
    expect(markers(database)).toEqual(['current'])

    restoreDatabase({ backup, database, keepAs: keepAs(), force: true })
    expect(markers(database)).toEqual(['from-backup'])
    expect(markers(keepAs())).toEqual(['current'])
    expect(existsSync(`${keepAs()}-wal`)).toBe(false)
  })

  test('refuses a backup that is not a scimify database, or a live copy with its -wal', () => {
    liveDatabase(database, ['current']).close()
    const text = join(dir, 'notes.db')
    writeFileSync(text, 'hello '.repeat(1000))
    expect(() => restoreDatabase({ backup: text, database, keepAs: keepAs(), force: false })).toThrow(/is not a usable database/)
    expect(() => restoreDatabase({ backup: join(dir, 'missing.db'), database, keepAs: keepAs(), force: false })).toThrow('no backup file at')
    expect(() => restoreDatabase({ backup: database, database, keepAs: keepAs(), force: false })).toThrow('is the database itself')

    const copied = join(dir, 'copied.db')
    const live = liveDatabase(copied, ['x'])
    expect(() => restoreDatabase({ backup: copied, database, keepAs: keepAs(), force: false })).toThrow(/has a -wal file beside it/)
    live.close()
    expect(markers(database)).toEqual(['current'])
    expect(existsSync(keepAs())).toBe(false)
  })

  test('replaces a damaged database, and restores where there is none yet', () => {
    const backup = backupWith(['from-backup'])
    writeFileSync(database, 'garbage '.repeat(1000))
    const restored = restoreDatabase({ backup, database, keepAs: keepAs(), force: false })
    expect(restored.unreadable).toBe('file is not a database')
    expect(readFileSync(keepAs(), 'utf8')).toStartWith('garbage')
    expect(markers(database)).toEqual(['from-backup'])

    const fresh = join(dir, 'new', 'scimify.db')
    expect(restoreDatabase({ backup, database: fresh, keepAs: `${fresh}.before`, force: false }).kept).toEqual([])
    expect(markers(fresh)).toEqual(['from-backup'])
  })
})
