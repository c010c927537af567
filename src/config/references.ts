/**
 * @module Secret settings: `${env:NAME}` and `${file:/path}` references,
 * resolved while the config is validated and kept wrapped so they are never
 * printed.
 */
import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import * as v from 'valibot'

const ENV_REFERENCE = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/
const FILE_REFERENCE = /^\$\{file:([^}]+)\}$/
const NOT_A_REFERENCE = 'must be a ${env:NAME} or ${file:/path} reference, not an inline secret'

/** A resolved secret. Only `reveal()` gives the value; every way of printing it gives `[secret]`. */
export class Secret {
  readonly #value: string

  constructor(value: string) {
    this.#value = value
  }

  reveal(): string {
    return this.#value
  }

  toString(): string {
    return '[secret]'
  }

  toJSON(): string {
    return '[secret]'
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[secret]'
  }
}

export interface ReferenceContext {
  /** Where `${env:NAME}` looks names up. */
  env: Record<string, string | undefined>
  /** What a relative `${file:…}` path is relative to: the config file's folder. */
  baseDir: string
}

// Connector settings schemas are module-level constants, so the environment
// and base folder cannot be bound when they are built; parseConfig sets them
// around the (synchronous) validation instead.
let current: ReferenceContext = { env: process.env, baseDir: process.cwd() }

/** Runs `validate` (synchronously) with references resolved against `context`. */
export function withReferenceContext<T>(context: ReferenceContext, validate: () => T): T {
  const previous = current
  current = context
  try {
    return validate()
  } finally {
    current = previous
  }
}

/**
 * Schema for a secret setting: accepts only a string that is exactly one
 * reference and outputs the resolved value as a `Secret`.
 */
export function secretReference() {
  return v.pipe(
    v.string(NOT_A_REFERENCE),
    v.rawTransform<string, Secret>(({ dataset, addIssue, NEVER }) => {
      const resolved = resolveReference(dataset.value, current)
      if (typeof resolved === 'string') return new Secret(resolved)
      addIssue({ message: resolved.error })
      return NEVER
    }),
  )
}

function resolveReference(text: string, { env, baseDir }: ReferenceContext): string | { error: string } {
  const envName = ENV_REFERENCE.exec(text)?.[1]
  if (envName !== undefined) {
    const value = env[envName]
    if (value === undefined) return { error: `environment variable ${envName} is not set` }
    if (value === '') return { error: `environment variable ${envName} is empty` }
    return value
  }
  const filePath = FILE_REFERENCE.exec(text)?.[1]
  if (filePath !== undefined) {
    let content: string
    try {
      content = readFileSync(isAbsolute(filePath) ? filePath : resolve(baseDir, filePath), 'utf8')
    } catch (error) {
      return { error: `cannot read secret file ${filePath}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}` }
    }
    // Editors and `echo` end files with a newline that is not part of the secret.
    const value = content.replace(/\r?\n$/, '')
    if (value === '') return { error: `secret file ${filePath} is empty` }
    return value
  }
  return { error: NOT_A_REFERENCE }
}
