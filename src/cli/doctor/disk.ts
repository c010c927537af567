/** @module Doctor's check of the free space where the database lives (`statfs`). */
import { statfsSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { failed, ok, skip, warn, type Check } from './check'
import { formatBytes } from './database-checks'

const MiB = 1024 * 1024
const FAIL_BELOW = 64 * MiB
const WARN_BELOW = 1024 * MiB

/**
 * Free space for the database's folder: writes fail when it runs out, and a
 * backup (`VACUUM INTO`) or a WAL checkpoint needs about the database's size again.
 */
export function diskCheck(databasePath: string): Check {
  const what = 'disk space'
  if (databasePath === ':memory:') return skip(what, 'no database file')
  const folder = dirname(databasePath)
  let free: number
  try {
    const stats = statfsSync(folder)
    free = Number(stats.bavail) * Number(stats.bsize)
  } catch (error) {
    return skip(what, `cannot statfs ${folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  const size = ['', '-wal'].reduce((sum, suffix) => sum + (statSync(databasePath + suffix, { throwIfNoEntry: false })?.size ?? 0), 0)
  const found = `${formatBytes(free)} free in ${folder}`
  const fix = `free space on that file system (old backups, journal: journalctl --vacuum-size=…), or move the database`
  if (free < FAIL_BELOW) return failed(what, `${found}: writes will soon fail`, fix)
  if (free < WARN_BELOW || free < 2 * size) return warn(what, `${found} (the database and its WAL take ${formatBytes(size)}; a backup needs as much again)`, fix)
  return ok(what, found)
}
