/**
 * @module `scimify keys rotate`: a new key, while the older keys of the
 * instance keep working for a grace period so the identity provider can be
 * switched over.
 */
import { Command, Option } from 'commander'
import { expireApiKeys } from '../config/edit'
import {
  configOption,
  durationArgument,
  findInstance,
  isoSeconds,
  loadConfigForCommand,
  updateConfigFile,
  withContextOutput,
} from './command-support'
import type { CliContext } from './context'
import { issueKey } from './keys-create'

const DAY_MS = 24 * 60 * 60 * 1000

interface RotateOptions {
  config?: string
  name?: string
  /** Milliseconds. */
  grace: number
}

export function makeKeysRotateCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('rotate'), ctx)
    .summary('create a new API key; older keys expire after a grace period')
    .description(
      'Create a new API key (printed alone on stdout) and let every older key of the instance expire after a grace period, or earlier if it already would.',
    )
    .argument('<instance>', 'instance id')
    .addOption(configOption())
    .addOption(new Option('--grace <duration>', 'how long older keys keep working').argParser(durationArgument).default(DAY_MS, '24h'))
    .option('--name <label>', 'a label for the new key')
    .addHelpText('after', '\nExamples:\n  $ scimify keys rotate demo --name okta\n  $ scimify keys rotate demo --grace 1h\n')
    .action((instanceId: string, options: RotateOptions) => {
      const loaded = loadConfigForCommand(ctx, options.config)
      const instance = loaded && findInstance(ctx, loaded.config, instanceId)
      if (!loaded || !instance) return

      const now = ctx.now()
      const graceEnd = isoSeconds(new Date(now.getTime() + options.grace))
      const olderIds = instance.keys.map((key) => key.id)
      const issued = updateConfigFile(ctx, loaded.path, () => {
        const withNewKey = issueKey(loaded.text, instance, { name: options.name, created: isoSeconds(now) })
        return { ...withNewKey, text: expireApiKeys(withNewKey.text, instanceId, olderIds, graceEnd) }
      })
      if (!issued) return

      ctx.stdout.write(`${issued.secret}\n`)
      const older = olderIds.length === 0 ? '' : `The ${olderIds.length} older key(s) stop working at ${graceEnd} at the latest.\n`
      ctx.stderr.write(
        `Created key ${issued.id} for instance "${instance.id}". It is shown only this once: store it now.\n${older}` +
          'A running `scimify serve` picks the change up within 2 s.\n',
      )
    })
}
