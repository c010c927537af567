/** @module The ListResponse message (RFC 7644 §3.4.2) and the page size limit. */
import { LIST_RESPONSE } from './schemas/urns'

/** The most resources one page returns, advertised as filter.maxResults. */
export const MAX_PAGE_SIZE = 1000

/**
 * A ListResponse. Index paging reports `startIndex`; cursor paging (RFC 9865)
 * reports `nextCursor` instead, omitted on the last page.
 */
export function listResponse<T>(totalResults: number, resources: T[], position: { startIndex: number } | { nextCursor?: string }) {
  return {
    schemas: [LIST_RESPONSE],
    totalResults,
    ...('startIndex' in position ? { startIndex: position.startIndex } : {}),
    itemsPerPage: resources.length,
    ...('nextCursor' in position && position.nextCursor !== undefined ? { nextCursor: position.nextCursor } : {}),
    Resources: resources,
  }
}

/** The same ListResponse as JSON text, around resources already rendered as JSON text. */
export function listResponseJson(totalResults: number, resourcesJson: string[], position: { startIndex: number } | { nextCursor?: string }): string {
  const envelope = listResponse(totalResults, [], position)
  envelope.itemsPerPage = resourcesJson.length
  // `Resources` is the envelope's last member: its empty array is the text's last three characters, `[]}`.
  const text = JSON.stringify(envelope)
  return `${text.slice(0, -3)}[${resourcesJson.join(',')}]}`
}
