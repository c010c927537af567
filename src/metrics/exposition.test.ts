import { describe, expect, test } from 'bun:test'
import { parseMetrics, sampleValue } from '../../test/support/prometheus'
import { renderExposition } from './exposition'
import { MetricsRegistry } from './registry'

describe('text exposition 0.0.4', () => {
  test('HELP, TYPE and one line per sample; a histogram as cumulative buckets, sum and count', () => {
    const registry = new MetricsRegistry()
    registry.counter('jobs_total', 'Jobs done.', ['queue']).inc({ queue: 'mail' }, 3)
    registry.gauge('temperature', 'Degrees.', []).set({}, -1.5)
    const latency = registry.histogram('latency_seconds', 'Latency.', ['route'], [0.1, 1])
    latency.observe({ route: '/a' }, 0.05)
    latency.observe({ route: '/a' }, 0.5)
    latency.observe({ route: '/a' }, 7)

    expect(renderExposition(registry.collect())).toBe(
      [
        '# HELP jobs_total Jobs done.',
        '# TYPE jobs_total counter',
        'jobs_total{queue="mail"} 3',
        '# HELP temperature Degrees.',
        '# TYPE temperature gauge',
        'temperature -1.5',
        '# HELP latency_seconds Latency.',
        '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{route="/a",le="0.1"} 1',
        'latency_seconds_bucket{route="/a",le="1"} 2',
        'latency_seconds_bucket{route="/a",le="+Inf"} 3',
        'latency_seconds_sum{route="/a"} 7.55',
        'latency_seconds_count{route="/a"} 3',
        '',
      ].join('\n'),
    )
  })

  test('label values and help text with backslashes, quotes, line feeds and non-ASCII read back as they were', () => {
    const registry = new MetricsRegistry()
    const nasty = ['C:\\dir\\file.txt', 'say "hi"', 'two\nlines', 'trailing \\', 'ünïcødé ✓', '{a="b"}, c', '']
    const counter = registry.counter('odd_total', 'Help with a \\ backslash\nand a second line.', ['value'])
    for (const value of nasty) counter.inc({ value })

    const text = renderExposition(registry.collect())
    const family = parseMetrics(text).get('odd_total')!
    expect(family.help).toBe('Help with a \\ backslash\nand a second line.')
    expect(family.samples.map((s) => s.labels.value ?? '').sort()).toEqual([...nasty].sort())
    // Every sample is on a line of its own: an escaped line feed never breaks one.
    expect(text.trimEnd().split('\n')).toHaveLength(2 + nasty.length)
  })

  test('infinities and NaN are written as +Inf, -Inf and NaN', () => {
    const registry = new MetricsRegistry()
    const gauge = registry.gauge('g', 'G.', ['k'])
    gauge.set({ k: 'pos' }, Infinity)
    gauge.set({ k: 'neg' }, -Infinity)
    gauge.set({ k: 'nan' }, NaN)
    const text = renderExposition(registry.collect())
    expect(text).toContain('g{k="pos"} +Inf\n')
    expect(text).toContain('g{k="neg"} -Inf\n')
    expect(text).toContain('g{k="nan"} NaN\n')
    const families = parseMetrics(text)
    expect(sampleValue(families, 'g', { k: 'pos' })).toBe(Infinity)
    expect(sampleValue(families, 'g', { k: 'nan' })).toBeNaN()
  })

  test('a family without samples yet is still declared', () => {
    const registry = new MetricsRegistry()
    registry.counter('none_total', 'Nothing yet.', ['a'])
    const families = parseMetrics(renderExposition(registry.collect()))
    expect(families.get('none_total')).toEqual({ name: 'none_total', help: 'Nothing yet.', type: 'counter', samples: [] })
  })
})
