/**
 * @module Tokenizer for SCIM filters, RFC 7644 §3.4.2.2 (Figure 1).
 * Splits on whitespace, brackets and JSON string literals; words are
 * classified (operator, path, bare value) by the parser from their position.
 */
import { ScimError } from '../errors'

export const MAX_FILTER_LENGTH = 10_000

export type Token =
  | { kind: '(' | ')' | '[' | ']'; position: number }
  | { kind: 'string'; value: string; position: number }
  | { kind: 'word'; text: string; position: number }

const PUNCTUATION = new Set(['(', ')', '[', ']'])
const WHITESPACE = /\s/

/** Tokens of `text`; positions are 0-based offsets into it. */
export function tokenize(text: string): Token[] {
  if (text.length > MAX_FILTER_LENGTH) {
    throw ScimError.of('invalidFilter', `Filter is longer than ${MAX_FILTER_LENGTH} characters`)
  }
  const tokens: Token[] = []
  let index = 0
  while (index < text.length) {
    const char = text[index]!
    if (WHITESPACE.test(char)) {
      index++
    } else if (PUNCTUATION.has(char)) {
      tokens.push({ kind: char as '(' | ')' | '[' | ']', position: index })
      index++
    } else if (char === '"') {
      const end = endOfString(text, index)
      tokens.push({ kind: 'string', value: decodeString(text.slice(index, end), index), position: index })
      index = end
    } else {
      const start = index
      while (index < text.length && !isWordBoundary(text[index]!)) index++
      tokens.push({ kind: 'word', text: text.slice(start, index), position: start })
    }
  }
  return tokens
}

function isWordBoundary(char: string): boolean {
  return WHITESPACE.test(char) || PUNCTUATION.has(char) || char === '"'
}

/** Offset just past the closing quote of the string literal starting at `start`. */
function endOfString(text: string, start: number): number {
  let index = start + 1
  while (index < text.length) {
    if (text[index] === '\\') index += 2
    else if (text[index] === '"') return index + 1
    else index++
  }
  throw ScimError.of('invalidFilter', `Unterminated string starting at position ${start + 1}`)
}

function decodeString(literal: string, start: number): string {
  try {
    return JSON.parse(literal) as string
  } catch {
    throw ScimError.of('invalidFilter', `Invalid string ${literal} at position ${start + 1}: not a JSON string`)
  }
}
