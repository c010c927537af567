/**
 * @module `scimify doctor`: checks the config file, the database, the state
 * folder, the clock and each instance, one line per check with the fix for
 * each problem. Exit 1 when a check failed; warnings alone exit 0.
 */
import { Command } from 'commander'
import { resolveConfigPath } from '../config/paths'
import type { Config } from '../config/schema'
import { configOption, fail, resolveBeside, withContextOutput } from './command-support'
import type { CliContext } from './context'
import { anyFailed, formatCheck, skip, summary, type Check } from './doctor/check'
import { clockCheck } from './doctor/clock'
import { configChecks } from './doctor/config-checks'
import { databaseChecks } from './doctor/database-checks'
import { diskCheck } from './doctor/disk'
import { instanceChecks, urlsOf } from './doctor/instance-checks'
import { probeUrl, type Probe } from './doctor/probe'

export interface DoctorOptions {
  /** How URLs are tried; tests pass their own. */
  probe?: Probe
}

export function makeDoctorCommand(ctx: CliContext, options: DoctorOptions = {}): Command {
  return withContextOutput(new Command('doctor'), ctx)
    .summary('check the config, database, clock and instances; say how to fix each problem')
    .description(
      'Check the config file (valid, mode and owner), the database (present, quick_check, schema version, WAL files, free space), ' +
        'the state folder, the clock (against the Date header of an HTTPS connector URL in the config) and each instance ' +
        '(or the one named): enabled, API keys not expired nor expiring within 14 days, connector settings, and whether the app ' +
        'can be reached (the connector\'s own access check, else DNS and a connection to each URL in its settings, with an ' +
        'OPTIONS request that no receiver takes for an event). Changes nothing. Exit 1 when a check failed.',
    )
    .argument('[instance]', 'instance id (default: every instance)')
    .addOption(configOption())
    .option('--json', 'print {"ok": …, "checks": [{status, what, detail, fix}]} instead of lines')
    .addHelpText('after', '\nExamples:\n  $ sudo scimify doctor --config /etc/scimify/config.yaml\n  $ scimify doctor demo --json\n')
    .action(async (instanceId: string | undefined, flags: { config?: string; json?: boolean }) => {
      const checks = await runChecks(ctx, instanceId, flags.config, options.probe ?? probeUrl)
      if (!checks) return
      if (flags.json) ctx.stdout.write(`${JSON.stringify({ ok: !anyFailed(checks), checks }, null, 2)}\n`)
      else ctx.stdout.write(checks.map(formatCheck).join('') + summary(checks))
      if (anyFailed(checks)) process.exitCode = 1
    })
}

/** Every check, in order; undefined after reporting an unknown instance. */
async function runChecks(ctx: CliContext, instanceId: string | undefined, configFlag: string | undefined, probe: Probe): Promise<Check[] | undefined> {
  const { path } = resolveConfigPath(configFlag, ctx.env)
  const found = configChecks(path, ctx.registry, ctx.env)
  const instances = found.config && inScope(found.config, instanceId)
  if (found.config && !instances) {
    fail(ctx, `unknown instance "${instanceId}"`)
    return undefined
  }
  const databasePath = resolveBeside(path, found.database)
  const checks = [...found.checks, ...databaseChecks(databasePath, path), diskCheck(databasePath)]
  if (!found.config || !instances) return [...checks, skip('instances', 'not checked: fix the config file first')]

  // Only URLs written in the file: doctor calls nothing on the network that the config does not name.
  const enabled = instances.filter((instance) => instance.enabled)
  const named = (url: string) => found.text?.includes(url) === true
  checks.push(await clockCheck(enabled.flatMap((instance) => urlsOf(instance.connector.settings)).filter(named), probe))
  for (const instance of instances) {
    checks.push(...(await instanceChecks(instance, { registry: ctx.registry, now: ctx.now(), configPath: path, probe, named })))
  }
  return checks
}

function inScope(config: Config, instanceId: string | undefined) {
  if (instanceId === undefined) return config.instances
  const instance = config.instances.find((candidate) => candidate.id === instanceId)
  return instance ? [instance] : undefined
}
