/** @module `scimify config check`: validates the config file without starting anything. */
import { Command } from 'commander'
import { configOption, loadConfigForCommand, withContextOutput } from './command-support'
import type { CliContext } from './context'

/** The `config` command group. */
export function makeConfigCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('config'), ctx)
    .description('Work with the config file.')
    .addHelpText('after', '\nExample:\n  $ scimify config check --config /etc/scimify/config.yaml\n')
    .addCommand(makeConfigCheckCommand(ctx))
}

export function makeConfigCheckCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('check'), ctx)
    .summary('validate the config file')
    .description('Validate the config file: YAML, settings, connector settings and secret references. Exits 1 and lists every problem when it is invalid.')
    .addOption(configOption())
    .addHelpText('after', '\nExamples:\n  $ scimify config check\n  $ scimify config check --config /etc/scimify/config.yaml\n')
    .action((options: { config?: string }) => {
      const loaded = loadConfigForCommand(ctx, options.config)
      if (!loaded) return
      const count = loaded.config.instances.length
      ctx.stdout.write(`config OK: ${loaded.path} (${count} ${count === 1 ? 'instance' : 'instances'})\n`)
    })
}
