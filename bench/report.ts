/** @module Formats the measured rows as one markdown table. */
import type { LoadResult } from './spec'

export interface Row {
  scenario: string
  /** Users in the database while measured. */
  users?: number
  load?: LoadResult
  /** The bare Bun.serve req/s for this row's own requests, for the "of ceiling" column (and Meets). */
  ceiling?: number
  /** The bare Bun.serve req/s for plain GETs at the same concurrency, for the "of plain" column. */
  plainCeiling?: number
  /** A measurement that is not a throughput (seconds, MB, calls per change). */
  value?: string
  target?: string
  /** Whether the row meets its target; undefined when it has none or it cannot be judged here. */
  meets?: boolean
}

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1))
const int = (n: number) => Math.round(n).toLocaleString('en-US')

export function formatTable(rows: Row[]): string {
  const lines = [
    '| Scenario | Users | c | Requests (errors) | req/s | of ceiling | of plain | p50 ms | p99 ms | Server CPU µs/req | Client CPU µs/req | Value | Target | Meets |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|:-:|',
  ]
  for (const row of rows) {
    const load = row.load
    const cells = [
      row.scenario,
      row.users === undefined ? '' : int(row.users),
      load ? String(load.concurrency) : '',
      load ? `${int(load.requests)}${load.errors ? ` (${int(load.errors)})` : ''}` : '',
      load ? int(load.perSecond) : '',
      load && row.ceiling ? `${((100 * load.perSecond) / row.ceiling).toFixed(0)}%` : '',
      load && row.plainCeiling ? `${((100 * load.perSecond) / row.plainCeiling).toFixed(0)}%` : '',
      load ? ms(load.p50Ms) : '',
      load ? ms(load.p99Ms) : '',
      load?.serverCpuMicros === undefined ? '' : int(load.serverCpuMicros),
      load ? int(load.clientCpuMicros) : '',
      row.value ?? '',
      row.target ?? '',
      row.meets === undefined ? '' : row.meets ? 'yes' : '**no**',
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}
