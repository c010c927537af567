/**
 * @module Opaque page cursors (RFC 9865): where the next page starts, as
 * base64url text (RFC 3986 unreserved characters only). They hold a position,
 * not a snapshot, so they never expire.
 */
import { ScimError } from '../scim/errors'

export type CursorPosition = { after: number } | { offset: number }

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url')
}

/** "" is the first page; anything else must be a cursor this server made. */
export function decodeCursor(cursor: string): CursorPosition {
  if (cursor === '') return { after: 0 }
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>
    if (Number.isSafeInteger(value.after) && (value.after as number) >= 0) return { after: value.after as number }
    if (Number.isSafeInteger(value.offset) && (value.offset as number) >= 0) return { offset: value.offset as number }
  } catch {
    // fall through: not ours
  }
  throw ScimError.of('invalidCursor', 'The cursor is not one this server returned; start again with an empty cursor')
}
