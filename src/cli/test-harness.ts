/** @module Runs a CLI command in-process for tests: captured output, a fixed clock, exit code. */
import { Command, CommanderError } from 'commander'
import { connectors } from '../../connectors'
import { ConnectorRegistry } from '../connector/registry'
import type { CliContext } from './context'
import { queueOnlyConnector } from '../../test/support/queue-only-connector'

export const FIXED_NOW = new Date('2026-01-31T12:00:00Z')

export interface CommandRun {
  stdout: string
  stderr: string
  exitCode: number
}

export async function runCommand(
  makeCommand: (ctx: CliContext) => Command,
  args: string[],
  options: { env?: Record<string, string | undefined>; now?: Date; registry?: ConnectorRegistry } = {},
): Promise<CommandRun> {
  const run: CommandRun = { stdout: '', stderr: '', exitCode: 0 }
  const ctx: CliContext = {
    // The built-in connectors and the test fixtures' `queue-only`.
    registry: options.registry ?? new ConnectorRegistry([...connectors, queueOnlyConnector]),
    stdout: { write: (text) => void (run.stdout += text) },
    stderr: { write: (text) => void (run.stderr += text) },
    now: () => options.now ?? FIXED_NOW,
    env: options.env ?? {},
  }
  const program = new Command('scimify').addCommand(makeCommand(ctx))
  // addCommand() does not pass exitOverride() down, so set it on every command.
  const withSubcommands = (command: Command): Command[] => [command, ...command.commands.flatMap(withSubcommands)]
  for (const command of withSubcommands(program)) command.exitOverride()

  const previousExitCode = process.exitCode
  process.exitCode = 0
  try {
    await program.parseAsync(['node', 'scimify', ...args])
    run.exitCode = Number(process.exitCode ?? 0)
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error
    run.exitCode = error.exitCode
  } finally {
    process.exitCode = previousExitCode ?? 0
  }
  return run
}
