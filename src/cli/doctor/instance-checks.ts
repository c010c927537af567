/**
 * @module Doctor's checks of one instance: enabled, its keys, its connector,
 * and whether the app downstream can be reached with its settings.
 */
import type { InstanceConfig } from '../../config/schema'
import { createHttpClient } from '../../connector/http-client'
import type { ConnectorRegistry } from '../../connector/registry'
import { accessCheckerOf, accessChecks } from './access'
import { failed, ok, skip, type Check } from './check'
import { keyChecks } from './key-checks'
import { originOf, type Probe } from './probe'

export interface InstanceCheckDeps {
  registry: ConnectorRegistry
  now: Date
  configPath: string
  probe: Probe
  /** Whether the config file names `url` (doctor calls nothing else). */
  named(url: string): boolean
}

export async function instanceChecks(instance: InstanceConfig, deps: InstanceCheckDeps): Promise<Check[]> {
  const what = `instance ${instance.id}`
  if (!instance.enabled) return [skip(what, 'disabled (enabled: false): the IdP gets 403 and nothing is synced; not checked further')]
  const definition = deps.registry.get(instance.connector.type)
  if (!definition) {
    return [failed(what, `unknown connector "${instance.connector.type}"`, `use one of: ${deps.registry.types().join(', ')}`)]
  }
  const checks = [ok(what, `enabled; connector ${definition.type} (settings valid): ${definition.description}`), ...keyChecks(instance, deps.now, deps.configPath)]
  if (!definition.create) return [...checks, ok(`${what}: downstream`, 'store only: nothing downstream to reach')]

  const checker = accessCheckerOf(definition)
  if (checker) {
    const http = createHttpClient({ timeoutMs: 10_000, userAgent: `scimify doctor (${instance.id})` })
    return [...checks, ...(await accessChecks(instance, checker, { http, instance: instance.id }))]
  }
  const urls = urlsOf(instance.connector.settings).filter(deps.named)
  if (urls.length === 0) return [...checks, skip(`${what}: downstream`, `the ${definition.type} connector has no access check and no URL to try`)]
  for (const url of urls) checks.push(await reachability(what, url, deps.probe))
  return checks
}

/** The http(s) URLs among a connector's settings (a webhook's `url` and `state_url`), in order, each once. */
export function urlsOf(settings: unknown): string[] {
  if (typeof settings !== 'object' || settings === null) return []
  const values = Object.values(settings).filter((value): value is string => typeof value === 'string' && /^https?:\/\//.test(value) && URL.canParse(value))
  return [...new Set(values)]
}

async function reachability(what: string, url: string, probe: Probe): Promise<Check> {
  const line = `${what}: reach ${originOf(url)}`
  const result = await probe(url)
  if (result.reachable) return ok(line, `connected; OPTIONS answered ${result.status}`)
  return failed(line, result.reason, `check the URL in the config, DNS, and that a firewall lets this machine connect to ${originOf(url)}`)
}
