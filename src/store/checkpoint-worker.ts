/**
 * @module The checkpointer's thread (see checkpointer.ts): its own connection
 * to the database, checkpointing the WAL into it every few hundred
 * milliseconds. A PASSIVE checkpoint never waits for or blocks the writer.
 * It is an entrypoint of the compiled binary (package.json `build`).
 */
import { Database } from 'bun:sqlite'

declare const self: Worker

export interface CheckpointerStart {
  path: string
  synchronous: 'NORMAL' | 'FULL'
  intervalMs: number
}

self.onmessage = (event: MessageEvent<CheckpointerStart | 'stop'>) => {
  if (event.data === 'stop') return stop()
  const { path, synchronous, intervalMs } = event.data
  db = new Database(path, { readwrite: true, create: false })
  db.run('PRAGMA busy_timeout = 1000')
  // The checkpoint's fsyncs follow this connection's setting: the same as the writer's.
  db.run(`PRAGMA synchronous = ${synchronous}`)
  timer = setInterval(checkpoint, intervalMs)
  self.postMessage('started')
}

let db: Database | undefined
let timer: Timer | undefined

function checkpoint() {
  try {
    db?.query('PRAGMA wal_checkpoint(PASSIVE)').get()
  } catch (error) {
    // Busy or failing now: the next round tries again, and the writer checkpoints itself past its limit.
    self.postMessage({ error: (error as Error).message })
  }
}

function stop() {
  clearInterval(timer)
  checkpoint()
  db?.close()
  db = undefined
  self.postMessage('stopped')
}
