/** @module Splits `server.listen` ("host:port", "[::1]:8080") for Bun.serve. */

const LISTEN = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/

/** The host and port of "host:port", or undefined when it is not of that form. */
export function parseListenAddress(listen: string): { hostname: string; port: number } | undefined {
  const match = LISTEN.exec(listen)
  if (!match || Number(match[2]) > 65535) return undefined
  return { hostname: match[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) }
}

/** A URL for humans: how to reach an address the server listens on. */
export function listenUrl(hostname: string, port: number): string {
  const host = hostname.includes(':') ? `[${hostname}]` : hostname
  return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`
}
