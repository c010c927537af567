/**
 * @module A deep copy of JSON data (objects, arrays, strings, numbers,
 * booleans, null): what the PATCH engine works on. structuredClone handles
 * every kind of value and was a tenth of a PATCH's time.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(cloneJson) as T
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const item = cloneJson((value as Record<string, unknown>)[key])
    // JSON.parse makes "__proto__" an own key; assigning it would set the copy's prototype instead.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true })
    else copy[key] = item
  }
  return copy as T
}
