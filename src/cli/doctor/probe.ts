/**
 * @module Is a URL reachable? Its host resolves and an HTTP(S) connection
 * opens. The request is an OPTIONS with no body: any HTTP answer counts, and
 * a webhook receiver does not take it for an event.
 */
import { lookup } from 'node:dns/promises'

export type ProbeResult =
  | { reachable: true; status: number; /** The answer's `Date` header. */ date: string | null; /** Local time (ms) halfway through the request. */ midpoint: number }
  | { reachable: false; reason: string }

export type Probe = (url: string) => Promise<ProbeResult>

const TIMEOUT_MS = 5000

export async function probeUrl(url: string): Promise<ProbeResult> {
  const { hostname } = new URL(url)
  try {
    await lookup(hostname.replace(/^\[(.*)\]$/, '$1'))
  } catch (error) {
    return { reachable: false, reason: `the host ${hostname} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }
  }
  const started = Date.now()
  try {
    const response = await fetch(url, { method: 'OPTIONS', redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS), headers: { 'user-agent': 'scimify doctor' } })
    await response.body?.cancel()
    return { reachable: true, status: response.status, date: response.headers.get('date'), midpoint: (started + Date.now()) / 2 }
  } catch (error) {
    return { reachable: false, reason: describeFetchError(error as NodeJS.ErrnoException) }
  }
}

function describeFetchError(error: NodeJS.ErrnoException): string {
  if (error.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`
  if (error.code === 'ECONNREFUSED' || error.code === 'ConnectionRefused') return 'connection refused: nothing listens there'
  if (!error.code || error.message.startsWith(error.code)) return error.message
  return `${error.code}: ${error.message}`
}

/** `https://hooks.example.com:8443` of a URL: what doctor prints (a path or query may carry a token). */
export function originOf(url: string): string {
  return new URL(url).origin
}
