/** @module The `keys` command group: the API keys identity providers present, kept as hashes in the config file. */
import { Command } from 'commander'
import { withContextOutput } from './command-support'
import type { CliContext } from './context'
import { makeKeysCreateCommand } from './keys-create'
import { makeKeysListCommand } from './keys-list'
import { makeKeysRevokeCommand } from './keys-revoke'
import { makeKeysRotateCommand } from './keys-rotate'

export function makeKeysCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('keys'), ctx)
    .description('Manage the API keys an instance accepts. Keys are stored as hashes in the config file; a running serve picks changes up within 2 s.')
    .addHelpText('after', '\nExamples:\n  $ scimify keys create demo --name okta --expires 90d\n  $ scimify keys list demo\n')
    .addCommand(makeKeysCreateCommand(ctx))
    .addCommand(makeKeysListCommand(ctx))
    .addCommand(makeKeysRevokeCommand(ctx))
    .addCommand(makeKeysRotateCommand(ctx))
}
