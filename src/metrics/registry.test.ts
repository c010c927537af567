import { describe, expect, test } from 'bun:test'
import { MetricsRegistry } from './registry'

describe('metrics registry', () => {
  test('a counter keeps one series per label set, listed in a stable order', () => {
    const registry = new MetricsRegistry()
    const counter = registry.counter('hits_total', 'Hits.', ['route', 'status'])
    counter.inc({ route: '/b', status: '200' })
    counter.inc({ route: '/a', status: '404' }, 2)
    counter.inc({ route: '/b', status: '200' }, 0.5)
    expect(registry.collect()).toEqual([
      {
        name: 'hits_total',
        help: 'Hits.',
        type: 'counter',
        samples: [
          { name: 'hits_total', labels: [['route', '/a'], ['status', '404']], value: 2 },
          { name: 'hits_total', labels: [['route', '/b'], ['status', '200']], value: 1.5 },
        ],
      },
    ])
  })

  test('label sets sharing some values are kept apart and listed sorted by their values', () => {
    const registry = new MetricsRegistry()
    const counter = registry.counter('calls_total', 'Calls.', ['instance', 'method', 'status'])
    const sets = [
      ['beta', 'GET', '200'],
      ['alpha', 'GET', '404'],
      ['alpha', 'POST', '200'],
      ['alpha', 'GET', '200'],
      ['', 'GET', '200'],
    ]
    sets.forEach(([instance, method, status], i) => counter.inc({ instance: instance!, method: method!, status: status! }, i + 1))
    counter.inc({ instance: 'alpha', method: 'GET', status: '200' })
    expect(registry.collect()[0]!.samples.map((s) => [s.labels.map(([, value]) => value).join(' '), s.value])).toEqual([
      [' GET 200', 5],
      ['alpha GET 200', 5],
      ['alpha GET 404', 2],
      ['alpha POST 200', 3],
      ['beta GET 200', 1],
    ])
  })

  test('a counter only goes up', () => {
    const counter = new MetricsRegistry().counter('c_total', 'C.', [])
    expect(() => counter.inc({}, -1)).toThrow('only goes up')
    expect(() => counter.inc({}, NaN)).toThrow('only goes up')
  })

  test('a gauge with a reader shows what the reader says at each collection, and only that', () => {
    const registry = new MetricsRegistry()
    let depths: [string, number][] = [['alpha', 3], ['beta', 0]]
    registry.gauge('depth', 'Depth.', ['instance'], () => depths.map(([instance, depth]) => [{ instance }, depth]))
    expect(registry.collect()[0]!.samples.map((s) => [s.labels[0]![1], s.value])).toEqual([['alpha', 3], ['beta', 0]])
    depths = [['gamma', 1]]
    expect(registry.collect()[0]!.samples.map((s) => [s.labels[0]![1], s.value])).toEqual([['gamma', 1]])
  })

  test('a histogram counts each observation into the first bucket that holds it, cumulatively', () => {
    const registry = new MetricsRegistry()
    const histogram = registry.histogram('d_seconds', 'D.', [], [0.1, 0.5, 1])
    for (const value of [0.1, 0.2, 0.7, 3, 0.05]) histogram.observe({}, value)
    const samples = registry.collect()[0]!.samples
    expect(samples.map((s) => [s.name, s.labels.find(([n]) => n === 'le')?.[1], s.value])).toEqual([
      ['d_seconds_bucket', '0.1', 2], // 0.1 is "less than or equal"
      ['d_seconds_bucket', '0.5', 3],
      ['d_seconds_bucket', '1', 4],
      ['d_seconds_bucket', '+Inf', 5],
      ['d_seconds_sum', undefined, 4.05],
      ['d_seconds_count', undefined, 5],
    ])
  })

  test('names, label names and buckets are checked when declared', () => {
    const registry = new MetricsRegistry()
    registry.counter('ok_total', 'Ok.', [])
    expect(() => registry.counter('ok_total', 'Again.', [])).toThrow('declared twice')
    expect(() => registry.counter('bad-name', 'B.', [])).toThrow('invalid metric name')
    expect(() => registry.counter('b_total', 'B.', ['__reserved'])).toThrow('invalid label name')
    expect(() => registry.counter('c_total', 'C.', ['a', 'a'])).toThrow('duplicate label names')
    expect(() => registry.histogram('h', 'H.', ['le'], [1])).toThrow('"le"')
    expect(() => registry.histogram('h2', 'H.', [], [1, 1])).toThrow('strictly increasing')
    expect(() => registry.histogram('h3', 'H.', [], [])).toThrow('strictly increasing')
  })
})
