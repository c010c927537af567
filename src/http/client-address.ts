/**
 * @module Who sent a request: the direct peer, or, only when the peer is a
 * trusted proxy (`server.trusted_proxies`), what its `X-Forwarded-For`,
 * `X-Forwarded-Proto` and `X-Forwarded-Host` say.
 */
import { parseIp, type CidrSet } from '../net/cidr'

export interface ClientView {
  /** The client's address: for throttling and the access log; undefined when unknown. */
  client: string | undefined
  /** The request, with the URL the client used when a trusted proxy said so (for base URLs). */
  request: Request
}

export function clientView(request: Request, peer: string | undefined, trusted: CidrSet): ClientView {
  if (peer === undefined || !trusted.contains(peer)) return { client: peer, request }
  const client = forwardedClient(request.headers.get('x-forwarded-for'), trusted) ?? peer
  const url = forwardedUrl(request)
  return { client, request: url ? new Request(url, request) : request }
}

/**
 * The rightmost address in `X-Forwarded-For` that is not a trusted proxy:
 * addresses left of it were written by the client and prove nothing. All
 * trusted: the leftmost. Anything unparsable on the way: undefined.
 */
function forwardedClient(header: string | null, trusted: CidrSet): string | undefined {
  const hops = (header ?? '').split(',').map((hop) => withoutPort(hop.trim())).filter((hop) => hop !== '')
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index]!
    if (parseIp(hop) === undefined) return undefined
    if (!trusted.contains(hop)) return hop
  }
  return hops[0]
}

/** `[2001:db8::1]:443` and `192.0.2.1:443` (as some proxies write them) without the port. */
function withoutPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop)
  if (bracketed) return bracketed[1]!
  return /^[\d.]+:\d+$/.test(hop) ? hop.slice(0, hop.lastIndexOf(':')) : hop
}

const HOST = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/

/** The request URL with the scheme and host the proxy reports (the last value of each), if any. */
function forwardedUrl(request: Request): string | undefined {
  const proto = lastValue(request.headers.get('x-forwarded-proto'))?.toLowerCase()
  const host = HOST.exec(lastValue(request.headers.get('x-forwarded-host')) ?? '')
  const url = new URL(request.url)
  const before = url.toString()
  if (host) {
    url.hostname = host[1]!
    url.port = host[2] ?? ''
  }
  if (proto === 'http' || proto === 'https') url.protocol = proto
  return url.toString() === before ? undefined : url.toString()
}

function lastValue(header: string | null): string | undefined {
  const value = header?.split(',').at(-1)?.trim()
  return value ? value : undefined
}
