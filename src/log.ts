/**
 * @module A small structured logger: one line per event, `key=value` pairs
 * after the message. It never receives secrets: callers pass key ids, not keys.
 */

export type LogFields = Record<string, string | number | boolean | undefined>

export interface Logger {
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

function format(value: string | number | boolean): string {
  const text = String(value)
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text)
}

export function createLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const log = (level: string) => (message: string, fields: LogFields = {}) => {
    const pairs = Object.entries(fields)
      .filter(([, value]) => value !== undefined && value !== '')
      .map(([key, value]) => `${key}=${format(value!)}`)
    write(`${new Date().toISOString()} ${level} ${message}${pairs.length ? ' ' + pairs.join(' ') : ''}\n`)
  }
  return { info: log('INFO'), warn: log('WARN'), error: log('ERROR') }
}

/** For tests: keeps lines in memory. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return Object.assign(createLogger((line) => lines.push(line)), { lines })
}
