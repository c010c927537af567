/** @module Reads a request body as JSON; anything else is 400 invalidSyntax. */
import { parseJsonBody } from '../scim/json'

export async function readJsonBody(request: Request): Promise<unknown> {
  return parseJsonBody(await request.text())
}
