/**
 * @module PATCH paths, RFC 7644 §3.5.2 (Figure 7):
 * `PATH = attrPath / valuePath [subAttr]`, resolved against a resource type.
 */
import { ScimError } from './errors'
import type { AttributePath, Filter } from './filter/ast'
import { formatAttributePath, readAttributePath } from './filter/attribute-path'
import { compileValueFilter, type FilterPredicate } from './filter/evaluate'
import { parseFilter } from './filter/parse'
import { findSubAttribute, resolveAttributePath } from './filter/resolve'
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './schemas'

/** A PATCH path as written: `members`, `name.givenName`, `emails[type eq "work"].value`. */
export interface PatchPath {
  attribute: AttributePath
  /** The filter in brackets, selecting values of a multi-valued (or complex) attribute. */
  filter?: Filter
  /** The sub-attribute after the brackets (`.value` above). */
  subAttribute?: string
}

/** What a PATCH path points at in a resource. */
export interface PatchTarget {
  /** The extension holding the attribute (`resource[extension.id]`); undefined for core and common attributes. */
  extension?: SchemaDefinition
  attribute: AttributeDefinition
  subAttribute?: AttributeDefinition
  /** The [filter] selecting values of `attribute`, and its compiled predicate over one value. */
  select?: { filter: Filter; matches: FilterPredicate }
  /** The path as the client wrote it, for error messages. */
  text: string
}

/** Parses a PATCH path; malformed paths throw invalidPath, a malformed bracket filter invalidFilter. */
export function parsePatchPath(text: string): PatchPath {
  const trimmed = text.trim()
  const open = trimmed.indexOf('[')
  if (open === -1) return { attribute: readPath(trimmed, text) }

  const close = closingBracket(trimmed, open)
  if (close === -1) throw ScimError.of('invalidPath', `Unbalanced "[" in path "${text}"`)
  const attribute = readPath(trimmed.slice(0, open).trimEnd(), text)
  const filter = parseFilter(trimmed.slice(open + 1, close))
  const rest = trimmed.slice(close + 1)
  if (rest === '') return { attribute, filter }
  const subAttribute = /^\.([A-Za-z$][A-Za-z0-9$_-]*)$/.exec(rest)?.[1]
  if (subAttribute === undefined) throw ScimError.of('invalidPath', `Unexpected "${rest}" after "]" in path "${text}"`)
  return { attribute, filter, subAttribute }
}

/**
 * Resolves a PATCH path. Common attributes resolve to their RFC 7643 §3.1
 * definitions (so `id` and `meta` are readOnly and `externalId` behaves as a
 * core string); unknown attributes throw invalidPath.
 */
export function resolvePatchPath(text: string, resourceType: ResourceTypeDefinition): PatchTarget {
  const path = parsePatchPath(text)
  const resolved = resolveAttributePath(path.attribute, resourceType, 'invalidPath')
  const target: PatchTarget = 'common' in resolved
    ? { attribute: resolved.attribute, text }
    : {
        attribute: resolved.attribute,
        subAttribute: resolved.subAttribute,
        extension: resolved.schema === resourceType.schema ? undefined : resolved.schema,
        text,
      }
  if (!path.filter) return target

  if (target.subAttribute || target.attribute.type !== 'complex') {
    throw ScimError.of('invalidPath', `"${formatAttributePath(path.attribute)}" is not a complex attribute and cannot take a [filter] in path "${text}"`)
  }
  target.select = { filter: path.filter, matches: compileValueFilter(path.filter, target.attribute) }
  if (path.subAttribute !== undefined) {
    target.subAttribute = findSubAttribute(target.attribute, path.subAttribute)
    if (!target.subAttribute) {
      throw ScimError.of('invalidPath', `"${target.attribute.name}" has no sub-attribute "${path.subAttribute}" in path "${text}"`)
    }
  }
  return target
}

function readPath(candidate: string, text: string): AttributePath {
  const path = readAttributePath(candidate)
  if (!path) throw ScimError.of('invalidPath', `Invalid path "${text}"`)
  return path
}

/** Index of the "]" closing the "[" at `open`, skipping string literals; -1 if there is none. */
function closingBracket(text: string, open: number): number {
  let depth = 0
  for (let index = open; index < text.length; index++) {
    const char = text[index]
    if (char === '"') {
      index++
      while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1
    } else if (char === '[') {
      depth++
    } else if (char === ']' && --depth === 0) {
      return index
    }
  }
  return -1
}
