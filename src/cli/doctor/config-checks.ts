/**
 * @module Doctor's checks of the config file: that it parses and validates,
 * and who may read and change it (it decides which API keys are accepted).
 */
import { statSync } from 'node:fs'
import { dirname } from 'node:path'
import { parse } from 'yaml'
import { formatIssue, parseConfig, readConfigText } from '../../config/load'
import type { Config } from '../../config/schema'
import type { ConnectorRegistry } from '../../connector/registry'
import { failed, ok, warn, type Check } from './check'
import { describeAccess, isGroupWritable, isWorldWritable, octalMode } from './file-mode'

export interface ConfigFindings {
  checks: Check[]
  /** The validated config, when the file is valid. */
  config?: Config
  /** The file's text, when it could be read. */
  text?: string
  /** `server.database` as written (or its default), for the database checks of an invalid file. */
  database: string
}

const DEFAULT_DATABASE = './scimify.db'

export function configChecks(path: string, registry: ConnectorRegistry, env: Record<string, string | undefined>): ConfigFindings {
  const read = readConfigText(path)
  if (!read.ok) {
    const fix = `point --config (or SCIMIFY_CONFIG) at the file, or run doctor as a user who can read it (sudo)`
    return { checks: [failed('config file', read.issues.map(formatIssue).join('; '), fix)], database: DEFAULT_DATABASE }
  }
  const result = parseConfig(read.text, registry, env, dirname(path))
  if (!result.ok) {
    const checks = result.issues.map((issue) => failed('config file', `${path}: ${formatIssue(issue)}`, fixFor(issue.message, path)))
    return { checks: [...checks, permissionsCheck(path)], text: read.text, database: rawDatabase(read.text) }
  }
  const count = result.config.instances.length
  const valid = ok('config file', `${path} is valid (${count} instance${count === 1 ? '' : 's'})`)
  return { checks: [valid, permissionsCheck(path)], config: result.config, text: read.text, database: result.config.server.database }
}

function permissionsCheck(path: string): Check {
  const stats = statSync(path)
  const what = 'config file permissions'
  const found = describeAccess(stats)
  const chmod = `chmod 0600 ${path} (and chown it to the service user, e.g. chown scimify:scimify ${path})`
  // Whoever can write the file can add an API key.
  if (isWorldWritable(stats)) return failed(what, `${found}: anyone on this machine can change it and add an API key`, chmod)
  if (isGroupWritable(stats)) return warn(what, `${found}: its group can change it and add an API key`, chmod)
  if (octalMode(stats) !== '0600') return warn(what, `${found}, not 0600: others can read the key hashes and settings`, chmod)
  return ok(what, found)
}

/** Secret references resolve in the service's environment, which an admin's shell may lack. */
function fixFor(message: string, path: string): string {
  if (message.startsWith('environment variable ')) {
    return `set it in the service's environment (/etc/scimify/scimify.env), and run doctor with it: sudo sh -c 'set -a; . /etc/scimify/scimify.env; exec scimify doctor --config ${path}'`
  }
  if (message.startsWith('cannot read secret file ')) return 'create the file, or run doctor as a user who can read it'
  return `edit ${path}; \`scimify config check --config ${path}\` lists every problem`
}

/** `server.database` of a file that does not validate, when it is a string at all. */
function rawDatabase(text: string): string {
  try {
    const database = (parse(text) as { server?: { database?: unknown } } | null)?.server?.database
    return typeof database === 'string' && database !== '' ? database : DEFAULT_DATABASE
  } catch {
    return DEFAULT_DATABASE
  }
}
