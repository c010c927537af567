/** @module Reads a request body as JSON; anything else is 400 invalidSyntax. */
import { ScimError } from '../scim/errors'

export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text()
  if (text.trim() === '') throw ScimError.of('invalidSyntax', 'The request body is empty')
  try {
    return JSON.parse(text)
  } catch {
    throw ScimError.of('invalidSyntax', 'The request body is not valid JSON')
  }
}
