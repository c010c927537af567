/**
 * @module Moves WAL checkpoints off the request thread. SQLite's automatic
 * checkpoint runs inside the commit that crosses the WAL's limit and
 * fsyncs the database file there: under load, a request now and then waited
 * milliseconds for it. A worker thread with its own connection checkpoints
 * instead; the writer's own automatic checkpoint stays as a backstop at a
 * higher limit, should the worker fall behind or fail to start.
 */
import type { Database } from 'bun:sqlite'
import type { Logger } from '../log'
import type { CheckpointerStart } from './checkpoint-worker'

/**
 * WAL pages (4 KiB) past which the writer checkpoints itself. The worker's
 * checkpoints never quite catch up while writes keep coming, and SQLite
 * starts the WAL over only after one that did: under sustained writes the
 * writer's own checkpoint (with little left to copy) is what bounds the WAL.
 */
const BACKSTOP_PAGES = 4_000
/** The WAL file is cut back to this size when it starts over (SQLite keeps it at its largest otherwise). */
const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024

export interface Checkpointer {
  /** Runs a last checkpoint and ends the worker (before the database is closed). */
  stop(): Promise<void>
}

/**
 * Where the worker's module is. From source, beside this file. In the
 * compiled binary this code is bundled into the entrypoint at the root of
 * Bun's embedded file system, and the worker (an entrypoint of its own) sits
 * at store/checkpoint-worker.ts under that root.
 */
function workerUrl(): string {
  const compiled = import.meta.url.startsWith('file:///$bunfs/')
  return new URL(compiled ? './store/checkpoint-worker.ts' : './checkpoint-worker.ts', import.meta.url).href
}

export function startCheckpointer(db: Database, path: string, logger: Logger, intervalMs = 200): Checkpointer {
  db.run(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`)
  db.run(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`)
  const synchronous = (db.query('PRAGMA synchronous').get() as { synchronous: number }).synchronous >= 2 ? 'FULL' : 'NORMAL'
  const worker = new Worker(workerUrl())
  // The process may exit while it runs; its connection holds no transaction between checkpoints.
  worker.unref()
  let reported = false
  worker.onmessage = (event: MessageEvent) => {
    const data = event.data as string | { error: string }
    if (typeof data === 'object' && !reported) {
      reported = true // once: a failing checkpoint fails every 200 ms
      logger.warn('background WAL checkpoint failed; the writer checkpoints itself past its limit', { error: data.error })
    }
  }
  worker.onerror = (event) => logger.error('the WAL checkpointer stopped', { error: event.message })
  worker.postMessage({ path, synchronous, intervalMs } satisfies CheckpointerStart)
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          worker.terminate()
          resolve()
        }
        const timeout = setTimeout(done, 2_000)
        worker.addEventListener('message', (event) => {
          if (event.data === 'stopped') {
            clearTimeout(timeout)
            done()
          }
        })
        worker.postMessage('stop')
      }),
  }
}
