/**
 * @module The Bun.serve options that come from `server.*`: the body-size
 * backstop and TLS. Both are fixed when a listener starts (Bun's
 * `server.reload` changes handlers only): `serve` starts a new listener on
 * SIGHUP, which takes over the port (reusePort) before the old one stops.
 */
import { readFileSync } from 'node:fs'
import type { ServerConfig } from '../config/schema'
import { requestLimits } from './request-limits'

/**
 * Bun refuses a body over `maxRequestBodySize` itself, with a bare 413 and
 * before scimify sees it. Set above `max_body_bytes`, the requests just over
 * the limit still reach the handler and get a SCIM 413; Bun's is the backstop.
 */
export const BODY_BACKSTOP_FACTOR = 2

export interface ListenerOptions {
  maxRequestBodySize: number
  tls?: { cert: string; key: string }
}

/** Throws, naming the setting and the file, when a TLS file cannot be read. */
export function listenerOptions(server: ServerConfig, resolvePath: (path: string) => string): ListenerOptions {
  const options: ListenerOptions = { maxRequestBodySize: requestLimits(server.limits).maxBodyBytes * BODY_BACKSTOP_FACTOR }
  if (server.tls) options.tls = { cert: readPem('server.tls.cert', resolvePath(server.tls.cert)), key: readPem('server.tls.key', resolvePath(server.tls.key)) }
  return options
}

function readPem(setting: string, path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new Error(`cannot read ${setting} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}
