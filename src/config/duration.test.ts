import { describe, expect, test } from 'bun:test'
import { parseDuration } from './duration'

describe('parseDuration', () => {
  test('converts each unit to milliseconds', () => {
    expect(parseDuration('0s')).toBe(0)
    expect(parseDuration('45s')).toBe(45_000)
    expect(parseDuration('15m')).toBe(900_000)
    expect(parseDuration('24h')).toBe(86_400_000)
    expect(parseDuration('90d')).toBe(90 * 86_400_000)
    expect(parseDuration('2w')).toBe(14 * 86_400_000)
  })

  test.each(['', '90', 'd', '1.5h', '-1d', '10y', '10 d', '1d2h', '99999999999999999999d'])('rejects %p', (text) => {
    expect(() => parseDuration(text)).toThrow(/^invalid duration ".*": use a whole number and one unit of s, m, h, d or w/)
  })
})
