/** @module Parses durations such as `90d` or `24h` (used by `--expires` and `--grace`) into milliseconds. */

const UNIT_MS = {
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
  w: 7 * 24 * 60 * 60 * 1000,
} as const

const DURATION = /^(\d+)([smhdw])$/

/** Milliseconds in `text`: a whole number followed by one unit of s, m, h, d or w. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim())
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : Number.NaN
  if (!Number.isSafeInteger(ms)) {
    throw new Error(`invalid duration "${text}": use a whole number and one unit of s, m, h, d or w, e.g. "90d" or "24h"`)
  }
  return ms
}
