/**
 * @module Failed-authentication throttling per client address and instance:
 * past `maxFailures` failures within `windowMs`, a further failure is answered
 * 429 until the window ends. Only failures are counted and checked, so a valid
 * key is never held back; memory is a map capped at `maxEntries` (least
 * recently failing entries go first).
 */
import { parseIp } from '../net/cidr'

export interface AuthThrottleOptions {
  maxFailures?: number
  windowMs?: number
  maxEntries?: number
  now?: () => number
}

interface Failures {
  count: number
  since: number
}

export class AuthThrottle {
  readonly maxFailures: number
  readonly windowMs: number
  readonly maxEntries: number
  private readonly now: () => number
  // A Map iterates in insertion order: re-inserting on each failure makes the first entry the least recent.
  private readonly entries = new Map<string, Failures>()

  constructor({ maxFailures = 10, windowMs = 60_000, maxEntries = 10_000, now = Date.now }: AuthThrottleOptions = {}) {
    this.maxFailures = maxFailures
    this.windowMs = windowMs
    this.maxEntries = maxEntries
    this.now = now
  }

  /** How many addresses (per instance) are remembered. */
  get size(): number {
    return this.entries.size
  }

  /** Records a failed attempt; returns the seconds to wait when the address is over the limit, else 0. */
  fail(address: string, instance: string): number {
    const key = `${canonical(address)} ${instance}`
    const now = this.now()
    let failures = this.entries.get(key)
    this.entries.delete(key)
    if (!failures || now - failures.since >= this.windowMs) failures = { count: 0, since: now }
    failures.count++
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(key, failures)
    if (failures.count <= this.maxFailures) return 0
    return Math.max(1, Math.ceil((failures.since + this.windowMs - now) / 1000))
  }
}

/** `::ffff:192.0.2.1` and `192.0.2.1` are one client. */
function canonical(address: string): string {
  return parseIp(address)?.toString(16) ?? address
}
