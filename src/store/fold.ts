/**
 * @module Case folding for case-insensitive comparison in SQL. SQLite's
 * lower() folds only ASCII, so a document with other letters is stored with
 * a folded copy made by JavaScript (full Unicode: "Ärztin" → "ärztin"); for
 * a document of ASCII text alone, lower() folds it the same way and no copy
 * is stored. Both fold the member names as well as the strings, so SQL reads
 * either with one lower-cased path (filter-sql.ts, FOLDED_DOCUMENT).
 */

/** The copy stored in `data_lc` for a document and its JSON text: '' when lower() of the text is the same. */
export function foldedCopy(data: unknown, json: string): string {
  // JSON.stringify writes letters beyond ASCII as they are (and its escapes in lower case): ASCII text
  // means ASCII strings and names, where JavaScript's toLowerCase and SQLite's lower() agree.
  return ASCII.test(json) ? '' : JSON.stringify(foldDocument(data))
}

const ASCII = /^[\x00-\x7f]*$/

/** Every string and member name lower-cased. */
function foldDocument(value: unknown): unknown {
  if (typeof value === 'string') return value.toLowerCase()
  if (Array.isArray(value)) return value.map(foldDocument)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key.toLowerCase(), foldDocument(item)]))
  }
  return value
}

/** The folding of schema version 4 (strings only, names as they are), which its migration keeps. */
export function foldStrings(value: unknown): unknown {
  if (typeof value === 'string') return value.toLowerCase()
  if (Array.isArray(value)) return value.map(foldStrings)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, foldStrings(item)]))
  }
  return value
}
