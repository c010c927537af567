/**
 * @module Buildkite's official GraphQL schema (SDL) for the fake server, read
 * at run time from ../shared beside the repository and never copied in.
 * Without it the fake cannot be honest, so the tests that need it are skipped.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { buildSchema, type GraphQLSchema } from 'graphql'

export const BUILDKITE_SCHEMA_PATH = resolve(import.meta.dir, '../../../shared/reference/apis/buildkite-schema.graphql')

/** Why the Buildkite tests are skipped, or undefined when the schema is there. */
export const buildkiteSkipReason = existsSync(BUILDKITE_SCHEMA_PATH)
  ? undefined
  : `Buildkite connector tests skipped: ${BUILDKITE_SCHEMA_PATH} not found (CI has ../shared beside the repo).`

let cached: GraphQLSchema | undefined

/** The schema, built once per process. */
export function buildkiteSchema(): GraphQLSchema {
  cached ??= buildSchema(readFileSync(BUILDKITE_SCHEMA_PATH, 'utf8'))
  return cached
}
