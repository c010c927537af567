/**
 * @module `scimify import`: links the app's existing users and groups to
 * SCIM resources before the IdP's first sync, so it creates no duplicates.
 */
import { Command, Option } from 'commander'
import { schemasOfInstance } from '../config/extensions'
import { importDownstream } from '../sync/import'
import { instanceRuntimes } from '../sync/runtime'
import { configOption, fail, findInstance, loadConfigForCommand, withContextOutput } from './command-support'
import type { CliContext } from './context'
import { withExistingDatabase } from './open-database'
import { progressReporter } from './progress'

export function makeImportCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('import'), ctx)
    .summary("link the app's existing users and groups to SCIM resources")
    .description(
      "Read the app's existing users and groups (where the connector can) and link each to a SCIM resource: " +
        'one that matches (users by email or userName, per sync.import_match or --match; groups by displayName), ' +
        "or a new one made from it. Run it before connecting the IdP: its first sync then finds them and creates no duplicates. " +
        'Nothing is sent to the app. Safe to run again; works beside a running `scimify serve`.',
    )
    .argument('<instance>', 'instance id')
    .addOption(configOption())
    .addOption(new Option('--match <attribute>', 'match users on').choices(['email', 'userName']))
    .addHelpText('after', '\nExamples:\n  $ scimify import github --match email\n')
    .action(async (instanceId: string, options: { config?: string; match?: 'email' | 'userName' }) => {
      const loaded = loadConfigForCommand(ctx, options.config)
      const instance = loaded && findInstance(ctx, loaded.config, instanceId)
      if (!loaded || !instance) return
      const runtime = instanceRuntimes(loaded.config, ctx.registry).get(instance.id)
      const connector = runtime?.connector
      if (!runtime || !connector?.listUsers) {
        return fail(ctx, `the ${instance.connector.type} connector of "${instance.id}" cannot read the app's users: nothing to import`)
      }
      await withExistingDatabase(ctx, loaded, async (app) => {
        const progress = progressReporter(ctx.stderr, 'importing')
        const report = await importDownstream({
          instance: instance.id,
          connector,
          schemas: schemasOfInstance(instance, ctx.registry),
          baseUrl: runtime.baseUrl,
          match: options.match ?? instance.sync.import_match,
          attributes: runtime.capabilities.attributes,
          resources: app.store,
          sync: app.syncState,
          progress: (done, total) => progress.update(done, total),
        })
        progress.finish()
        const { users, groups } = report
        ctx.stdout.write(
          `users: ${users.linked} linked, ${users.created} created, ${users.alreadyLinked} already linked\n` +
            `groups: ${groups.linked} linked, ${groups.created} created, ${groups.alreadyLinked} already linked\n`,
        )
        for (const skipped of report.skipped) ctx.stdout.write(`skipped ${skipped.id}: ${skipped.reason}\n`)
        if (report.skipped.length > 0) process.exitCode = 1
      })
    })
}
