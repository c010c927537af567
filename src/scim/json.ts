/** @module Parses a request body as JSON; anything else is 400 invalidSyntax (RFC 7644 §3.12). */
import { ScimError } from './errors'

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw ScimError.of('invalidSyntax', 'The request body is empty')
  try {
    return JSON.parse(text)
  } catch {
    throw ScimError.of('invalidSyntax', 'The request body is not valid JSON')
  }
}
