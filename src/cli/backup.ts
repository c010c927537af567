/**
 * @module `scimify backup <file>`: a consistent copy of the database, taken
 * while serve runs.
 */
import { Command } from 'commander'
import { resolve } from 'node:path'
import { backupDatabase } from '../store/backup'
import { configOption, fail, withContextOutput } from './command-support'
import type { CliContext } from './context'
import { databasePathForCommand } from './database-path'

export function makeBackupCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('backup'), ctx)
    .summary('copy the database to a file, while serve runs')
    .description(
      'Write a consistent copy of the database to <file>, beside a running serve (SQLite VACUUM INTO on a connection of its own: ' +
        'serve keeps answering). The copy is written under a temporary name in the same folder, checked with PRAGMA integrity_check, ' +
        'and renamed when complete, with mode 0600. An existing <file> is never overwritten. Restore it with `scimify restore`.',
    )
    .argument('<file>', 'where to write the copy; must not exist yet')
    .addOption(configOption())
    .addHelpText('after', '\nExample:\n  $ scimify backup /var/backups/scimify-$(date +%F).db --config /etc/scimify/config.yaml\n')
    .action((file: string, options: { config?: string }) => {
      const databasePath = databasePathForCommand(ctx, options.config)
      if (!databasePath) return
      try {
        const copy = backupDatabase(databasePath, resolve(file))
        ctx.stdout.write(`backed up ${databasePath} to ${copy.path} (${copy.bytes} bytes)\n`)
      } catch (error) {
        fail(ctx, `backup failed: ${(error as Error).message}`)
      }
    })
}
