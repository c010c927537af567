/**
 * @module The `scimify` command line: one file per command, added here.
 */
import { Command } from 'commander'
import { connectors } from '../../connectors'
import { ConnectorRegistry } from '../connector/registry'
import { makeAuditCommand } from './audit'
import { makeBackupCommand } from './backup'
import { makeConfigCommand } from './config-check'
import { makeDoctorCommand } from './doctor'
import type { CliContext } from './context'
import { makeGroupsCommand } from './groups'
import { makeImportCommand } from './import'
import { makeKeysCommand } from './keys'
import { makeRestoreCommand } from './restore'
import { makeRetryCommand } from './retry'
import { makeServeCommand } from './serve'
import { makeStatusCommand } from './status'
import { makeSyncCommand } from './sync'
import { makeUsersCommand } from './users'

export const VERSION = '0.1.0'

export function defaultContext(): CliContext {
  return {
    registry: new ConnectorRegistry(connectors),
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => new Date(),
    env: process.env,
  }
}

export function createProgram(ctx: CliContext = defaultContext()): Command {
  return new Command('scimify')
    .description('A self-hosted SCIM 2.0 bridge: identity providers provision users and groups, scimify keeps them and syncs them to apps.')
    .version(VERSION)
    .addHelpText('after', '\nExample:\n  $ scimify serve --config /etc/scimify/config.yaml\n')
    .addCommand(makeServeCommand(ctx))
    .addCommand(makeConfigCommand(ctx))
    .addCommand(makeKeysCommand(ctx))
    .addCommand(makeStatusCommand(ctx))
    .addCommand(makeSyncCommand(ctx))
    .addCommand(makeRetryCommand(ctx))
    .addCommand(makeImportCommand(ctx))
    .addCommand(makeUsersCommand(ctx))
    .addCommand(makeGroupsCommand(ctx))
    .addCommand(makeAuditCommand(ctx))
    .addCommand(makeBackupCommand(ctx))
    .addCommand(makeRestoreCommand(ctx))
    .addCommand(makeDoctorCommand(ctx))
}
