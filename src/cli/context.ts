/**
 * @module What every CLI command gets: the connector registry, output
 * streams and a clock. Commands write through these (never console.log) so
 * tests can run them in-process, and set `process.exitCode` instead of
 * calling `process.exit()`.
 */
import type { ConnectorRegistry } from '../connector/registry'

export interface Output {
  write(text: string): void
}

export interface CliContext {
  registry: ConnectorRegistry
  stdout: Output
  stderr: Output
  now(): Date
  env: Record<string, string | undefined>
}
