import { describe, expect, test } from 'bun:test'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { useTempDirs } from '../../test/support/temp-dir'
import { BUILD_ENTRYPOINTS } from '../../test/e2e/support'
import { memoryLogger } from '../log'
import { startCheckpointer } from './checkpointer'
import { openDatabase } from './db'
import packageJson from '../../package.json'

const tempDir = useTempDirs()

describe('the background checkpointer', () => {
  test('copies the WAL into the database file from its own thread; the writer does not (below its backstop)', async () => {
    const dir = tempDir('scimify-checkpointer')
    const path = join(dir, 'scimify.db')
    const db = openDatabase(path)
    const logger = memoryLogger()
    const checkpointer = startCheckpointer(db, path, logger, 20)
    const before = statSync(path).size
    const insert = db.prepare('INSERT INTO audit_log (time, instance, actor, action, target, result) VALUES ($time, $i, $a, $b, $c, $d)')
    for (let i = 0; i < 20; i++) {
      db.transaction(() => {
        for (let j = 0; j < 100; j++) insert.run({ time: new Date().toISOString(), i: 'x', a: 'a'.repeat(200), b: 'b', c: String(j), d: 'ok' })
      })()
    }
    // About 600 KB of rows: in the WAL until someone checkpoints them into the file.
    for (let i = 0; i < 100 && statSync(path).size < before + 400_000; i++) await Bun.sleep(20)
    expect(statSync(path).size).toBeGreaterThan(before + 400_000)
    await checkpointer.stop()
    db.close()
    expect(logger.lines).toEqual([]) // no checkpoint failed
  })

  test('the compiled binary includes its worker: package.json `build` lists every entrypoint', () => {
    const build = packageJson.scripts.build
    for (const entry of BUILD_ENTRYPOINTS) expect(build).toContain(` ${entry} `)
  })
})
