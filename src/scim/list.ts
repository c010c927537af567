/**
 * @module Paging parameters and the ListResponse message (RFC 7644 §3.4.2.4, §3.4.2).
 */
import { ScimError } from './errors'
import { LIST_RESPONSE } from './schemas/urns'

/** The most resources one page returns, advertised as filter.maxResults. */
export const MAX_PAGE_SIZE = 1000

export interface Page {
  startIndex: number
  count: number
}

/**
 * Reads startIndex and count. RFC 7644 §3.4.2.4: a startIndex below 1 is
 * treated as 1, a negative count as 0; a count above the maximum is cut to it.
 */
export function parsePage(startIndex: string | null | undefined, count: string | null | undefined): Page {
  return {
    startIndex: Math.max(1, parseInteger(startIndex, 'startIndex') ?? 1),
    count: Math.min(MAX_PAGE_SIZE, Math.max(0, parseInteger(count, 'count') ?? 100)),
  }
}

function parseInteger(value: string | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined
  if (!/^\s*[-+]?\d+\s*$/.test(value)) throw ScimError.of('invalidValue', `'${name}' must be an integer`)
  return Number.parseInt(value, 10)
}

export function listResponse<T>(totalResults: number, page: Page, resources: T[]) {
  return {
    schemas: [LIST_RESPONSE],
    totalResults,
    startIndex: page.startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  }
}
