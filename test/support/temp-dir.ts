/** @module Temporary folders for a test file, removed after each test. */
import { afterEach } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Call at the top of a test file: returns `tempDir(prefix)`, a new empty
 * folder under the system's temp dir that is removed after the current test.
 */
export function useTempDirs(): (prefix: string) => string {
  const made: string[] = []
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  return (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`))
    made.push(dir)
    return dir
  }
}
