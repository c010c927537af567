/**
 * @module What the `config` and `keys` commands share: the `--config` option,
 * commander output through the context, loading the config file with its
 * issues reported, and saving edits to it.
 */
import { InvalidArgumentError, Option, type Command } from 'commander'
import { dirname, isAbsolute, resolve } from 'node:path'
import { parseDuration } from '../config/duration'
import { writeConfigFileAtomic } from '../config/edit'
import { formatIssue, parseConfig, readConfigText, type ConfigIssue } from '../config/load'
import { resolveConfigPath } from '../config/paths'
import type { Config, InstanceConfig } from '../config/schema'
import type { CliContext } from './context'

export function configOption(): Option {
  return new Option('--config <path>', 'config file (default: $SCIMIFY_CONFIG, else ./data/config.yaml)')
}

/** Sends commander's own output (help, usage errors) through the context, like everything else. */
export function withContextOutput(command: Command, ctx: CliContext): Command {
  return command.configureOutput({
    writeOut: (text) => ctx.stdout.write(text),
    writeErr: (text) => ctx.stderr.write(text),
  })
}

/** Reports a failure: the message on stderr, exit code 1. */
export function fail(ctx: CliContext, message: string): void {
  ctx.stderr.write(`${message}\n`)
  process.exitCode = 1
}

export interface LoadedConfig {
  path: string
  /** The file's text as read, for edits that keep its formatting. */
  text: string
  config: Config
}

/** The config file named by `--config` (or the environment), or undefined after reporting why it is unusable. */
export function loadConfigForCommand(ctx: CliContext, configFlag: string | undefined): LoadedConfig | undefined {
  const { path } = resolveConfigPath(configFlag, ctx.env)
  const read = readConfigText(path)
  if (!read.ok) return reportIssues(ctx, read.issues)
  const result = parseConfig(read.text, ctx.registry, ctx.env, dirname(path))
  if (!result.ok) return reportIssues(ctx, result.issues)
  return { path, text: read.text, config: result.config }
}

/** One `formatIssue` line per issue on stderr, exit code 1. */
export function reportIssues(ctx: CliContext, issues: readonly ConfigIssue[]): undefined {
  for (const issue of issues) ctx.stderr.write(`${formatIssue(issue)}\n`)
  process.exitCode = 1
  return undefined
}

/** The instance with id `instanceId`, or undefined after reporting that there is none. */
export function findInstance(ctx: CliContext, config: Config, instanceId: string): InstanceConfig | undefined {
  const instance = config.instances.find((candidate) => candidate.id === instanceId)
  if (!instance) fail(ctx, `unknown instance "${instanceId}"`)
  return instance
}

/** Relative paths in the config file are relative to the file, not to the working directory. */
export function resolveBeside(configPath: string, path: string): string {
  return path === ':memory:' || isAbsolute(path) ? path : resolve(dirname(configPath), path)
}

/** ISO 8601 in UTC to the second, as written into the config file. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Argument parser for duration options such as `--expires 90d`: milliseconds, or a usage error. */
export function durationArgument(value: string): number {
  try {
    return parseDuration(value)
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message)
  }
}

/**
 * Applies `edit` to the config file and saves it atomically. Returns the
 * edit's result, or undefined after reporting an edit or write error.
 */
export function updateConfigFile<T extends { text: string }>(ctx: CliContext, path: string, edit: () => T): T | undefined {
  try {
    const result = edit()
    writeConfigFileAtomic(path, result.text)
    return result
  } catch (error) {
    fail(ctx, `cannot update ${path}: ${(error as Error).message}`)
    return undefined
  }
}
