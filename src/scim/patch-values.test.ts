import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { equivalent } from './patch-values'

/** The definition: equal normal forms (keys sorted, unassigned values dropped, arrays as sorted lists). */
function byNormalForm(a: unknown, b: unknown): boolean {
  const unassigned = (v: unknown): boolean =>
    v === null || v === undefined || (Array.isArray(v) ? v.every(unassigned) : typeof v === 'object' ? Object.values(v as object).every(unassigned) : false)
  const normal = (v: unknown): unknown => {
    if (unassigned(v)) return undefined
    if (Array.isArray(v)) return v.map(normal).filter((x) => x !== undefined).map((x) => JSON.stringify(x)).sort()
    if (typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const key of Object.keys(v as object).sort()) {
        const item = normal((v as Record<string, unknown>)[key])
        if (item !== undefined) out[key] = item
      }
      return out
    }
    return v
  }
  return JSON.stringify(normal(a)) === JSON.stringify(normal(b))
}

const SOAK = Number(process.env.FC_RUNS ?? 0) || 0
const scalar = fc.oneof(fc.constantFrom('a', 'b', 'A', ''), fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.constant(null))
const value = fc.letrec((tie) => ({
  any: fc.oneof({ maxDepth: 3 }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('any'), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom('value', 'type', 'display', 'primary'), tie('any'), { maxKeys: 4 }),
})).any
/** A value like `a`: its arrays shuffled, its keys reordered, unassigned values added or dropped, maybe one change. */
const variantOf = (a: unknown): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant(structuredClone(a)),
    fc.constant(JSON.parse(JSON.stringify(a, (_key, v) => (Array.isArray(v) ? [...v].reverse() : v)))),
    fc.constant({ wrapped: a, extra: null }),
    fc.constant(a !== null && typeof a === 'object' && !Array.isArray(a) ? { ...a, extra: 'x' } : a),
    value,
  )

describe('equivalent (PATCH no-op detection)', () => {
  test('agrees with the normal-form definition on random values and their variants', () => {
    fc.assert(
      fc.property(value.chain((a) => fc.tuple(fc.constant(a), variantOf(a))), ([a, b]) => {
        expect(equivalent(a, b)).toBe(byNormalForm(a, b))
        expect(equivalent(b, a)).toBe(byNormalForm(b, a))
      }),
      { numRuns: Math.max(2_000, SOAK), seed: SOAK ? undefined : 20261129 },
    )
  })

  test('examples: order and unassigned values do not count; content does', () => {
    const members = (ids: string[]) => ({ displayName: 'g', members: ids.map((value) => ({ value })) })
    expect(equivalent(members(['1', '2']), members(['2', '1']))).toBe(true)
    expect(equivalent(members(['1', '2']), members(['1', '2', '3']))).toBe(false)
    expect(equivalent({ a: 1, b: null, c: [] }, { a: 1 })).toBe(true)
    expect(equivalent({ a: 1 }, { a: '1' })).toBe(false)
    expect(equivalent({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(equivalent({ a: 1, b: 2 }, { a: 1 })).toBe(false)
  })
})
