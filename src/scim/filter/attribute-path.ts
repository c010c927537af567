/**
 * @module The `attrPath` rule of RFC 7644 §3.4.2.2 (Figure 1):
 * `[URI ":"] ATTRNAME *1subAttr`.
 */
import type { AttributePath } from './ast'

// ATTRNAME = ALPHA *(nameChar); "$" is allowed too because "$ref" is a real sub-attribute name.
const NAME = '[A-Za-z$][A-Za-z0-9$_-]*'
// NAME cannot contain ':', so the URN is everything up to the last ':' (URNs contain dots, e.g. "2.0").
const ATTRIBUTE_PATH = new RegExp(`^(?:(urn:[A-Za-z0-9._:+-]+):)?(${NAME})(?:\\.(${NAME}))?$`, 'i')

/** Splits `urn:…:User:name.familyName` into its parts, or returns undefined when malformed. */
export function readAttributePath(text: string): AttributePath | undefined {
  const match = ATTRIBUTE_PATH.exec(text)
  if (!match) return undefined
  const [, schema, attribute, subAttribute] = match
  const path: AttributePath = { attribute: attribute! }
  if (schema !== undefined) path.schema = schema
  if (subAttribute !== undefined) path.subAttribute = subAttribute
  return path
}

/** The path written back as text, for error messages. */
export function formatAttributePath(path: AttributePath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`
  return path.schema === undefined ? name : `${path.schema}:${name}`
}
