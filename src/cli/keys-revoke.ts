/** @module `scimify keys revoke`: removes a key from an instance. */
import { Command } from 'commander'
import { removeApiKey } from '../config/edit'
import { configOption, fail, findInstance, loadConfigForCommand, updateConfigFile, withContextOutput } from './command-support'
import type { CliContext } from './context'

export function makeKeysRevokeCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('revoke'), ctx)
    .summary('revoke an API key')
    .description('Revoke an API key: removes its entry from the config file. A running serve refuses it within 2 s.')
    .argument('<instance>', 'instance id')
    .argument('<key-id>', 'the key id, as shown by `scimify keys list`')
    .addOption(configOption())
    .addHelpText('after', '\nExample:\n  $ scimify keys revoke demo 3f9a0c1d2e4b\n')
    .action((instanceId: string, keyId: string, options: { config?: string }) => {
      const loaded = loadConfigForCommand(ctx, options.config)
      const instance = loaded && findInstance(ctx, loaded.config, instanceId)
      if (!loaded || !instance) return
      if (!instance.keys.some((key) => key.id === keyId)) return fail(ctx, `unknown key "${keyId}" in instance "${instanceId}"`)

      if (!updateConfigFile(ctx, loaded.path, () => ({ text: removeApiKey(loaded.text, instanceId, keyId) }))) return
      ctx.stderr.write(`Revoked key ${keyId} of instance "${instanceId}". A running \`scimify serve\` refuses it within 2 s.\n`)
    })
}
