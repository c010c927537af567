/**
 * @module Removes secrets from what is about to be logged: the logger's
 * safety net. Callers pass key ids, never keys; this catches what slips
 * through anyway (an error message quoting a header, a token in a URL).
 */

export const REDACTED = '[REDACTED]'

/** Field names whose values are secret whatever they look like. `key_id` and the like are not. */
const SECRET_FIELD = /^(?:(?:proxy[-_]?)?authorization|(?:set[-_]?)?cookie|password|passwd|secret|token|api[-_]?key|.*[-_](?:secret|token|password))$/i

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // An Authorization header quoted in text: a quoted value (`"authorization":"…"`) to its closing quote,
  // any other (`authorization: Digest username="bob", …`) to the end of the line.
  [/((?:proxy-)?authorization)(["']?\s*[:=]\s*)(["'])(?:(?!\3)[^\\]|\\.)*\3/gi, `$1$2$3${REDACTED}$3`],
  [/((?:proxy-)?authorization)(["']?\s*[:=]\s*)(?!(["'])\[REDACTED\]\3)[^\r\n]+/gi, `$1$2${REDACTED}`],
  // Bearer and Basic credentials wherever they appear.
  [/\b(bearer|basic)(\s+)[^\s"',;}]+/gi, `$1$2${REDACTED}`],
  // scimify API keys (`scimify_<12 hex key id>_<secret>`), also cut short or run on: the key id stays, the rest goes.
  [/(scimify_[0-9a-fA-F]{12}_)[A-Za-z0-9_-]+/g, `$1${REDACTED}`],
]

/** A word each pattern needs: text with none of them (most of it) is left as it is without running them. */
const MAY_HOLD_SECRET = /authorization|bearer|basic|scimify_/i

/** `text` with every credential-looking part replaced by [REDACTED]. */
export function redactText(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text
  let redacted = text
  for (const [pattern, replacement] of PATTERNS) redacted = redacted.replace(pattern, replacement)
  return redacted
}

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name)
}
