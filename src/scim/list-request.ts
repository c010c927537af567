/**
 * @module A query for a list of resources, from URL parameters (RFC 7644
 * §3.4.2) or a SearchRequest body (§3.4.3): filter, sort, projection and
 * page, by index (§3.4.2.4) or by cursor (RFC 9865).
 */
import { ScimError } from './errors'
import type { AttributePath, Filter } from './filter/ast'
import { parseAttributePath, parseFilter } from './filter/parse'
import { MAX_PAGE_SIZE } from './list'
import { parseProjection, type Projection } from './projection'
import { isObject } from './resource'
import { SEARCH_REQUEST } from './schemas/urns'

export const DEFAULT_PAGE_SIZE = 100
/** Larger start indexes are read as this one: past any real list, and still a 32-bit integer for SQL. */
const MAX_START_INDEX = 2 ** 31 - 1

export type Paging = { kind: 'index'; startIndex: number; count: number } | { kind: 'cursor'; cursor: string; count: number }

export interface ListRequest {
  filter?: Filter
  sort?: { path: AttributePath; descending: boolean }
  projection: Projection
  paging: Paging
}

/** Parameters as they arrive, from the URL or a SearchRequest; names compared as the RFC spells them. */
interface RawParameters {
  filter?: unknown
  sortBy?: unknown
  sortOrder?: unknown
  startIndex?: unknown
  count?: unknown
  cursor?: unknown
  attributes?: unknown
  excludedAttributes?: unknown
}

/** From URL query parameters. `itemsPerPage` stands in for a missing `count` (Saviynt sends it). */
export function listRequestFromQuery(query: Record<string, string | undefined>): ListRequest {
  return buildListRequest({ ...query, count: query.count ?? query.itemsPerPage })
}

/** From the body of POST /.search (RFC 7644 §3.4.3). */
export function listRequestFromSearch(body: unknown): ListRequest {
  if (!isObject(body)) throw ScimError.of('invalidSyntax', 'The search request must be a JSON object')
  const schemas = body.schemas
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SEARCH_REQUEST.toLowerCase())) {
    throw ScimError.of('invalidSyntax', `"schemas" must contain "${SEARCH_REQUEST}"`)
  }
  const list = (value: unknown, name: string) => {
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string') return value
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(',')
    throw ScimError.of('invalidValue', `"${name}" must be an array of attribute names`)
  }
  return buildListRequest({
    ...body,
    attributes: list(body.attributes, 'attributes'),
    excludedAttributes: list(body.excludedAttributes, 'excludedAttributes'),
  })
}

function buildListRequest(raw: RawParameters): ListRequest {
  const filter = optionalString(raw.filter, 'filter')
  const sortBy = optionalString(raw.sortBy, 'sortBy')
  const sortOrder = optionalString(raw.sortOrder, 'sortOrder')?.toLowerCase()
  if (sortOrder !== undefined && sortOrder !== 'ascending' && sortOrder !== 'descending') {
    throw ScimError.of('invalidValue', '"sortOrder" must be "ascending" or "descending"')
  }
  const count = Math.min(MAX_PAGE_SIZE, Math.max(0, optionalInteger(raw.count, 'count') ?? DEFAULT_PAGE_SIZE))
  const cursor = raw.cursor === undefined || raw.cursor === null ? undefined : optionalString(raw.cursor, 'cursor') ?? ''
  const paging: Paging =
    cursor !== undefined
      ? { kind: 'cursor', cursor, count }
      : { kind: 'index', startIndex: Math.min(MAX_START_INDEX, Math.max(1, optionalInteger(raw.startIndex, 'startIndex') ?? 1)), count }
  return {
    filter: filter !== undefined && filter.trim() !== '' ? parseFilter(filter) : undefined,
    sort: sortBy !== undefined && sortBy.trim() !== '' ? { path: parseSortPath(sortBy), descending: sortOrder === 'descending' } : undefined,
    projection: parseProjection(optionalString(raw.attributes, 'attributes'), optionalString(raw.excludedAttributes, 'excludedAttributes')),
    paging,
  }
}

function parseSortPath(sortBy: string): AttributePath {
  try {
    return parseAttributePath(sortBy.trim())
  } catch {
    throw ScimError.of('invalidValue', `"sortBy" is not an attribute path: ${sortBy}`)
  }
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value
  throw ScimError.of('invalidValue', `"${name}" must be a string`)
}

/** RFC 7644 §3.4.2.4: integers; a startIndex below 1 counts as 1, a negative count as 0. */
function optionalInteger(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'number' && Number.isInteger(value)) return value
  if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number.parseInt(value, 10)
  throw ScimError.of('invalidValue', `"${name}" must be an integer`)
}
