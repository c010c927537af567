/**
 * @module What the commands that read or reconcile the database share
 * (`status`, `sync`, `retry`, `users`, `groups`, `audit`): the database the
 * config file names, opened only when it already exists, beside a running
 * `scimify serve` if there is one (SQLite WAL: readers and one writer at a time).
 */
import { existsSync } from 'node:fs'
import { createApp, type App } from '../app'
import { createLogger } from '../log'
import { fail, resolveBeside, type LoadedConfig } from './command-support'
import type { CliContext } from './context'

/**
 * Opens the app on the configured database, runs `work`, and closes it again.
 * A database that does not exist is not created: the command fails and says
 * to start `scimify serve` first. Returns undefined after reporting a failure.
 */
export async function withExistingDatabase<T>(
  ctx: CliContext,
  loaded: LoadedConfig,
  work: (app: App, databasePath: string) => T | Promise<T>,
): Promise<T | undefined> {
  const databasePath = resolveBeside(loaded.path, loaded.config.server.database)
  if (databasePath === ':memory:') {
    fail(ctx, 'server.database is ":memory:": there is no database file to read')
    return undefined
  }
  if (!existsSync(databasePath)) {
    fail(ctx, `no database at ${databasePath} yet: start \`scimify serve\` first`)
    return undefined
  }
  let app: App
  try {
    app = createApp(loaded.config, {
      databasePath,
      registry: ctx.registry,
      logger: createLogger((line) => ctx.stderr.write(line)),
    })
  } catch (error) {
    fail(ctx, `cannot open the database ${databasePath}: ${(error as Error).message}`)
    return undefined
  }
  try {
    return await work(app, databasePath)
  } finally {
    await app.close()
  }
}

/** Lays rows out in columns two spaces apart, the first row being the header (as `keys list` does). */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  return rows.map((row) => `${row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()}\n`).join('')
}

/** One line of text for a table cell: newlines folded, long text cut with an ellipsis. */
export function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
