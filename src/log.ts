/**
 * @module The logger: one line per event, a message and fields. JSON lines
 * (`{"time","level","msg",...fields}`) when the output is not a terminal
 * (journald, a pipe, a file), readable `time LEVEL msg key=value` on one.
 * Fields given with `withLogFields` (a request's id) join every line logged
 * within it, and every line is redacted (`redact.ts`) before it is written.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { isSecretField, REDACTED, redactText } from './redact'
import { isoNow } from './clock'

export type LogFields = Record<string, string | number | boolean | undefined>

export interface Logger {
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

export type LogFormat = 'json' | 'text'

type Level = 'info' | 'warn' | 'error'
type Fields = [name: string, value: string | number | boolean][]

/** JSON unless `stream` is a terminal: a person reads text, journald and log shippers read JSON. */
export function logFormatFor(stream: object): LogFormat {
  return (stream as { isTTY?: unknown }).isTTY === true ? 'text' : 'json'
}

const context = new AsyncLocalStorage<LogFields>()

/** Runs `run` with `fields` added to every line logged within it, across awaits. */
export function withLogFields<T>(fields: LogFields, run: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, run)
}

/**
 * A logger writing lines to `write`, stderr by default (through `bufferLines`).
 * Without a `format`, stderr gets the one that suits it (`logFormatFor`);
 * another `write` gets text.
 */
export function createLogger(write?: (line: string) => void, format?: LogFormat): Logger {
  const output = write ?? bufferLines((text) => void process.stderr.write(text))
  const render = (format ?? (write ? 'text' : logFormatFor(process.stderr))) === 'json' ? jsonLine : textLine
  const log = (level: Level) => (message: string, fields: LogFields = {}) => {
    output(render(isoNow(), level, redactText(message), safeFields(fields, context.getStore())))
  }
  return { info: log('info'), warn: log('warn'), error: log('error') }
}

/** For tests: keeps lines in memory (text unless told otherwise). */
export function memoryLogger(format: LogFormat = 'text'): Logger & { lines: string[] } {
  const lines: string[] = []
  return Object.assign(createLogger((line) => lines.push(line), format), { lines })
}

/** Lines held by a buffer are written at once past this many characters, without waiting for the turn to end. */
const FLUSH_AT = 64 * 1024

/** The flushes of buffers holding lines, run when the process exits before their turn ended (process.exit, an uncaught error). */
const holding = new Set<() => void>()
let flushesOnExit = false

/**
 * `line => void` that hands `write` the lines of one event-loop turn in one
 * call (a write per line cost a busy server a measurable share of each
 * request). Lines reach `write` at the end of the turn, at 64 KiB, or when
 * the process exits.
 */
export function bufferLines(write: (text: string) => void): (line: string) => void {
  let pending = ''
  const flush = () => {
    holding.delete(flush)
    if (pending === '') return
    const text = pending
    pending = ''
    try {
      write(text)
    } catch {
      // A broken log output must not fail whoever logged, nor the process at the end of the turn.
    }
  }
  if (!flushesOnExit) {
    flushesOnExit = true
    process.on('exit', () => {
      for (const held of holding) held()
    })
  }
  return function bufferedWrite(line: string): void {
    pending += line
    if (pending.length >= FLUSH_AT) return flush()
    if (holding.has(flush)) return
    holding.add(flush)
    setImmediate(flush)
  }
}

/** The fields of the call, then those of the context it does not override; empty ones dropped, secrets redacted. */
function safeFields(fields: LogFields, contextFields?: LogFields): Fields {
  const safe: Fields = []
  for (const name of Object.keys(fields)) addSafe(safe, name, fields[name])
  if (contextFields) for (const name of Object.keys(contextFields)) if (!(name in fields)) addSafe(safe, name, contextFields[name])
  return safe
}

function addSafe(safe: Fields, name: string, value: string | number | boolean | undefined): void {
  if (value === undefined || value === '') return
  safe.push([name, secretField(name) ? REDACTED : typeof value === 'string' ? redactText(value) : value])
}

/** Field names come from the code, a few dozen in all: each is matched against the secret names once (up to 256 names). */
const secretFieldNames = new Map<string, boolean>()

function secretField(name: string): boolean {
  let secret = secretFieldNames.get(name)
  if (secret !== undefined) return secret
  secret = isSecretField(name)
  if (secretFieldNames.size < 256) secretFieldNames.set(name, secret)
  return secret
}

function textLine(time: string, level: Level, message: string, fields: Fields): string {
  const pairs = fields.map(([name, value]) => `${name}=${textValue(value)}`)
  return `${time} ${level.toUpperCase()} ${message}${pairs.length ? ' ' + pairs.join(' ') : ''}\n`
}

function textValue(value: string | number | boolean): string {
  const text = String(value)
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text)
}

const RESERVED = new Set(['time', 'level', 'msg'])

function jsonLine(time: string, level: Level, message: string, fields: Fields): string {
  const line: Record<string, string | number | boolean> = { time, level, msg: message }
  // A field named like one of the line's own keys must not replace it.
  for (const [name, value] of fields) line[RESERVED.has(name) ? `field_${name}` : name] = value
  return `${JSON.stringify(line)}\n`
}
