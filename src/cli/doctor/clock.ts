/**
 * @module Doctor's clock check: the local clock against the `Date` header of
 * an HTTPS server the config names (a connector's URL). Key expiry, webhook
 * signatures (5 minutes' tolerance) and app tokens all depend on the clock.
 */
import { failed, ok, skip, warn, type Check } from './check'
import { originOf, type Probe } from './probe'

const WARN_MS = 30_000
const FAIL_MS = 300_000
const WHAT = 'clock'

/** Compares with the first HTTPS URL of `urls`; skipped, with a note, when there is none. */
export async function clockCheck(urls: readonly string[], probe: Probe): Promise<Check> {
  const url = urls.find((candidate) => candidate.startsWith('https://'))
  if (!url) return skip(WHAT, 'the config names no HTTPS server to compare with; check `timedatectl` shows "System clock synchronized: yes"')
  const result = await probe(url)
  if (!result.reachable) return skip(WHAT, `could not ask ${originOf(url)} for the time: ${result.reason}`)
  if (!result.date || Number.isNaN(Date.parse(result.date))) return skip(WHAT, `${originOf(url)} sent no Date header`)
  return judgeSkew(Date.parse(result.date) - result.midpoint, originOf(url))
}

/** `skewMs`: the server's time minus ours (the Date header has whole seconds, so ±1 s is noise). */
export function judgeSkew(skewMs: number, origin: string): Check {
  const seconds = Math.round(skewMs / 1000)
  const found = seconds === 0 ? `within a second of ${origin}` : `${Math.abs(seconds)} s ${seconds > 0 ? 'behind' : 'ahead of'} ${origin}`
  const fix = 'turn on time synchronisation: timedatectl set-ntp true (systemd-timesyncd or chrony)'
  if (Math.abs(skewMs) > FAIL_MS) return failed(WHAT, `${found}: signatures and key expiry go wrong`, fix)
  if (Math.abs(skewMs) > WARN_MS) return warn(WHAT, found, fix)
  return ok(WHAT, found)
}
