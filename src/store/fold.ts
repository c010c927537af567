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
  return ASCII.test(json) ? '' : JSON.stringify(foldStrings(data, true))
}

const ASCII = /^[\x00-\x7f]*$/

/**
 * Every string lower-cased, and with `names` every member name too. Without
 * names it is the folding of schema version 4, which that migration keeps.
 */
export function foldStrings(value: unknown, names = false): unknown {
  if (typeof value === 'string') return value.toLowerCase()
  if (Array.isArray(value)) return value.map((item) => foldStrings(item, names))
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [names ? key.toLowerCase() : key, foldStrings(item, names)]),
    )
  }
  return value
}
