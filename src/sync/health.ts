/**
 * @module Each instance's downstream health as the sync engine last saw it,
 * for /readyz: how many of its latest downstream operations failed in a row.
 *
 * An instance is `failing` once its last FAILING_AFTER operations all failed
 * (whatever the error: the app down, timing out, rate limiting or refusing),
 * and `ok` again at its next success. One or two failures in a row are
 * `degraded`: a single bad resource or a blip does not make scimify unready.
 * The count lives in memory: after a restart every instance starts `ok`
 * until its operations say otherwise.
 */

/** Consecutive failed downstream operations after which an instance is failing. */
export const FAILING_AFTER = 3

export type DownstreamState = 'ok' | 'degraded' | 'failing'

export interface DownstreamHealth {
  state: DownstreamState
  consecutiveFailures: number
  /** ISO 8601; absent when no operation succeeded (or failed) since the start. */
  lastSuccess?: string
  lastFailure?: string
}

export class DownstreamHealthTracker {
  private readonly byInstance = new Map<string, { consecutiveFailures: number; lastSuccess?: string; lastFailure?: string }>()

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** One downstream operation of `instance` ended. */
  record(instance: string, failed: boolean): void {
    const entry = this.byInstance.get(instance) ?? { consecutiveFailures: 0 }
    const at = this.now().toISOString()
    if (failed) {
      entry.consecutiveFailures++
      entry.lastFailure = at
    } else {
      entry.consecutiveFailures = 0
      entry.lastSuccess = at
    }
    this.byInstance.set(instance, entry)
  }

  of(instance: string): DownstreamHealth {
    const entry = this.byInstance.get(instance) ?? { consecutiveFailures: 0 }
    return { state: stateOf(entry.consecutiveFailures), ...entry }
  }
}

function stateOf(consecutiveFailures: number): DownstreamState {
  if (consecutiveFailures >= FAILING_AFTER) return 'failing'
  return consecutiveFailures > 0 ? 'degraded' : 'ok'
}
