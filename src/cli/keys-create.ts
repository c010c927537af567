/** @module `scimify keys create`: makes a key, stores its hash, prints the key once. */
import { Command, Option } from 'commander'
import { generateApiKey } from '../auth/api-key'
import { addApiKey } from '../config/edit'
import type { ApiKeyConfig, InstanceConfig } from '../config/schema'
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

interface CreateOptions {
  config?: string
  name?: string
  /** Milliseconds. */
  expires?: number
}

export function makeKeysCreateCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('create'), ctx)
    .summary('create an API key and print it once')
    .description('Create an API key for an instance. Prints the key alone on stdout; only its hash is stored, so it is shown this once.')
    .argument('<instance>', 'instance id')
    .addOption(configOption())
    .option('--name <label>', 'a label for people, e.g. the identity provider')
    .addOption(new Option('--expires <duration>', 'lifetime: a whole number and s, m, h, d or w, e.g. 90d').argParser(durationArgument))
    .addHelpText('after', '\nExamples:\n  $ scimify keys create demo --name okta --expires 90d\n  $ scimify keys create demo --config /etc/scimify/config.yaml > okta.key\n')
    .action((instanceId: string, options: CreateOptions) => {
      const loaded = loadConfigForCommand(ctx, options.config)
      const instance = loaded && findInstance(ctx, loaded.config, instanceId)
      if (!loaded || !instance) return

      const now = ctx.now()
      const expires = options.expires === undefined ? undefined : isoSeconds(new Date(now.getTime() + options.expires))
      const issued = updateConfigFile(ctx, loaded.path, () =>
        issueKey(loaded.text, instance, { name: options.name, created: isoSeconds(now), expires }),
      )
      if (!issued) return

      ctx.stdout.write(`${issued.secret}\n`)
      ctx.stderr.write(
        `Created key ${issued.id} for instance "${instance.id}". It is shown only this once: store it now.\n` +
          'A running `scimify serve` picks it up within 2 s.\n',
      )
    })
}

/** Config text with a new key for `instance` added, and the key itself. */
export function issueKey(
  text: string,
  instance: InstanceConfig,
  fields: Pick<ApiKeyConfig, 'name' | 'created' | 'expires'>,
): { text: string; id: string; secret: string } {
  const key = generateApiKey(new Set(instance.keys.map((existing) => existing.id)))
  const entry: ApiKeyConfig = { id: key.id, name: fields.name, hash: key.hash, created: fields.created, expires: fields.expires }
  return { text: addApiKey(text, instance.id, entry), id: key.id, secret: key.secret }
}
