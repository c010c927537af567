/**
 * @module `scimify retry`: makes an instance's waiting queue entries (those
 * backing off after errors, and failed ones) due now with a fresh attempt
 * count. A running `scimify serve` picks them up; `scimify sync` runs them at once.
 */
import { Command } from 'commander'
import { configOption, findInstance, loadConfigForCommand, withContextOutput } from './command-support'
import type { CliContext } from './context'
import { withExistingDatabase } from './open-database'

export function makeRetryCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('retry'), ctx)
    .summary('retry pending and failed resources now')
    .description(
      "Retry now: makes an instance's pending and failed resources (or the one named) due at once, with a fresh attempt count. " +
        'A running serve picks them up within a second; without one, run `scimify sync`.',
    )
    .argument('<instance>', 'instance id')
    .argument('[resource-id]', 'the SCIM id of one user or group (default: all of the instance)')
    .addOption(configOption())
    .addHelpText('after', '\nExamples:\n  $ scimify retry demo\n  $ scimify retry demo 2819c223-7f76-453a-919d-413861904646\n')
    .action(async (instanceId: string, resourceId: string | undefined, options: { config?: string }) => {
      const loaded = loadConfigForCommand(ctx, options.config)
      const instance = loaded && findInstance(ctx, loaded.config, instanceId)
      if (!loaded || !instance) return

      const count = await withExistingDatabase(ctx, loaded, (app) => app.syncState.retryNow(instance.id, resourceId, ctx.now().getTime()))
      if (count === undefined) return
      if (count === 0) {
        ctx.stdout.write(resourceId === undefined ? `nothing to retry in ${instance.id}\n` : `nothing to retry for ${resourceId} in ${instance.id}\n`)
      } else {
        ctx.stdout.write(`${count} ${count === 1 ? 'resource' : 'resources'} of ${instance.id} due for retry now\n`)
      }
    })
}
