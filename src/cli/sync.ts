/**
 * @module `scimify sync`: reconciles an instance now, in this process, on
 * the configured database (beside a running serve if there is one), or with
 * `--dry-run` prints what reconciling would do and changes nothing.
 */
import { Command } from 'commander'
import type { App } from '../app'
import type { ResourceKey } from '../store/sync'
import type { DriftReport } from '../sync/drift'
import { planKey, type InstanceRuntime } from '../sync/engine'
import { instanceRuntimes } from '../sync/runtime'
import { configOption, fail, findInstance, loadConfigForCommand, withContextOutput } from './command-support'
import type { CliContext } from './context'
import { oneLine, withExistingDatabase } from './open-database'
import { progressReporter } from './progress'

export function makeSyncCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('sync'), ctx)
    .summary('reconcile an instance now (or --dry-run: show the plan)')
    .description(
      'Reconcile an instance now: every resource waiting in its queue is compared with the app and brought there. ' +
        'Prints how many were reconciled and how many are pending and failed afterwards; exits 1 if any failed. ' +
        '--full is the full reconcile serve runs every sync.full_interval: every resource is compared, not only the changed ones, ' +
        'and the app is listed for drift (repaired or reported per sync.drift). --dry-run prints the operations it would run ' +
        '(<operation> <resource id> <userName or displayName>) and changes nothing. ' +
        'Works beside a running `scimify serve` on the same database (SQLite WAL).',
    )
    .argument('<instance>', 'instance id')
    .addOption(configOption())
    .option('--full', 'compare every resource of the instance and check the app for drift')
    .option('--dry-run', 'print the planned operations and change nothing (no drift check)')
    .addHelpText('after', '\nExamples:\n  $ scimify sync demo\n  $ scimify sync demo --full --dry-run\n')
    .action(async (instanceId: string, options: { config?: string; full?: boolean; dryRun?: boolean }) => {
      const loaded = loadConfigForCommand(ctx, options.config)
      const instance = loaded && findInstance(ctx, loaded.config, instanceId)
      if (!loaded || !instance) return
      const runtime = instanceRuntimes(loaded.config, ctx.registry).get(instance.id)
      if (!instance.enabled || !runtime) return fail(ctx, `instance "${instance.id}" is disabled (enabled: false): nothing is synced for it`)

      await withExistingDatabase(ctx, loaded, (app) => (options.dryRun ? dryRun(ctx, app, runtime, options.full === true) : run(ctx, app, runtime, options.full === true)))
    })
}

async function run(ctx: CliContext, app: App, runtime: InstanceRuntime, full: boolean): Promise<void> {
  if (full) {
    // What serve does every sync.full_interval: every resource marked dirty, the app listed for drift, the run recorded.
    try {
      ctx.stdout.write(`${driftSummary(runtime.id, await app.sync.reconcileFull(runtime.id))}\n`)
    } catch (error) {
      // Every resource is marked dirty before the app is listed: the compare below still runs.
      fail(ctx, `full reconcile of ${runtime.id}: the drift check failed: ${(error as Error).message}`)
    }
  }
  // Progress: how much of what was queued at the start has left the queue.
  const total = app.syncState.queueLength(runtime.id)
  const progress = progressReporter(ctx.stderr, `reconciling ${runtime.id}`)
  const report = () => progress.update(Math.max(0, total - app.syncState.queueLength(runtime.id)), total)
  const ticker = setInterval(report, 250)
  const reconciled = await app.sync.runDue(runtime.id).finally(() => clearInterval(ticker))
  report()
  progress.finish()
  const { pending, failed } = app.syncState.counts(runtime.id)
  ctx.stdout.write(`reconciled ${reconciled} ${reconciled === 1 ? 'resource' : 'resources'} of ${runtime.id}: ${pending} pending, ${failed} failed\n`)

  // What still waits after an error, this run's or an earlier one's.
  const failing = app.syncState.queueEntries(runtime.id).filter((entry) => entry.lastError !== null)
  for (const entry of failing) {
    ctx.stderr.write(`not synced: ${entry.type} ${entry.id} ${nameOf(app.store.get(runtime.id, entry.type, entry.id)?.data)}: ${oneLine(entry.lastError!, 200)}\n`)
  }
  if (failed > 0 || failing.length > 0) process.exitCode = 1
}

/** One line on the drift a full reconcile found, and what it did about it. */
export function driftSummary(instance: string, report: DriftReport): string {
  if (report.skipped) return `full reconcile of ${instance}: every resource compared; drift not checked (${report.skipped})`
  const found = `${report.missing.length} missing, ${report.membership.length} with other members, ${report.unmanaged.length} unmanaged`
  const action = report.repaired ? 'repaired' : report.missing.length + report.membership.length > 0 ? 'reported only' : 'nothing to repair'
  return `full reconcile of ${instance}: drift ${found} (${action}${report.pruned > 0 ? `, ${report.pruned} unmanaged removed` : ''})`
}

function dryRun(ctx: CliContext, app: App, runtime: InstanceRuntime, full: boolean): void {
  const keys = full ? everyKey(app, runtime.id) : app.syncState.queueEntries(runtime.id)
  const lines = planLines(app, runtime, keys)
  for (const line of lines) ctx.stdout.write(`${line}\n`)
  const compared = `${keys.length} ${keys.length === 1 ? 'resource' : 'resources'}`
  ctx.stdout.write(`dry run of ${runtime.id}: ${compared} compared, ${lines.length} ${lines.length === 1 ? 'operation' : 'operations'} planned, nothing changed\n`)
}

/** Every resource of the instance, plus links and queue entries of resources deleted since. */
function everyKey(app: App, instance: string): ResourceKey[] {
  const keys = new Map<string, ResourceKey>()
  const add = (key: ResourceKey) => keys.set(`${key.type}\u0000${key.id}`, { instance, type: key.type, id: key.id })
  for (const key of app.store.keys(instance)) add({ instance, ...key })
  for (const link of app.syncState.links(instance)) add(link)
  for (const entry of app.syncState.queueEntries(instance)) add(entry)
  return [...keys.values()]
}

/**
 * One line per operation reconciling `keys` would run first:
 * `<operation> <resource id> <userName or displayName>`. As the engine does,
 * operations journaled earlier and not yet confirmed come first (they are
 * replayed as they are); otherwise the plan against the desired state, with
 * the inputs the engine gives the planner. Reads only.
 */
export function planLines(app: App, runtime: InstanceRuntime, keys: readonly ResourceKey[]): string[] {
  const lines: string[] = []
  for (const key of keys) {
    const journal = app.syncState.journal(key)
    const entries = journal.length > 0 ? journal : planKey(app.store, app.syncState, runtime, key, new Date())
    for (const { operation } of entries) {
      lines.push(`${operation.type} ${key.id} ${nameOf(operation.resource)}`)
    }
  }
  return lines
}

/** userName of a user, displayName of a group; "-" when there is neither (e.g. a deleted resource). */
function nameOf(data: Record<string, unknown> | undefined): string {
  const name = data?.userName ?? data?.displayName
  return typeof name === 'string' ? name : '-'
}
