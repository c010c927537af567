/**
 * @module Reads the config file: YAML, then the schema, then the checks the
 * schema cannot make (unique ids, known connectors, connector settings).
 * Every problem is reported with its path and line, not only the first.
 */
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import * as v from 'valibot'
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml'
import type { ConnectorRegistry } from '../connector/registry'
import { allSchemas } from '../scim/discovery'
import { withReferenceContext, type ReferenceContext } from './references'
import { configSchema, type Config } from './schema'

/** A problem in the config file. Built from valibot's issues, which are not passed on: they hold the input, which may be a secret. */
export interface ConfigIssue {
  /** Where in the file, e.g. `instances[1].connector.type`; `(file)`, `(yaml)` or `(root)` for the whole file. */
  path: string
  message: string
  /** 1-based line in the file, when known. */
  line?: number
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] }

type Env = Record<string, string | undefined>
type PathKey = string | number
interface Problem {
  path: PathKey[]
  message: string
}

/** `instances[1].connector.type: unknown connector "gitlab" (line 14)` */
export function formatIssue(issue: ConfigIssue): string {
  return `${issue.path}: ${issue.message}${issue.line === undefined ? '' : ` (line ${issue.line})`}`
}

export function loadConfigFile(path: string, registry: ConnectorRegistry, env: Env = process.env): ConfigResult {
  const read = readConfigText(path)
  return read.ok ? parseConfig(read.text, registry, env, dirname(path)) : read
}

/** The file's text, or the one issue saying why it cannot be read. */
export function readConfigText(path: string): { ok: true; text: string } | { ok: false; issues: ConfigIssue[] } {
  try {
    return { ok: true, text: readFileSync(path, 'utf8') }
  } catch (error) {
    return { ok: false, issues: [{ path: '(file)', message: `cannot read config file ${path}: ${describeFsError(error)}` }] }
  }
}

/**
 * Parses and validates config text. `env` resolves `${env:…}` references in
 * connector settings; relative `${file:…}` paths are relative to `baseDir`,
 * the config file's folder.
 */
export function parseConfig(text: string, registry: ConnectorRegistry, env: Env = process.env, baseDir = process.cwd()): ConfigResult {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error) => ({
      path: '(yaml)',
      message: error.message,
      line: lineCounter.linePos(error.pos[0]).line,
    }))
    return { ok: false, issues }
  }

  const raw: unknown = doc.toJS()
  if (raw === null || raw === undefined) {
    return { ok: false, issues: [{ path: '(file)', message: 'is empty; it needs at least an "instances:" list' }] }
  }
  // Server settings may hold references too (server.metrics.token).
  const parsed = withReferenceContext({ env, baseDir }, () => v.safeParse(configSchema, raw))
  const problems: Problem[] = (parsed.issues ?? []).map((issue) => ({
    path: issue.path?.map((item) => item.key as PathKey) ?? [],
    message: describeIssue(issue),
  }))
  const instanceChecks = checkInstances(raw, registry, { env, baseDir })
  problems.push(...instanceChecks.problems)

  if (!parsed.success || problems.length > 0) {
    const issues = problems.map((problem) => ({
      path: formatPath(problem.path),
      message: problem.message,
      line: lineOf(doc, lineCounter, problem.path),
    }))
    return { ok: false, issues: sortByLine(issues) }
  }

  const config: Config = {
    server: parsed.output.server,
    instances: parsed.output.instances.map((instance, index) => ({
      ...instance,
      connector: { type: instance.connector.type, settings: instanceChecks.settings[index] },
      keys: instance.keys ?? [],
    })),
  }
  return { ok: true, config }
}

/** Unique instance and key ids, known connector types, and each connector's settings. */
function checkInstances(raw: unknown, registry: ConnectorRegistry, references: ReferenceContext) {
  const problems: Problem[] = []
  const settings: unknown[] = []
  const instances = isRecord(raw) && Array.isArray(raw.instances) ? raw.instances : []
  const instanceIds = new Set<unknown>()

  instances.forEach((instance: unknown, i) => {
    if (!isRecord(instance)) return
    if (typeof instance.id === 'string') {
      if (instanceIds.has(instance.id)) {
        problems.push({ path: ['instances', i, 'id'], message: `duplicate instance id "${instance.id}"` })
      }
      instanceIds.add(instance.id)
    }

    if (Array.isArray(instance.keys)) {
      const keyIds = new Set<unknown>()
      instance.keys.forEach((key: unknown, k) => {
        if (!isRecord(key) || typeof key.id !== 'string') return
        if (keyIds.has(key.id)) problems.push({ path: ['instances', i, 'keys', k, 'id'], message: `duplicate key id "${key.id}"` })
        keyIds.add(key.id)
      })
    }

    problems.push(...checkExtensionIds(instance.extensions, i))

    const connector = instance.connector
    if (!isRecord(connector) || typeof connector.type !== 'string' || connector.type === '') return
    const definition = registry.get(connector.type)
    if (!definition) {
      problems.push({ path: ['instances', i, 'connector', 'type'], message: `unknown connector "${connector.type}"` })
      return
    }
    const { type: _type, ...rest } = connector
    const result = withReferenceContext(references, () => v.safeParse(definition.settings, rest))
    if (result.success) settings[i] = result.output
    for (const issue of result.issues ?? []) {
      const subPath = issue.path?.map((item) => item.key as PathKey) ?? []
      problems.push({ path: ['instances', i, 'connector', ...subPath], message: describeIssue(issue) })
    }
  })
  return { problems, settings }
}

/** Each extension's schema URN is its own: not a built-in schema and not used twice in the instance. */
function checkExtensionIds(extensions: unknown, i: number): Problem[] {
  if (!Array.isArray(extensions)) return []
  const problems: Problem[] = []
  const seen = new Set<string>()
  extensions.forEach((extension: unknown, e) => {
    if (!isRecord(extension) || typeof extension.schema !== 'string') return
    const urn = extension.schema.toLowerCase()
    if (BUILT_IN_SCHEMAS.has(urn)) {
      problems.push({ path: ['instances', i, 'extensions', e, 'schema'], message: `"${extension.schema}" is a built-in schema; give the extension a URN of its own` })
    } else if (seen.has(urn)) {
      problems.push({ path: ['instances', i, 'extensions', e, 'schema'], message: `duplicate extension schema "${extension.schema}"` })
    }
    seen.add(urn)
  })
  return problems
}

const BUILT_IN_SCHEMAS = new Set(allSchemas().map((schema) => schema.id.toLowerCase()))

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  Object: 'a mapping (key: value lines)',
  Array: 'a list',
}

/** Rewords valibot's generic messages; messages written in the schemas are kept as they are. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  if (issue.message.startsWith('Invalid key: Expected never')) return `unknown key ${issue.received}`
  if (issue.message.startsWith('Invalid key:') && issue.received === 'undefined') return 'is required'
  if (issue.message.startsWith('Invalid type:')) {
    return `must be ${TYPE_NAMES[issue.expected ?? ''] ?? issue.expected}, not ${issue.received}`
  }
  return issue.message
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `['instances', 1, 'connector', 'type']` → `instances[1].connector.type` */
function formatPath(path: PathKey[]): string {
  if (path.length === 0) return '(root)'
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`
      if (!IDENTIFIER.test(key)) return `[${JSON.stringify(key)}]`
      return index === 0 ? key : `.${key}`
    })
    .join('')
}

/** The line of the deepest node on `path` that exists: a map entry's key, or a list item. */
function lineOf(doc: Document, lineCounter: LineCounter, path: PathKey[]): number | undefined {
  let node: unknown = doc.contents
  let line: number | undefined
  for (const key of path) {
    if (isAlias(node)) node = node.resolve(doc)
    let found: Node | undefined
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(key))
      if (!pair) break
      found = pair.key as Node
      node = pair.value
    } else if (isSeq(node) && typeof key === 'number' && key < node.items.length) {
      found = node.items[key] as Node
      node = found
    } else {
      break
    }
    if (found?.range) line = lineCounter.linePos(found.range[0]).line
  }
  return line
}

function sortByLine(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.toSorted((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER))
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES') return 'permission denied'
  if (code === 'EISDIR') return 'is a directory'
  return code ?? String(error)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
