/** @module Doctor's check of an instance's API keys: at least one works, and not only for a few more days. */
import type { InstanceConfig } from '../../config/schema'
import { failed, ok, warn, type Check } from './check'

const DAY_MS = 24 * 60 * 60 * 1000
const SOON_MS = 14 * DAY_MS

export function keyChecks(instance: InstanceConfig, now: Date, configPath: string): Check[] {
  const what = `instance ${instance.id}: keys`
  const config = `--config ${configPath}`
  const create = `scimify keys create ${instance.id} --name <idp> --expires 365d ${config}, then paste the key into the IdP`
  const expiry = (key: InstanceConfig['keys'][number]) => (key.expires === undefined ? Infinity : Date.parse(key.expires))
  const expired = instance.keys.filter((key) => expiry(key) <= now.getTime())
  const usable = instance.keys.filter((key) => expiry(key) > now.getTime())

  if (instance.keys.length === 0) return [failed(what, 'no API key: the IdP cannot authenticate', create)]
  if (usable.length === 0) {
    const last = expired.map((key) => key.expires!).sort().at(-1)
    return [failed(what, `every key has expired (the last on ${last}): the IdP gets 401`, create)]
  }
  const checks: Check[] = []
  const lasting = usable.filter((key) => expiry(key) > now.getTime() + SOON_MS)
  if (lasting.length === 0) {
    const latest = usable.toSorted((a, b) => expiry(b) - expiry(a))[0]
    const days = Math.floor((expiry(latest) - now.getTime()) / DAY_MS)
    checks.push(
      warn(
        what,
        `key ${latest.id}${latest.name ? ` (${latest.name})` : ''} expires on ${latest.expires}, in ${days} day${days === 1 ? '' : 's'}, and no key lasts longer`,
        `scimify keys rotate ${instance.id} --grace 24h ${config}, update the IdP (docs/key-rotation.md)`,
      ),
    )
  } else {
    const until = lasting.some((key) => key.expires === undefined) ? 'without expiry' : `until ${lasting.map((key) => key.expires!).sort().at(-1)}`
    checks.push(ok(what, `${usable.length} usable key${usable.length === 1 ? '' : 's'}, valid ${until}`))
  }
  if (expired.length > 0) {
    const ids = expired.map((key) => key.id)
    checks.push(warn(what, `expired key${ids.length === 1 ? '' : 's'} still listed: ${ids.join(', ')}`, ids.map((id) => `scimify keys revoke ${instance.id} ${id} ${config}`).join('; ')))
  }
  return checks
}
