/**
 * @module Group commit: the writes of one turn of the event loop share one
 * transaction, committed once the turn is over, so concurrent requests pay
 * for one commit (and, with `durability: full`, one fsync) between them.
 *
 * A write runs in a savepoint of the open transaction, so one that fails
 * rolls back alone. Nothing written is acknowledged before `durable()`
 * resolves: the HTTP layer waits for it before answering, and the sync engine
 * before it acts downstream on what it recorded. Statements run outside
 * `write()` while a transaction is open join it like any other statement of
 * the connection; when none is open they commit on their own, as before.
 */
import type { Database } from 'bun:sqlite'

interface Waiter {
  resolve(): void
  reject(error: Error): void
}

export class GroupCommit {
  private open = false
  private waiters: Waiter[] = []
  // Prepared once: run as SQL text, each was compiled again on every write.
  private readonly begin
  private readonly commitStatement
  private readonly savepoint
  private readonly release
  private readonly rollbackTo
  /** The connection's temp_store, restored after each BEGIN (see join). */
  private readonly tempStore: number

  constructor(private readonly db: Database) {
    this.begin = db.prepare('BEGIN IMMEDIATE')
    this.commitStatement = db.prepare('COMMIT')
    this.savepoint = db.prepare('SAVEPOINT write')
    this.release = db.prepare('RELEASE write')
    this.rollbackTo = db.prepare('ROLLBACK TO write')
    this.tempStore = db.query<{ temp_store: number }, []>('PRAGMA temp_store').get()!.temp_store
  }

  /** Runs `work` in the turn's transaction (opening it if need be), in a savepoint of its own, and returns what it returns. */
  write<T>(work: () => T): T {
    if (!this.open) {
      // Inside a transaction of the caller's: a savepoint of that one.
      if (this.db.inTransaction) return this.db.transaction(work)()
      this.join()
    }
    this.savepoint.run()
    try {
      const result = work()
      this.release.run()
      return result
    } catch (error) {
      if (this.db.inTransaction) {
        this.rollbackTo.run()
        this.release.run()
      } else {
        // SQLite rolled the whole transaction back (disk full, I/O error): the turn's other writes are gone too.
        this.abandon(new Error(`the database rolled back the transaction: ${(error as Error).message}`))
      }
      throw error
    }
  }

  /** Runs one statement in the turn's transaction: atomic by itself, it needs no savepoint. */
  writeOne<T>(statement: () => T): T {
    if (!this.open && !this.db.inTransaction) this.join()
    return statement()
  }

  private join(): void {
    // Each write's savepoint keeps the pages it changes in a sub-journal, which SQLite
    // moves to a temporary file past 64 KiB: a user's create (some 20 pages of table and
    // indexes) wrote it to /var/tmp page by page. SQLite settles where the sub-journal
    // lives when the transaction begins, so the setting is MEMORY for that moment only:
    // large sorts still spill to disk rather than into the server's memory. (Run as SQL
    // text: SQLite applies this pragma when the statement is prepared, not when it runs.)
    this.db.run('PRAGMA temp_store = MEMORY')
    try {
      this.begin.run()
      this.open = true
      setImmediate(() => this.commit())
    } finally {
      // Allowed in a transaction: SQLite refuses it only while a temporary database is open, and the line above closed any.
      this.db.run(`PRAGMA temp_store = ${this.tempStore}`)
    }
  }

  /** Resolves when everything written so far is committed; rejects when that commit failed. */
  durable(): Promise<void> {
    if (this.open) return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }))
    return Promise.resolve()
  }

  /** Commits the open transaction now (before closing the database); throws when that fails. */
  flush(): void {
    const failure = this.commit()
    if (failure) throw failure
  }

  /** The open transaction is gone: nobody who waits for it may be told it is committed. */
  private abandon(failure: Error): void {
    for (const waiter of this.end()) waiter.reject(failure)
  }

  /** The turn's transaction is over, committed or not: its waiters, to be told which. */
  private end(): Waiter[] {
    this.open = false
    const waiters = this.waiters
    this.waiters = []
    return waiters
  }

  private commit(): Error | undefined {
    if (!this.open) return undefined
    try {
      this.commitStatement.run()
    } catch (error) {
      // Not committed: none of it may be acknowledged. The transaction may
      // still be open (e.g. SQLITE_BUSY); undo it so the next write starts clean.
      if (this.db.inTransaction) this.db.run('ROLLBACK')
      const failure = new Error(`the database could not commit: ${(error as Error).message}`)
      this.abandon(failure)
      return failure
    }
    for (const waiter of this.end()) waiter.resolve()
    return undefined
  }
}

const byConnection = new WeakMap<Database, GroupCommit>()

/** The group commit of a connection: every store on one database shares it. */
export function groupCommitOf(db: Database): GroupCommit {
  let group = byConnection.get(db)
  if (!group) byConnection.set(db, (group = new GroupCommit(db)))
  return group
}
