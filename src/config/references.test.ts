import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import * as v from 'valibot'
import { Secret, secretReference, withReferenceContext } from './references'

// A throwaway connector settings schema: no real connector has a secret yet.
const settings = v.object({ token: secretReference() })

function resolve(token: unknown, env: Record<string, string | undefined> = {}, baseDir = '/nonexistent') {
  return withReferenceContext({ env, baseDir }, () => v.safeParse(settings, { token }))
}

function tokenOf(result: ReturnType<typeof resolve>): Secret {
  if (!result.success) throw new Error(result.issues.map((issue) => issue.message).join('\n'))
  return result.output.token
}

function messagesOf(result: ReturnType<typeof resolve>): string[] {
  return (result.issues ?? []).map((issue) => issue.message)
}

describe('Secret', () => {
  test('gives its value only through reveal()', () => {
    const secret = new Secret('hunter2')
    expect(secret.reveal()).toBe('hunter2')
    expect(String(secret)).toBe('[secret]')
    expect(`${secret}`).toBe('[secret]')
    expect(JSON.stringify({ secret })).toBe('{"secret":"[secret]"}')
    expect(inspect({ secret })).not.toContain('hunter2')
    expect(Bun.inspect({ secret })).not.toContain('hunter2')
    expect(Object.keys(secret)).toEqual([])
  })
})

describe('secretReference', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimify-ref-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('resolves ${env:NAME} from the context env', () => {
    const result = resolve('${env:GITHUB_TOKEN}', { GITHUB_TOKEN: 'ghp_abc' })
    expect(tokenOf(result)).toBeInstanceOf(Secret)
    expect(tokenOf(result).reveal()).toBe('ghp_abc')
  })

  test('resolves ${file:path}, dropping exactly one trailing newline', () => {
    const path = join(dir, 'token')
    writeFileSync(path, 'line one\nline two\n\n')
    expect(tokenOf(resolve(`\${file:${path}}`)).reveal()).toBe('line one\nline two\n')
  })

  test('reads a relative ${file:path} from the base directory', () => {
    writeFileSync(join(dir, 'relative-token'), 'abc\n')
    expect(tokenOf(resolve('${file:relative-token}', {}, dir)).reveal()).toBe('abc')
    expect(messagesOf(resolve('${file:relative-token}'))).toEqual(['cannot read secret file relative-token: ENOENT'])
  })

  test('is resolved against the env given, not process.env, and restores the previous env afterwards', () => {
    process.env.SCIMIFY_TEST_TOKEN = 'from-process'
    try {
      expect(messagesOf(resolve('${env:SCIMIFY_TEST_TOKEN}', {}))).toEqual(['environment variable SCIMIFY_TEST_TOKEN is not set'])
      const outside = v.parse(settings, { token: '${env:SCIMIFY_TEST_TOKEN}' })
      expect(outside.token.reveal()).toBe('from-process')
    } finally {
      delete process.env.SCIMIFY_TEST_TOKEN
    }
  })

  test('rejects inline secrets and anything that is not exactly one reference', () => {
    const message = 'must be a ${env:NAME} or ${file:/path} reference, not an inline secret'
    for (const token of ['ghp_inline', 'prefix ${env:A}', '${env:A}${env:B}', '${env:}', '${vault:x}', 12345, null]) {
      const result = resolve(token, { A: 'a', B: 'b' })
      expect(messagesOf(result)).toEqual([message])
    }
  })

  test('says what is missing without printing any value', () => {
    expect(messagesOf(resolve('${env:GITHUB_TOKEN}', {}))).toEqual(['environment variable GITHUB_TOKEN is not set'])
    expect(messagesOf(resolve('${env:GITHUB_TOKEN}', { GITHUB_TOKEN: '' }))).toEqual(['environment variable GITHUB_TOKEN is empty'])
    const missing = join(dir, 'nope')
    expect(messagesOf(resolve(`\${file:${missing}}`))).toEqual([`cannot read secret file ${missing}: ENOENT`])
    const empty = join(dir, 'empty')
    writeFileSync(empty, '\n')
    expect(messagesOf(resolve(`\${file:${empty}}`))).toEqual([`secret file ${empty} is empty`])
  })
})
