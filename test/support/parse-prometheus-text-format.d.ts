/** Types of the parts of parse-prometheus-text-format (an untyped package) the tests use. */
declare module 'parse-prometheus-text-format' {
  export interface PrometheusSample {
    value?: string
    labels?: Record<string, string>
    buckets?: Record<string, string>
    count?: string
    sum?: string
    timestamp_ms?: string
  }
  export interface PrometheusFamily {
    name: string
    help: string
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED'
    metrics: PrometheusSample[]
  }
  /** Throws on a line it cannot read. */
  export default function parsePrometheusTextFormat(text: string): PrometheusFamily[]
}
