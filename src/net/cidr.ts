/**
 * @module IP addresses and CIDR ranges (IPv4, IPv6, IPv4-mapped IPv6) as
 * 128-bit numbers, IPv4 as `::ffff:a.b.c.d`, so one comparison covers them all.
 */

const V4_MAPPED = 0xffffn << 32n
const ALL_BITS = (1n << 128n) - 1n

/** The address as a 128-bit number (IPv4 mapped into IPv6), or undefined when `text` is not one. */
export function parseIp(text: string): bigint | undefined {
  if (!text.includes(':')) {
    const v4 = parseV4(text)
    return v4 === undefined ? undefined : V4_MAPPED | v4
  }
  return parseV6(text)
}

export interface Cidr {
  network: bigint
  /** Prefix length in the 128-bit space: an IPv4 /24 is /120. */
  prefix: number
}

/** `10.0.0.0/8`, `fd00::/8`, or a bare address (a range of one). Host bits are ignored. */
export function parseCidr(text: string): Cidr | undefined {
  const [address = '', bits, ...rest] = text.trim().split('/')
  const ip = parseIp(address)
  if (ip === undefined || rest.length > 0) return undefined
  const width = address.includes(':') ? 128 : 32
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return undefined
  const length = bits === undefined ? width : Number(bits)
  if (length > width) return undefined
  const prefix = length + (128 - width)
  return { network: ip & mask(prefix), prefix }
}

/** A list of ranges, asked whether an address is in any of them. */
export class CidrSet {
  private readonly ranges: Cidr[]

  /** Entries that are not ranges are left out (the config schema refuses them before). */
  constructor(cidrs: readonly string[]) {
    this.ranges = cidrs.map(parseCidr).filter((cidr): cidr is Cidr => cidr !== undefined)
  }

  get size(): number {
    return this.ranges.length
  }

  contains(address: string): boolean {
    if (this.ranges.length === 0) return false
    const ip = parseIp(address)
    return ip !== undefined && this.ranges.some((range) => (ip & mask(range.prefix)) === range.network)
  }
}

function mask(prefix: number): bigint {
  return ALL_BITS ^ ((1n << BigInt(128 - prefix)) - 1n)
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let value = 0n
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined
    value = (value << 8n) | BigInt(Number(part))
  }
  return value
}

function parseV6(input: string): bigint | undefined {
  let text = input.replace(/%[^%]*$/, '') // zone id: fe80::1%eth0
  if (text.includes('.')) {
    // An embedded IPv4 address at the end: ::ffff:192.0.2.1
    const at = text.lastIndexOf(':')
    const v4 = parseV4(text.slice(at + 1))
    if (v4 === undefined) return undefined
    text = `${text.slice(0, at + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`
  }
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'))
  const head = groupsOf(halves[0]!)
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : []
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  let value = 0n
  for (const group of [...head, ...Array<string>(missing).fill('0'), ...tail]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined
    value = (value << 16n) | BigInt(Number.parseInt(group, 16))
  }
  return value
}
