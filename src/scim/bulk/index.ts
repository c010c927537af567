/** @module Bulk operations (RFC 7644 §3.7): parse, order by bulkId references, substitute them, run, answer. */
export * from './types'
export { checkBulkPayloadSize, parseBulkRequest } from './parse'
export { bulkIdIn, referencedBulkIds, substituteBulkIds } from './references'
export { bulkProcessingOrder } from './order'
export { processBulkRequest } from './process'
