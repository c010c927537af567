/**
 * @module Where the next page of a startIndex walk starts, so an identity
 * provider paging `startIndex=1, 101, 201, …` through every user gets each
 * page by keyset (`seq > last`) instead of an OFFSET that reads every row
 * before it: a page costs the same at user 100 and at user 100,000.
 *
 * Only unfiltered, unsorted lists (creation order) are remembered. A
 * resource's position there changes only when one before it is deleted (new
 * ones are appended), so a delete in this process, or any commit of another
 * process (SQLite's data_version), forgets everything remembered.
 */
import type { Database } from 'bun:sqlite'

/** Walks remembered at once (several identity providers or instances importing). */
const CAPACITY = 256

export class PagePositions {
  /** "<instance> <type> <startIndex>" → the seq of the row just before that position. */
  private readonly after = new Map<string, number>()
  private dataVersion: number
  private readonly readDataVersion

  constructor(db: Database) {
    this.readDataVersion = db.prepare('PRAGMA data_version')
    this.dataVersion = this.currentDataVersion()
  }

  /** The seq the row at `startIndex` comes after, when known. */
  seqBefore(instance: string, type: string, startIndex: number): number | undefined {
    const version = this.currentDataVersion()
    if (version !== this.dataVersion) {
      this.dataVersion = version
      this.after.clear()
    }
    return this.after.get(`${instance} ${type} ${startIndex}`)
  }

  /** A page ended at `startIndex - 1` with the row `seq`: the next one starts after it. */
  remember(instance: string, type: string, startIndex: number, seq: number): void {
    if (this.after.size >= CAPACITY) this.after.delete(this.after.keys().next().value!)
    this.after.set(`${instance} ${type} ${startIndex}`, seq)
  }

  /** A resource was deleted: every position after it moved. */
  forget(): void {
    this.after.clear()
  }

  private currentDataVersion(): number {
    return (this.readDataVersion.get() as { data_version: number }).data_version
  }
}
