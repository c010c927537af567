import { describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { existsSync, readdirSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import { useTempDirs } from '../../test/support/temp-dir'
import { GroupCommit } from './group-commit'

const tempDir = useTempDirs()

/** A WAL database file with a table, the group commit of one connection, and a second connection to look from. */
function setup() {
  const dir = tempDir('scimify-group-commit')
  const path = join(dir, 'db.sqlite')
  const db = new Database(path, { create: true, strict: true })
  db.run('PRAGMA journal_mode = WAL')
  db.run('PRAGMA foreign_keys = ON')
  db.run('CREATE TABLE parent (id INTEGER PRIMARY KEY)')
  // A deferred foreign key is checked at COMMIT: the way to make a commit fail.
  db.run('CREATE TABLE item (name TEXT UNIQUE, parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)')
  const other = new Database(path, { readonly: true })
  const committed = () => other.query<{ name: string }, []>('SELECT name FROM item ORDER BY rowid').all().map((row) => row.name)
  const insert = db.prepare('INSERT INTO item (name, parent) VALUES ($name, $parent)')
  const group = new GroupCommit(db)
  const add = (name: string, parent: number | null = null) => group.write(() => insert.run({ name, parent }))
  return { db, group, add, committed }
}

describe('group commit', () => {
  test('the writes of one turn are committed together after it, and durable() resolves then', async () => {
    const { group, add, committed } = setup()
    add('a')
    add('b')
    const durable = group.durable()
    expect(committed()).toEqual([]) // written, not committed: nothing may be acknowledged yet
    await durable
    expect(committed()).toEqual(['a', 'b'])
    // Nothing open: resolves at once.
    await group.durable()
  })

  test('a write that fails rolls back alone; the others of its turn commit', async () => {
    const { group, add, committed } = setup()
    add('a')
    expect(() => add('a')).toThrow(/UNIQUE/)
    add('b')
    await group.durable()
    expect(committed()).toEqual(['a', 'b'])
  })

  test('when the commit fails, every waiter is told and nothing of the turn stays; the next turn starts clean', async () => {
    const { db, group, add, committed } = setup()
    add('a')
    add('orphan', 42) // no parent 42: the deferred key fails the COMMIT
    const results = await Promise.allSettled([group.durable(), group.durable()])
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected'])
    for (const result of results) expect(String((result as PromiseRejectedResult).reason)).toMatch(/could not commit: FOREIGN KEY/)
    expect(db.inTransaction).toBe(false)
    expect(committed()).toEqual([])
    add('c')
    await group.durable()
    expect(committed()).toEqual(['c'])
  })

  test('when SQLite rolls the whole transaction back under a write (disk full, I/O error), the earlier writes of the turn are not acknowledged', async () => {
    const { db, group, add, committed } = setup()
    add('a')
    const waiting = group.durable()
    expect(() =>
      group.write(() => {
        db.run('ROLLBACK') // what SQLite does itself on SQLITE_FULL or SQLITE_IOERR
        throw new Error('disk full')
      }),
    ).toThrow('disk full')
    await expect(waiting).rejects.toThrow(/rolled back the transaction: disk full/)
    add('b')
    await group.durable()
    expect(committed()).toEqual(['b'])
  })

  test('flush() commits at once (before a database is closed) and throws when the commit fails', () => {
    const { group, add, committed } = setup()
    add('a')
    group.flush()
    expect(committed()).toEqual(['a'])
    add('orphan', 42)
    expect(() => group.flush()).toThrow(/could not commit/)
  })

  test('a write inside a transaction of the caller is part of it, not of a turn', async () => {
    const { db, group, add, committed } = setup()
    db.transaction(() => add('inner'))()
    expect(committed()).toEqual(['inner'])
    await group.durable()
  })

  /** Files this process has open that are deleted or temporary: where SQLite's temporary files show. */
  const temporaryFiles = () =>
    readdirSync('/proc/self/fd')
      .map((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`)
        } catch {
          return '' // closed since the listing
        }
      })
      .filter((target) => target.endsWith('(deleted)'))

  test.skipIf(!existsSync('/proc/self/fd'))(
    "a write's savepoint journal stays in memory, not in a temporary file, while sorts keep the connection's setting (needs /proc)",
    async () => {
      const { db, group } = setup()
      // A write that changes more than 64 KiB of pages: eight indexes over random keys.
      db.run('CREATE TABLE wide (k TEXT, v TEXT)')
      for (let i = 0; i < 8; i++) db.run(`CREATE INDEX wide_${i} ON wide (k, v)`)
      const insert = db.prepare('INSERT INTO wide (k, v) VALUES ($k, $v)')
      const row = () => ({ k: Math.random().toString(36), v: 'x'.repeat(50) })
      db.transaction(() => {
        for (let i = 0; i < 3_000; i++) insert.run(row())
      })()
      const before = temporaryFiles()
      group.write(() => {
        for (let i = 0; i < 40; i++) insert.run(row())
      })
      expect(temporaryFiles()).toEqual(before)
      // Only the sub-journal: the connection's own setting (files) is back for sorts and temporary tables.
      expect(db.query<{ temp_store: number }, []>('PRAGMA temp_store').get()!.temp_store).toBe(0)
      await group.durable()
    },
  )
})
