/**
 * @module Edits the `keys:` of one instance in config text, changing only the
 * lines of the keys concerned: comments, order, quoting and blank lines
 * elsewhere stay byte for byte. Plus the atomic write that saves the result.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fchmodSync, fchownSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { isMap, isPair, isScalar, isSeq, parseDocument, stringify, type Node, type YAMLMap, type YAMLSeq } from 'yaml'
import type { ApiKeyConfig } from './schema'

/** Adds `key` as the last entry of the instance's `keys:` (creating the list if needed). */
export function addApiKey(text: string, instanceId: string, key: ApiKeyConfig): string {
  const { instance, keys, keysKey } = locateKeys(text, instanceId)
  const entry = keyEntry(key)
  const eol = lineEnding(text)

  if (isSeq(keys) && !keys.flow && keys.items.length > 0) {
    const indent = ' '.repeat(columnOf(text, keys.range![0]))
    return splice(text, [{ at: lineAfter(text, contentEnd(keys)), insert: renderBlockList([entry], indent, eol) }])
  }
  if (keys && keysKey) {
    if (!isSeq(keys) && !(isScalar(keys) && keys.value === null)) {
      throw new Error(`"keys:" of instance "${instanceId}" is not a list`)
    }
    const existing = isSeq(keys) ? (keys.toJSON() as unknown[]) : []
    return replaceKeysValue(text, keysKey, keys, [...existing, entry])
  }
  // No `keys:` yet: append one after the instance's last line, at the instance's indentation.
  const indent = ' '.repeat(columnOf(text, instance.range![0]))
  const block = `${indent}keys:${eol}${renderBlockList([entry], `${indent}  `, eol)}`
  return splice(text, [{ at: lineAfter(text, contentEnd(instance)), insert: block }])
}

/** Removes the key `keyId` from the instance's `keys:`; an emptied list becomes `keys: []`. */
export function removeApiKey(text: string, instanceId: string, keyId: string): string {
  const located = locateKeys(text, instanceId)
  const { keys, index, item } = findKey(located.keys, instanceId, keyId)
  const keysKey = located.keysKey!

  if (keys.flow) {
    const remaining = (keys.toJSON() as unknown[]).filter((_, i) => i !== index)
    return replaceKeysValue(text, keysKey, keys, remaining)
  }
  const removeItem = { at: lineStart(text, dashOf(text, item)), remove: lineAfter(text, contentEnd(item)) }
  if (keys.items.length > 1) return splice(text, [removeItem])
  // The list's lines go; the `keys:` line (and any comment on it) becomes `keys: []`.
  return splice(text, [{ at: colonAfter(text, keysKey), insert: ' []' }, removeItem])
}

/** Sets `expires` of the given keys to `expires`, except where they already expire earlier. */
export function expireApiKeys(text: string, instanceId: string, keyIds: readonly string[], expires: string): string {
  const { keys } = locateKeys(text, instanceId)
  const edits: Edit[] = []
  for (const keyId of keyIds) {
    const { item } = findKey(keys, instanceId, keyId)
    const pair = item.items.find((entry) => isScalar(entry.key) && entry.key.value === 'expires')
    const current = pair?.value
    if (isScalar(current) && Date.parse(String(current.value)) <= Date.parse(expires)) continue

    if (item.flow) {
      const updated = stringify({ ...(item.toJSON() as object), expires }, { collectionStyle: 'flow', lineWidth: 0 })
      edits.push({ at: item.range![0], remove: item.range![1], insert: updated.trimEnd() })
    } else if (isScalar(current) && current.range![0] < current.range![1]) {
      edits.push({ at: current.range![0], remove: current.range![1], insert: renderScalar(expires) })
    } else if (pair) {
      // `expires:` with nothing after it (or only a comment): write the value right after the colon.
      edits.push({ at: colonAfter(text, pair.key as Node), insert: ` ${renderScalar(expires)}` })
    } else {
      const indent = ' '.repeat(columnOf(text, item.range![0]))
      const line = `${indent}expires: ${renderScalar(expires)}${lineEnding(text)}`
      edits.push({ at: lineAfter(text, contentEnd(item)), insert: line })
    }
  }
  return splice(text, edits)
}

/** Replaces `path` with `text`: temp file in the same directory, fsync, mode 0600, rename. */
export function writeConfigFileAtomic(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  // Run as root (sudo scimify keys …), keep the owner the file had: the
  // service user must still be able to read it.
  const owner = existsSync(path) ? statSync(path) : undefined
  const fd = openSync(temporary, 'wx', 0o600)
  try {
    try {
      writeFileSync(fd, text, 'utf8')
      fsyncSync(fd)
      fchmodSync(fd, 0o600) // the umask may have narrowed the mode given to openSync
      if (owner && process.getuid?.() === 0) fchownSync(fd, owner.uid, owner.gid)
    } finally {
      closeSync(fd)
    }
    renameSync(temporary, path)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}

interface Edit {
  at: number
  /** End of the replaced range; nothing is removed when absent. */
  remove?: number
  insert?: string
}

/** Applies non-overlapping edits, whatever their order. */
function splice(text: string, edits: Edit[]): string {
  let result = text
  for (const edit of edits.toSorted((a, b) => b.at - a.at)) {
    const end = edit.remove ?? edit.at
    let insert = edit.insert ?? ''
    // Text without a final newline: start inserted lines on a line of their own.
    if (insert && edit.at === result.length && result.length > 0 && !result.endsWith('\n')) insert = lineEnding(text) + insert
    result = result.slice(0, edit.at) + insert + result.slice(end)
  }
  return result
}

function locateKeys(text: string, instanceId: string) {
  const doc = parseDocument(text)
  if (doc.errors.length > 0) throw new Error(`the config is not valid YAML: ${doc.errors[0].message}`)
  const instances = doc.get('instances', true)
  const instance = isSeq(instances)
    ? instances.items.find((item): item is YAMLMap => isMap(item) && item.get('id') === instanceId)
    : undefined
  if (!instance) throw new Error(`unknown instance "${instanceId}"`)
  if (instance.flow) {
    throw new Error(`instance "${instanceId}" is written in flow style ({ … }); write it as indented lines so its keys can be edited`)
  }
  const pair = instance.items.find((item) => isScalar(item.key) && item.key.value === 'keys')
  return {
    instance,
    keys: pair?.value as Node | null | undefined,
    keysKey: pair?.key as Node | undefined,
  }
}

function findKey(keys: unknown, instanceId: string, keyId: string): { keys: YAMLSeq; index: number; item: YAMLMap } {
  const index = isSeq(keys) ? keys.items.findIndex((item) => isMap(item) && item.get('id') === keyId) : -1
  if (index === -1) throw new Error(`unknown key "${keyId}" in instance "${instanceId}"`)
  const list = keys as YAMLSeq
  return { keys: list, index, item: list.items[index] as YAMLMap }
}

/** Replaces the value of `keys:` (a flow list or nothing) with `entries`: a block list, or `[]` when empty. */
function replaceKeysValue(text: string, keysKey: Node, value: Node, entries: unknown[]): string {
  const valueEnd = value.range![1]
  const afterValue = lineAfter(text, valueEnd + 1)
  // A comment after the value stays on the `keys:` line, with its own spacing.
  const comment = text.slice(valueEnd, afterValue).replace(/\r?\n$/, '')
  const restOfLine = comment === '' || /^\s/.test(comment) ? comment : ` ${comment}`
  const eol = lineEnding(text)
  const replacement =
    entries.length === 0
      ? ` []${restOfLine}${eol}`
      : `${restOfLine}${eol}${renderBlockList(entries, ' '.repeat(columnOf(text, keysKey.range![0]) + 2), eol)}`
  return splice(text, [{ at: colonAfter(text, keysKey), remove: afterValue, insert: replacement }])
}

function keyEntry(key: ApiKeyConfig): Record<string, string> {
  const entry: Record<string, string> = { id: key.id }
  if (key.name !== undefined) entry.name = key.name
  entry.hash = key.hash
  entry.created = key.created
  if (key.expires !== undefined) entry.expires = key.expires
  return entry
}

/** `- id: …` lines, each prefixed with `indent`, ending with a newline. */
function renderBlockList(entries: unknown[], indent: string, eol: string): string {
  const lines = stringify(entries, { lineWidth: 0 }).trimEnd().split('\n')
  return lines.map((line) => `${indent}${line}${eol}`).join('')
}

function renderScalar(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd()
}

/** Offset just past the last character of a node's content, ignoring comments and blank lines after it. */
function contentEnd(node: unknown): number {
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last = node.items.at(-1)
    return contentEnd(isPair(last) ? (last.value ?? last.key) : last)
  }
  return (node as Node).range![1]
}

/** The `-` that starts a block list item (usually on the item's first line). */
function dashOf(text: string, item: Node): number {
  let at = item.range![0] - 1
  while (at >= 0 && /\s/.test(text[at])) at--
  if (text[at] !== '-') throw new Error('cannot find the "-" of a key entry; is the file hand-formatted in an unusual way?')
  return at
}

/** Offset just past the `:` that follows a map key. */
function colonAfter(text: string, key: Node): number {
  return text.indexOf(':', key.range![1]) + 1
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1
}

/** Start of the line after the one holding the character just before `end`. */
function lineAfter(text: string, end: number): number {
  const newline = text.indexOf('\n', Math.max(end - 1, 0))
  return newline === -1 ? text.length : newline + 1
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset)
}

function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n'
}
