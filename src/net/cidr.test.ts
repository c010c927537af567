import { describe, expect, test } from 'bun:test'
import { CidrSet, parseCidr, parseIp } from './cidr'

describe('parseIp', () => {
  test.each([
    ['192.0.2.1', 0xffffc0000201n],
    ['::ffff:192.0.2.1', 0xffffc0000201n],
    ['::FFFF:c000:0201', 0xffffc0000201n],
    ['::1', 1n],
    ['::', 0n],
    ['2001:db8::1', 0x20010db8000000000000000000000001n],
    ['fe80::1%eth0', 0xfe800000000000000000000000000001n],
    ['1:2:3:4:5:6:7:8', 0x00010002000300040005000600070008n],
  ])('%s', (text, value) => {
    expect(parseIp(text)).toBe(value)
  })

  test.each(['', '1.2.3', '1.2.3.256', '1.2.3.4.5', '01.2.3.4x', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', 'g::1', '12345::', ':1::', 'localhost', '::ffff:1.2.3'])(
    'not an address: %p',
    (text) => {
      expect(parseIp(text)).toBeUndefined()
    },
  )
})

describe('CidrSet', () => {
  const cases: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.0.2.0/24', '192.0.2.200', true],
    ['192.0.2.0/24', '192.0.3.1', false],
    ['192.0.2.7', '192.0.2.7', true],
    ['192.0.2.7', '192.0.2.8', false],
    ['192.0.2.7/32', '192.0.2.7', true],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['0.0.0.0/0', '2001:db8::1', false],
    // IPv4-mapped IPv6, as Bun reports peers on a dual-stack listener
    ['10.0.0.0/8', '::ffff:10.1.2.3', true],
    ['10.0.0.0/8', '::ffff:11.1.2.3', false],
    ['::ffff:10.0.0.0/104', '10.9.9.9', true],
    ['::ffff:0:0/96', '198.51.100.1', true],
    ['127.0.0.1', '::ffff:127.0.0.1', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['fd00::/8', 'fdff::1', true],
    ['fd00::/8', 'fe00::1', false],
    ['::1', '::1', true],
    ['::1/128', '::2', false],
    ['::/0', '2001:db8::1', true],
    ['10.0.0.1/8', '10.2.3.4', true], // host bits are ignored
    ['10.0.0.0/8', 'not-an-ip', false],
  ]
  test.each(cases)('%s contains %s: %p', (cidr, address, expected) => {
    expect(new CidrSet([cidr]).contains(address)).toBe(expected)
  })

  test('an empty set contains nothing', () => {
    expect(new CidrSet([]).contains('127.0.0.1')).toBe(false)
  })

  test('any of several ranges', () => {
    const set = new CidrSet(['10.0.0.0/8', 'fd00::/8'])
    expect(['10.1.1.1', 'fd12::3'].map((a) => set.contains(a))).toEqual([true, true])
    expect(set.contains('192.168.1.1')).toBe(false)
  })
})

describe('parseCidr', () => {
  test.each(['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/-1', '10.0.0.0/a', 'example.com/8', ''])('refuses %p', (text) => {
    expect(parseCidr(text)).toBeUndefined()
  })
  test('an IPv4 prefix counts in the 128-bit space', () => {
    expect(parseCidr('192.0.2.0/24')).toEqual({ network: 0xffffc0000200n, prefix: 120 })
  })
})
