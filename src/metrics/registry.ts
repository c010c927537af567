/**
 * @module A small metrics registry: counters, gauges and histograms with
 * label sets, collected as plain families for the text exposition
 * (`exposition.ts`). scimify's own metrics are declared in `scimify.ts`.
 *
 * @example
 *   const registry = new MetricsRegistry()
 *   const requests = registry.counter('app_requests_total', 'Requests.', ['route'])
 *   requests.inc({ route: '/healthz' })
 *   renderExposition(registry.collect())
 */

export type MetricType = 'counter' | 'gauge' | 'histogram'

/** Label names and values, in the family's label order. */
export type LabelPairs = ReadonlyArray<readonly [name: string, value: string]>

export interface Sample {
  /** The family name, or it with `_bucket`, `_sum` or `_count` for a histogram. */
  name: string
  labels: LabelPairs
  value: number
}

export interface MetricFamily {
  name: string
  help: string
  type: MetricType
  samples: Sample[]
}

export type Labels<L extends string> = Readonly<Record<L, string>>

// https://prometheus.io/docs/concepts/data_model/#metric-names-and-labels
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
// Names starting with "__" are reserved for Prometheus itself.
const LABEL_NAME = /^(?!__)[a-zA-Z_][a-zA-Z0-9_]*$/

interface Collector {
  collect(): MetricFamily
}

export class MetricsRegistry {
  private readonly collectors = new Map<string, Collector>()

  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return this.add(name, new Counter(name, help, checkLabels(labelNames)))
  }

  /** A gauge set by code, or read at scrape time from `collect` (its series replace any set ones). */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect?: () => Iterable<[Labels<L>, number]>): Gauge<L> {
    return this.add(name, new Gauge(name, help, checkLabels(labelNames), collect))
  }

  /** `buckets` are upper bounds in increasing order; `+Inf` is added. */
  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: readonly number[]): Histogram<L> {
    if ((labelNames as readonly string[]).includes('le')) throw new Error(`${name}: "le" is the bucket label of a histogram`)
    return this.add(name, new Histogram(name, help, checkLabels(labelNames), buckets))
  }

  /** Every family, in the order they were declared. */
  collect(): MetricFamily[] {
    return [...this.collectors.values()].map((collector) => collector.collect())
  }

  private add<C extends Collector>(name: string, collector: C): C {
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name "${name}"`)
    if (this.collectors.has(name)) throw new Error(`metric "${name}" is declared twice`)
    this.collectors.set(name, collector)
    return collector
  }
}

function checkLabels<L extends string>(labelNames: readonly L[]): readonly L[] {
  for (const name of labelNames) if (!LABEL_NAME.test(name)) throw new Error(`invalid label name "${name}"`)
  if (new Set(labelNames).size !== labelNames.length) throw new Error(`duplicate label names: ${labelNames.join(', ')}`)
  return labelNames
}

interface Entry<V> {
  /** The label values joined, for sorting. */
  key: string
  labels: LabelPairs
  value: V
}

/**
 * The series of one family; listed sorted so scrapes are stable. Found by
 * one map level per label value rather than a key joined from them: label
 * values are the same strings request after request, so each lookup is
 * cheap, where a new joined key would be hashed every time.
 */
class Series<L extends string, V> {
  private readonly root = new Map<string, unknown>()
  private readonly entries: Entry<V>[] = []

  constructor(private readonly labelNames: readonly L[]) {}

  get(labels: Labels<L>, create: () => V): V {
    const names = this.labelNames
    let level = this.root
    for (let i = 0; i < names.length - 1; i++) {
      const value = String(labels[names[i]!] ?? '')
      let next = level.get(value) as Map<string, unknown> | undefined
      if (!next) level.set(value, (next = new Map()))
      level = next
    }
    const last = names.length === 0 ? '' : String(labels[names[names.length - 1]!] ?? '')
    let entry = level.get(last) as Entry<V> | undefined
    if (!entry) {
      const values = names.map((name) => String(labels[name] ?? ''))
      entry = { key: values.join('\u0000'), labels: names.map((name, i) => [name, values[i]!] as const), value: create() }
      level.set(last, entry)
      this.entries.push(entry)
    }
    return entry.value
  }

  clear(): void {
    this.root.clear()
    this.entries.length = 0
  }

  sorted(): { labels: LabelPairs; value: V }[] {
    return [...this.entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  }
}

/** A value that only goes up (until the process restarts). */
export class Counter<L extends string> implements Collector {
  private readonly series: Series<L, { value: number }>

  constructor(
    readonly name: string,
    private readonly help: string,
    labelNames: readonly L[],
  ) {
    this.series = new Series(labelNames)
  }

  inc(labels: Labels<L>, by = 1): void {
    // A negative or NaN step would break the counter's contract (rate() treats a decrease as a restart).
    if (!(by >= 0)) throw new Error(`${this.name}: a counter only goes up (got ${by})`)
    this.series.get(labels, () => ({ value: 0 })).value += by
  }

  collect(): MetricFamily {
    const samples = this.series.sorted().map(({ labels, value }) => ({ name: this.name, labels, value: value.value }))
    return { name: this.name, help: this.help, type: 'counter', samples }
  }
}

export class Gauge<L extends string> implements Collector {
  private readonly series: Series<L, { value: number }>

  constructor(
    readonly name: string,
    private readonly help: string,
    labelNames: readonly L[],
    private readonly read?: () => Iterable<[Labels<L>, number]>,
  ) {
    this.series = new Series(labelNames)
  }

  set(labels: Labels<L>, value: number): void {
    this.series.get(labels, () => ({ value: 0 })).value = value
  }

  collect(): MetricFamily {
    if (this.read) {
      this.series.clear()
      for (const [labels, value] of this.read()) this.set(labels, value)
    }
    const samples = this.series.sorted().map(({ labels, value }) => ({ name: this.name, labels, value: value.value }))
    return { name: this.name, help: this.help, type: 'gauge', samples }
  }
}

interface HistogramValue {
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  counts: number[]
  sum: number
  count: number
}

/** Observations counted into buckets, exposed cumulatively as `_bucket{le}`, `_sum` and `_count`. */
export class Histogram<L extends string> implements Collector {
  private readonly series: Series<L, HistogramValue>
  private readonly bounds: readonly number[]

  constructor(
    readonly name: string,
    private readonly help: string,
    labelNames: readonly L[],
    buckets: readonly number[],
  ) {
    if (buckets.length === 0 || buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]!))) {
      throw new Error(`${name}: buckets must be finite and strictly increasing`)
    }
    this.bounds = [...buckets]
    this.series = new Series(labelNames)
  }

  observe(labels: Labels<L>, value: number): void {
    const entry = this.series.get(labels, () => ({ counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 }))
    let index = 0
    while (index < this.bounds.length && !(value <= this.bounds[index]!)) index++
    entry.counts[index]!++
    entry.sum += value
    entry.count++
  }

  collect(): MetricFamily {
    const samples: Sample[] = []
    for (const { labels, value } of this.series.sorted()) {
      let cumulative = 0
      value.counts.forEach((count, i) => {
        cumulative += count
        const le = i < this.bounds.length ? this.bounds[i]! : Infinity
        samples.push({ name: `${this.name}_bucket`, labels: [...labels, ['le', formatNumber(le)]], value: cumulative })
      })
      samples.push({ name: `${this.name}_sum`, labels, value: value.sum })
      samples.push({ name: `${this.name}_count`, labels, value: value.count })
    }
    return { name: this.name, help: this.help, type: 'histogram', samples }
  }
}

/** A sample value or `le` bound as the text format writes it: Go float syntax, `+Inf`, `-Inf`, `NaN`. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return String(value)
}
