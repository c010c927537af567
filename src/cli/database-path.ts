/**
 * @module The database file the config names, for `backup` and `restore`,
 * which need nothing else from the file.
 */
import { dirname } from 'node:path'
import * as v from 'valibot'
import { parse } from 'yaml'
import { parseConfig, readConfigText } from '../config/load'
import { resolveConfigPath } from '../config/paths'
import { serverSchema } from '../config/schema'
import { fail, reportIssues, resolveBeside } from './command-support'
import type { CliContext } from './context'

/**
 * The absolute path of `server.database`, or undefined after reporting why
 * there is none. Only problems with that setting (or the whole file) count: a
 * secret reference elsewhere, such as `${env:GITHUB_TOKEN}` or
 * `${file:/run/credentials/…}`, often resolves only in the service's
 * environment, and a restore (service stopped) or a backup from an admin's
 * shell must not depend on it.
 */
export function databasePathForCommand(ctx: CliContext, configFlag: string | undefined): string | undefined {
  const { path } = resolveConfigPath(configFlag, ctx.env)
  const read = readConfigText(path)
  if (!read.ok) return reportIssues(ctx, read.issues)
  let database: string
  const full = parseConfig(read.text, ctx.registry, ctx.env, dirname(path))
  if (full.ok) {
    database = full.config.server.database
  } else {
    // `(yaml)`, `(file)`, `(root)`: the file as a whole; `server`: not a map.
    const blocking = full.issues.filter((issue) => issue.path.startsWith('(') || issue.path === 'server' || issue.path === 'server.database')
    if (blocking.length > 0) return reportIssues(ctx, blocking)
    const raw = parse(read.text) as { server?: { database?: unknown } }
    database = v.parse(serverSchema.entries.database, raw.server?.database)
  }
  const databasePath = resolveBeside(path, database)
  if (databasePath === ':memory:') {
    fail(ctx, 'server.database is ":memory:": there is no database file')
    return undefined
  }
  return databasePath
}
