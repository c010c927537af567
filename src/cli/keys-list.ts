/** @module `scimify keys list`: an instance's keys with their dates and status, never the key or its hash. */
import { Command } from 'commander'
import type { ApiKeyConfig } from '../config/schema'
import { configOption, findInstance, loadConfigForCommand, withContextOutput } from './command-support'
import type { CliContext } from './context'

export interface KeyListing {
  id: string
  name: string | null
  created: string
  expires: string | null
  status: 'active' | 'expired'
}

export function makeKeysListCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('list'), ctx)
    .summary("list an instance's API keys")
    .description("List an instance's API keys: id, name, created, expires and status. Keys and hashes are never shown.")
    .argument('<instance>', 'instance id')
    .addOption(configOption())
    .option('--json', 'print a JSON array instead of a table')
    .addHelpText('after', '\nExamples:\n  $ scimify keys list demo\n  $ scimify keys list demo --json\n')
    .action((instanceId: string, options: { config?: string; json?: boolean }) => {
      const loaded = loadConfigForCommand(ctx, options.config)
      const instance = loaded && findInstance(ctx, loaded.config, instanceId)
      if (!instance) return

      const listings = instance.keys.map((key) => listing(key, ctx.now()))
      ctx.stdout.write(options.json ? `${JSON.stringify(listings, null, 2)}\n` : table(listings))
    })
}

function listing(key: ApiKeyConfig, now: Date): KeyListing {
  const expired = key.expires !== undefined && Date.parse(key.expires) <= now.getTime()
  return {
    id: key.id,
    name: key.name ?? null,
    created: key.created,
    expires: key.expires ?? null,
    status: expired ? 'expired' : 'active',
  }
}

function table(listings: KeyListing[]): string {
  const rows = [
    ['ID', 'NAME', 'CREATED', 'EXPIRES', 'STATUS'],
    ...listings.map((key) => [key.id, key.name ?? '-', key.created, key.expires ?? 'never', key.status]),
  ]
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  return rows.map((row) => `${row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()}\n`).join('')
}
