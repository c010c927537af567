/**
 * @module The syntax tree of a SCIM filter, RFC 7644 §3.4.2.2 (Figure 1).
 * Produced by `parseFilter`; consumed by the in-memory evaluator and the
 * store's SQL translator.
 */

/**
 * An attribute path as the client wrote it (names are not canonicalised).
 * `schema` is the URN prefix when the path was schema-qualified, e.g.
 * `urn:ietf:params:scim:schemas:core:2.0:User` for
 * `urn:ietf:params:scim:schemas:core:2.0:User:name.familyName`.
 */
export interface AttributePath {
  schema?: string
  attribute: string
  subAttribute?: string
}

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le'

export type FilterValue = string | number | boolean | null

export type Filter =
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  | { kind: 'present'; path: AttributePath }
  | { kind: 'compare'; op: CompareOperator; path: AttributePath; value: FilterValue }
  /** `emails[type eq "work"]`: the inner filter's paths are sub-attributes of `path`. */
  | { kind: 'valuePath'; path: AttributePath; filter: Filter }
