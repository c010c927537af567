/**
 * @module `scimify audit`: an instance's audit log since a while ago, and
 * pruning of old entries.
 */
import { Command, Option } from 'commander'
import type { AuditEntry } from '../store/audit'
import { configOption, durationArgument, findInstance, loadConfigForCommand, withContextOutput } from './command-support'
import type { CliContext } from './context'
import { formatTable, oneLine, withExistingDatabase } from './open-database'

const DAY = 24 * 60 * 60 * 1000

export interface AuditListing {
  time: string
  actor: string
  action: string
  target: string | null
  result: string
}

export function makeAuditCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('audit'), ctx)
    .summary("show an instance's audit log; prune old entries")
    .description(
      "Show an instance's audit log: time, actor (key:<id> for a SCIM call, sync for the engine), action, target and result " +
        'of every entry since --since ago. With --prune-older-than, deletes older entries of every instance instead and says how many. ' +
        'Works beside a running serve.',
    )
    .argument('<instance>', 'instance id')
    .addOption(configOption())
    .addOption(new Option('--since <duration>', 'how far back, e.g. 1h or 7d (default: 24h)').argParser(durationArgument))
    .option('--json', 'print a JSON array instead of a table')
    .addOption(
      new Option('--prune-older-than <duration>', 'delete entries older than this (of all instances), e.g. 90d; lists nothing')
        .argParser(durationArgument)
        .conflicts(['since', 'json']),
    )
    .addHelpText('after', '\nExamples:\n  $ scimify audit demo\n  $ scimify audit demo --since 7d --json\n  $ scimify audit demo --prune-older-than 90d\n')
    .action(async (instanceId: string, options: { config?: string; since?: number; json?: boolean; pruneOlderThan?: number }) => {
      const loaded = loadConfigForCommand(ctx, options.config)
      const instance = loaded && findInstance(ctx, loaded.config, instanceId)
      if (!loaded || !instance) return
      const now = ctx.now().getTime()

      if (options.pruneOlderThan !== undefined) {
        const before = new Date(now - options.pruneOlderThan)
        const deleted = await withExistingDatabase(ctx, loaded, (app) => app.audit.pruneBefore(before))
        if (deleted === undefined) return
        ctx.stdout.write(`deleted ${deleted} audit ${deleted === 1 ? 'entry' : 'entries'} older than ${before.toISOString()} (all instances)\n`)
        return
      }

      const since = new Date(now - (options.since ?? DAY))
      const entries = await withExistingDatabase(ctx, loaded, (app) => app.audit.list(instance.id, since).map(listing))
      if (!entries) return
      ctx.stdout.write(options.json ? `${JSON.stringify(entries, null, 2)}\n` : table(entries))
    })
}

function listing(entry: AuditEntry): AuditListing {
  return { time: entry.time, actor: entry.actor, action: entry.action, target: entry.target ?? null, result: entry.result }
}

function table(entries: AuditListing[]): string {
  return formatTable([
    ['TIME', 'ACTOR', 'ACTION', 'TARGET', 'RESULT'],
    ...entries.map((entry) => [entry.time, entry.actor, entry.action, entry.target ?? '-', oneLine(entry.result)]),
  ])
}
