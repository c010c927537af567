/**
 * @module `scimify restore <file>`: puts a backup in place of the database,
 * with the service stopped, keeping the current database beside it.
 */
import { Command } from 'commander'
import { resolve } from 'node:path'
import { restoreDatabase } from '../store/backup'
import { configOption, fail, withContextOutput } from './command-support'
import type { CliContext } from './context'
import { databasePathForCommand } from './database-path'

export function makeRestoreCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('restore'), ctx)
    .summary('replace the database with a backup (service stopped)')
    .description(
      'Replace the database with <file>, a copy made by `scimify backup`. Stop the service first: restore refuses while anything ' +
        'has the database open (it tries to lock the database file exclusively, which fails while serve or another scimify command ' +
        'has it open). <file> must pass PRAGMA integrity_check and be a scimify database no newer than this build. The current ' +
        'database and its -wal/-shm are kept as <database>.before-restore-<UTC time>; then a checked copy of <file> is put in place ' +
        '(temporary name, then rename), mode 0600, owned like the database it replaces.',
    )
    .argument('<file>', 'the backup to restore')
    .addOption(configOption())
    .option('--force', 'replace an existing <database>.before-restore-<time> (never skips the in-use check)')
    .addHelpText(
      'after',
      '\nExample:\n  $ systemctl stop scimify\n  $ scimify restore /var/backups/scimify-2026-01-31.db --config /etc/scimify/config.yaml\n  $ systemctl start scimify\n',
    )
    .action((file: string, options: { config?: string; force?: boolean }) => {
      const database = databasePathForCommand(ctx, options.config)
      if (!database) return
      const backup = resolve(file)
      const keepAs = `${database}.before-restore-${fileTimestamp(ctx.now())}`
      try {
        const restored = restoreDatabase({ backup, database, keepAs, force: options.force === true })
        if (restored.unreadable) ctx.stdout.write(`the database being replaced could not be opened (${restored.unreadable})\n`)
        for (const move of restored.kept) ctx.stdout.write(`kept ${move.from} as ${move.to}\n`)
        if (restored.kept.length === 0) ctx.stdout.write(`there was no database at ${database}\n`)
        ctx.stdout.write(`restored ${backup} to ${database} (${restored.bytes} bytes, schema version ${restored.schemaVersion})\n`)
        ctx.stdout.write('start scimify serve again (systemctl start scimify); an older schema is migrated on start\n')
      } catch (error) {
        fail(ctx, `restore failed: ${(error as Error).message}`)
      }
    })
}

/** `20260131T120000Z`: UTC to the second, sortable and safe in a file name. */
function fileTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')
}
