/**
 * @module Reads a /metrics answer in tests with a real parser of the
 * Prometheus text format (parse-prometheus-text-format), into families whose
 * samples keep their names and labels, so tests can look values up.
 *
 * The parser reads HELP, TYPE and every sample line, but folds a histogram
 * with several label sets into one (dropping their labels, sums and counts).
 * So the text is parsed twice: whole, for each family's name, help and type;
 * and without its comment lines, where every sample line stands alone
 * (`x_bucket`, `x_sum`, `x_count` then parse as families of their own) and
 * keeps its labels.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format'

export interface ParsedSample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface ParsedFamily {
  name: string
  help: string
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped'
  samples: ParsedSample[]
}

const HISTOGRAM_SUFFIX = /_(bucket|sum|count)$/

export function parseMetrics(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>()
  for (const family of parsePrometheusTextFormat(text)) {
    if (families.has(family.name)) throw new Error(`family ${family.name} appears twice`)
    families.set(family.name, { name: family.name, help: family.help, type: family.type.toLowerCase() as ParsedFamily['type'], samples: [] })
  }
  const samplesOnly = text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n')
  for (const group of parsePrometheusTextFormat(samplesOnly)) {
    const family = families.get(group.name) ?? families.get(group.name.replace(HISTOGRAM_SUFFIX, ''))
    if (!family) throw new Error(`sample ${group.name} belongs to no family with a TYPE`)
    for (const sample of group.metrics) family.samples.push({ name: group.name, labels: sample.labels ?? {}, value: parseValue(sample.value) })
  }
  return families
}

function parseValue(text: string | undefined): number {
  if (text === '+Inf') return Infinity
  if (text === '-Inf') return -Infinity
  const value = Number(text)
  if (text === undefined || (Number.isNaN(value) && text !== 'NaN')) throw new Error(`not a sample value: ${text}`)
  return value
}

/** The value of the one sample named `name` whose labels include `labels`; undefined when there is none. */
export function sampleValue(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.get(name) ?? families.get(name.replace(HISTOGRAM_SUFFIX, ''))
  const matching = (family?.samples ?? []).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  if (matching.length > 1) throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}`)
  return matching[0]?.value
}
