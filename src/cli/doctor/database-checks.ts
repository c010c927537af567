/**
 * @module Doctor's checks of the database and the folder it is in: present,
 * openable, sound (`PRAGMA quick_check`), a schema this build runs, WAL files
 * owned like the database, and permissions. Changes nothing: it never creates
 * the database, nor migrates it.
 */
import { constants, Database } from 'bun:sqlite'
import { statSync, type Stats } from 'node:fs'
import { dirname } from 'node:path'
import { migrations } from '../../store/migrations'
import { failed, ok, warn, type Check } from './check'
import { describeAccess, isGroupWritable, isWorldWritable, octalMode, ownerOf } from './file-mode'

const LATEST = migrations.at(-1)!.version

/** Every check of the database at `path` (absolute, or `:memory:`). `configPath` goes into the fixes. */
export function databaseChecks(path: string, configPath: string): Check[] {
  if (path === ':memory:') {
    return [warn('database', 'server.database is ":memory:": everything the IdP sent is lost when serve stops', 'set server.database to a file, e.g. /var/lib/scimify/scimify.db')]
  }
  const folder = dirname(path)
  const folderStats = statSync(folder, { throwIfNoEntry: false })
  if (!folderStats?.isDirectory()) {
    return [
      failed(
        'database',
        `${path}: its folder ${folder} does not exist`,
        `create it for the service user: sudo install -d -m 0700 -o scimify -g scimify ${folder} (under systemd, StateDirectory=scimify creates /var/lib/scimify), or fix server.database`,
      ),
    ]
  }
  const checks = [folderCheck(folder, folderStats)]
  const stats = statSync(path, { throwIfNoEntry: false })
  if (!stats) {
    checks.unshift(warn('database', `no database at ${path} yet`, `start scimify serve (it creates the database): systemctl start scimify`))
    return checks
  }
  checks.unshift(ok('database', `${path}, ${formatBytes(stats.size)}, ${describeAccess(stats)}`), ...fileChecks(path, stats))
  checks.push(...openChecks(path, configPath))
  return checks
}

/** The state folder: only the service user should be able to enter it, and it must be able to write there. */
function folderCheck(folder: string, stats: Stats): Check {
  const what = 'state folder'
  const found = `${folder}: ${describeAccess(stats)}`
  const fix = `chmod 0700 ${folder} (owned by the service user)`
  if (isWorldWritable(stats)) return failed(what, `${found}: anyone on this machine can replace the database`, fix)
  if (isGroupWritable(stats)) return warn(what, `${found}: its group can replace the database`, fix)
  if ((stats.mode & 0o200) === 0) return failed(what, `${found}: its owner cannot write it, so SQLite cannot create its -wal and -shm files`, `chmod u+w ${folder}`)
  if ((stats.mode & 0o077) !== 0) return warn(what, `${found}: others can list it`, fix)
  return ok(what, found)
}

/** The database file's mode, and -wal/-shm beside it: present while something has it open, owned like it. */
function fileChecks(path: string, stats: Stats): Check[] {
  const checks: Check[] = []
  if (octalMode(stats) !== '0600') {
    checks.push(warn('database file permissions', `${describeAccess(stats)}, not 0600: others can read every provisioned user`, `chmod 0600 ${path}`))
  }
  const sides = ['-wal', '-shm'].flatMap((suffix) => {
    const side = statSync(path + suffix, { throwIfNoEntry: false })
    return side ? [{ name: path + suffix, stats: side }] : []
  })
  const foreign = sides.filter((side) => side.stats.uid !== stats.uid)
  for (const side of foreign) {
    checks.push(
      failed(
        'WAL files',
        `${side.name} is owned by ${ownerOf(side.stats)}, the database by ${ownerOf(stats)}: the service cannot write it`,
        `stop scimify and run \`chown ${ownerOf(stats)} ${side.name}\` (or, with nothing running, remove it)`,
      ),
    )
  }
  if (foreign.length === 0) {
    checks.push(
      ok(
        'WAL files',
        sides.length === 0
          ? 'none beside the database (nothing has it open)'
          : `${sides.map((side) => `${side.name.slice(path.length)} ${formatBytes(side.stats.size)}`).join(', ')} (serve is running, or stopped uncleanly)`,
      ),
    )
  }
  return checks
}

/** Opens the database without creating or migrating it: quick_check and the schema version. */
function openChecks(path: string, configPath: string): Check[] {
  const restore = `restore a backup: systemctl stop scimify && scimify restore <backup> --config ${configPath}`
  let db: Database
  try {
    // Read-write, like `scimify backup`: a read-only connection would leave -wal and -shm behind, owned by whoever runs doctor.
    db = new Database(path, { readwrite: true, create: false })
  } catch (error) {
    return [failed('database integrity', `cannot open ${path}: ${(error as Error).message}`, `run doctor as the service user or root; if the file is damaged, ${restore}`)]
  }
  try {
    // The last connection to close removes -wal and -shm (not the default on every platform).
    db.fileControl(constants.SQLITE_FCNTL_PERSIST_WAL, 0)
    db.exec('PRAGMA busy_timeout = 2000')
    const problems = db.query<{ quick_check: string }, []>('PRAGMA quick_check').all().map((row) => row.quick_check)
    const integrity =
      problems.length === 1 && problems[0] === 'ok'
        ? ok('database integrity', 'PRAGMA quick_check: ok')
        : failed('database integrity', `PRAGMA quick_check: ${problems.slice(0, 3).join('; ')}`, restore)
    return [integrity, schemaCheck(db)]
  } catch (error) {
    return [failed('database integrity', `${path}: ${(error as Error).message}`, `if the file is damaged, ${restore}`)]
  } finally {
    db.close()
  }
}

function schemaCheck(db: Database): Check {
  const what = 'database schema'
  const table = db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'").get()
  const version = table ? db.query<{ version: number | null }, []>('SELECT max(version) AS version FROM _migrations').get()?.version : null
  if (!version) return failed(what, 'no _migrations table: this is not a scimify database', 'fix server.database, or restore a backup')
  if (version > LATEST) {
    return failed(
      what,
      `version ${version}, written by a newer scimify; this build knows ${LATEST} and serve refuses to start on it`,
      'run the newer scimify binary again, or restore the backup taken before the upgrade (docs/upgrading.md)',
    )
  }
  if (version < LATEST) {
    return warn(what, `version ${version}; this build migrates it to ${LATEST} when serve starts`, 'take a backup (scimify backup <file>), then restart scimify')
  }
  return ok(what, `version ${version}, as this build expects`)
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`
}
