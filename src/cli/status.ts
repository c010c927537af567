/**
 * @module `scimify status`: per instance, how many users and groups the IdP
 * has provisioned and where the sync engine stands with them.
 */
import { Command } from 'commander'
import type { App } from '../app'
import { configOption, findInstance, loadConfigForCommand, withContextOutput } from './command-support'
import type { CliContext } from './context'
import { formatTable, oneLine, withExistingDatabase } from './open-database'

export interface InstanceStatus {
  instance: string
  users: number
  groups: number
  /** Queue entries: resources waiting to be reconciled (incl. retries after an error). */
  pending: number
  /** Resources whose downstream operation kept failing. */
  failed: number
  /** When the last full reconcile (drift check) ran; null ("never" in the table) before the first. */
  lastFullSync: string | null
  lastError: string | null
}

export function makeStatusCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('status'), ctx)
    .summary('show users, groups, pending and failed resources per instance')
    .description(
      'Show each instance (or the one named): users and groups provisioned, resources pending and failed downstream, ' +
        'the last full sync (drift check) and the last error. Reads the database beside a running serve; never creates it.',
    )
    .argument('[instance]', 'instance id (default: every instance)')
    .addOption(configOption())
    .option('--json', 'print a JSON array instead of a table')
    .addHelpText('after', '\nExamples:\n  $ scimify status\n  $ scimify status demo --json\n')
    .action(async (instanceId: string | undefined, options: { config?: string; json?: boolean }) => {
      const loaded = loadConfigForCommand(ctx, options.config)
      if (!loaded) return
      const instances = instanceId === undefined ? loaded.config.instances : [findInstance(ctx, loaded.config, instanceId)]
      if (instances.some((instance) => !instance)) return

      const statuses = await withExistingDatabase(ctx, loaded, (app) => instances.map((instance) => statusOf(app, instance!.id)))
      if (!statuses) return
      ctx.stdout.write(options.json ? `${JSON.stringify(statuses, null, 2)}\n` : table(statuses))
    })
}

export function statusOf(app: App, instance: string): InstanceStatus {
  const { users, groups } = app.store.countByType(instance)
  const { pending, failed } = app.syncState.counts(instance)
  return {
    instance,
    users,
    groups,
    pending,
    failed,
    lastFullSync: app.syncRuns.last(instance)?.at ?? null,
    lastError: app.syncState.lastError(instance),
  }
}

function table(statuses: InstanceStatus[]): string {
  return formatTable([
    ['INSTANCE', 'USERS', 'GROUPS', 'PENDING', 'FAILED', 'LAST FULL SYNC', 'LAST ERROR'],
    ...statuses.map((s) => [
      s.instance,
      String(s.users),
      String(s.groups),
      String(s.pending),
      String(s.failed),
      s.lastFullSync ?? 'never',
      s.lastError === null ? '-' : oneLine(s.lastError),
    ]),
  ])
}
