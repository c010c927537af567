/**
 * @module Case folding for case-insensitive comparison in SQL. SQLite's
 * lower() folds only ASCII, so scimify stores a copy of each document with
 * every string lower-cased by JavaScript (full Unicode): "Ärztin" → "ärztin".
 */

export function foldStrings(value: unknown): unknown {
  if (typeof value === 'string') return value.toLowerCase()
  if (Array.isArray(value)) return value.map(foldStrings)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, foldStrings(item)]))
  }
  return value
}
