import { describe, expect, test } from 'bun:test'
import { bufferLines, createLogger, logFormatFor, memoryLogger, withLogFields } from './log'

const KEY = 'scimify_3f9a0c1d2e4b_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v'

describe('log format', () => {
  test('JSON when the output is not a terminal, text on one', () => {
    expect(logFormatFor({ isTTY: true })).toBe('text')
    expect(logFormatFor({ isTTY: false })).toBe('json')
    // A pipe or journald: Node leaves isTTY undefined; a CLI test's capture has none at all.
    expect(logFormatFor({ isTTY: undefined })).toBe('json')
    expect(logFormatFor({ write() {} })).toBe('json')
  })

  test('a JSON line has time, level and msg first, then the fields with their types', () => {
    const lines: string[] = []
    createLogger((line) => lines.push(line), 'json').warn('downstream operation failed', { instance: 'alpha', attempt: 2, final: false, empty: '', none: undefined })
    expect(lines).toHaveLength(1)
    expect(lines[0]!.endsWith('}\n')).toBe(true)
    const parsed = JSON.parse(lines[0]!)
    expect(Object.keys(parsed)).toEqual(['time', 'level', 'msg', 'instance', 'attempt', 'final'])
    expect(parsed).toMatchObject({ level: 'warn', msg: 'downstream operation failed', instance: 'alpha', attempt: 2, final: false })
    expect(new Date(parsed.time).toISOString()).toBe(parsed.time)
  })

  test('a field named like a key of the line does not replace it', () => {
    const lines: string[] = []
    createLogger((line) => lines.push(line), 'json').info('real', { msg: 'fake', level: 'error' })
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'real', field_msg: 'fake', field_level: 'error' })
  })

  test('a text line is time, level, message and key=value pairs, quoted when needed', () => {
    const logger = memoryLogger()
    logger.error('config file not applied', { issue: 'instances[0].id: must be "x"', count: 2 })
    expect(logger.lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z ERROR config file not applied issue="instances\[0\]\.id: must be \\"x\\"" count=2\n$/)
  })

  test('fields given with withLogFields join every line logged within, across awaits; the call’s own fields win', async () => {
    const logger = memoryLogger('json')
    await withLogFields({ request_id: 'r-1' }, async () => {
      logger.info('before')
      await Bun.sleep(1)
      logger.info('after', { request_id: 'explicit' })
    })
    logger.info('outside')
    expect(logger.lines.map((line) => JSON.parse(line).request_id)).toEqual(['r-1', 'explicit', undefined])
  })
})

describe('log redaction', () => {
  const logged = (message: string, fields: Record<string, string> = {}) => {
    const json = memoryLogger('json')
    const text = memoryLogger('text')
    for (const logger of [json, text]) logger.error(message, fields)
    return json.lines.join('') + text.lines.join('')
  }

  test('API keys lose their secret part, in the message and in fields; the key id stays', () => {
    const out = logged(`rejected ${KEY}`, { detail: `key=${KEY}`, near: `${KEY}xyz`, short: KEY.slice(0, 40) })
    expect(out).not.toContain(KEY.slice(21))
    expect(out).not.toContain(KEY.slice(21, 40))
    expect(out).toContain('scimify_3f9a0c1d2e4b_[REDACTED]')
  })

  test('bearer and basic credentials and Authorization headers quoted in text are redacted', () => {
    const out = logged('upstream said: Authorization: Bearer tok-123.abc; and bearer xyz789 and Basic dXNlcjpwYXNz', {
      error: '{"authorization":"Token qwerty-42","x":1}',
      header: 'Proxy-Authorization=Digest username="bob", response="6629fae4"',
      cut: 'authorization: "Token never-closed',
    })
    for (const secret of ['tok-123.abc', 'xyz789', 'dXNlcjpwYXNz', 'qwerty-42', 'bob', '6629fae4', 'never-closed']) expect(out).not.toContain(secret)
    // A quoted value is redacted up to its closing quote only: the rest of the text stays readable.
    expect(out).toContain('{\\"authorization\\":\\"[REDACTED]\\",\\"x\\":1}')
  })

  test('fields named like secrets are redacted whatever their value', () => {
    const logger = memoryLogger('json')
    logger.info('request', { authorization: 'anything', Token: 't0k', webhook_secret: 's3cr3t', api_key: 'k', password: 'p', key_id: '3f9a0c1d2e4b' })
    expect(JSON.parse(logger.lines[0]!)).toMatchObject({
      authorization: '[REDACTED]',
      Token: '[REDACTED]',
      webhook_secret: '[REDACTED]',
      api_key: '[REDACTED]',
      password: '[REDACTED]',
      key_id: '3f9a0c1d2e4b',
    })
  })

  test('the words that mark a credential are found in any case', () => {
    const out = logged('BEARER tok-upper AUTHORIZATION: hdr-upper', { a: 'BaSiC mixed-case', b: 'Proxy-AUTHORIZATION="q-9"' })
    for (const secret of ['tok-upper', 'hdr-upper', 'mixed-case', 'q-9']) expect(out).not.toContain(secret)
  })

  test('ordinary text is left alone', () => {
    expect(logged('authorization failed for instance alpha', { path: '/scim/v2/alpha/Users' })).toContain(
      'authorization failed for instance alpha',
    )
  })
})

describe('buffered output', () => {
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

  test('the lines of one event-loop turn reach the output in one write, in order, at the end of the turn', async () => {
    const writes: string[] = []
    const logger = createLogger(bufferLines((text) => writes.push(text)), 'json')
    logger.info('one')
    logger.warn('two', { n: 2 })
    expect(writes).toEqual([])
    await nextTurn()
    expect(writes).toHaveLength(1)
    expect(writes[0]!.split('\n').slice(0, -1).map((line) => JSON.parse(line).msg)).toEqual(['one', 'two'])
    logger.error('three')
    await nextTurn()
    expect(writes).toHaveLength(2)
    expect(JSON.parse(writes[1]!)).toMatchObject({ level: 'error', msg: 'three' })
  })

  test('past 64 KiB the lines are written at once', () => {
    const writes: string[] = []
    const write = bufferLines((text) => writes.push(text))
    const line = 'x'.repeat(1023) + '\n'
    for (let i = 0; i < 63; i++) write(line)
    expect(writes).toEqual([])
    write(line)
    expect(writes).toEqual([line.repeat(64)])
  })

  test('an output that throws loses its lines but not the process', async () => {
    const write = bufferLines(() => {
      throw new Error('EPIPE')
    })
    write('lost\n')
    await nextTurn()
  })

  for (const [ending, code, exitCode] of [
    ['process.exit()', 'process.exit(0)', 0],
    ['an uncaught error', 'throw new Error("fatal")', 1],
  ] as const) {
    test(`lines still held are written when the process ends by ${ending}`, () => {
      const script = `import { createLogger } from ${JSON.stringify(`${import.meta.dir}/log.ts`)}
const logger = createLogger(undefined, 'json')
logger.info('last words', { n: 1 })
logger.info('really last')
${code}`
      const run = Bun.spawnSync([process.execPath, '--eval', script], { stdout: 'pipe', stderr: 'pipe' })
      expect(run.exitCode).toBe(exitCode)
      const lines = run.stderr.toString().split('\n').filter((line) => line.startsWith('{'))
      expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['last words', 'really last'])
    })
  }
})
