/**
 * @module Translates a SCIM filter AST (RFC 7644 §3.4.2.2) into a SQL
 * condition on `resources r`, so filtering and paging run in SQLite.
 *
 * Attributes with their own column (userName, displayName, externalId,
 * active, id, meta dates) and emails.value (resource_values) are index
 * lookups; other attributes are read from the JSON document. Strings are
 * compared case-insensitively unless the schema says caseExact: against the
 * folded document (fold.ts), lower() of an ASCII one or the copy JavaScript
 * folded of any other (SQLite's lower() folds ASCII only). And/or chains become
 * balanced trees, so a long chain stays within SQLite's expression depth.
 */
import { ScimError } from '../scim/errors'
import type { AttributePath, CompareOperator, Filter, FilterValue } from '../scim/filter/ast'
import { resolveAttributePath, type ResolvedAttributePath } from '../scim/filter/resolve'
import type { AttributeDefinition, ResourceTypeDefinition } from '../scim/schemas/types'
import type { ResourceKind } from './types'

export interface SqlCondition {
  sql: string
  params: unknown[]
}

/** How one attribute is read in SQL: an expression and how to compare it. */
export interface Operand {
  expression: string
  /** 'text' compares folded (lower-cased) text unless caseExact; 'boolean'/'number'/'date' compare typed values. */
  kind: 'text' | 'boolean' | 'number' | 'date'
  caseExact: boolean
}

/**
 * Reads a value from the document: `folded` picks the lower-cased copy. Text
 * that is not caseExact is always read folded.
 */
export type ValueReader = (folded: boolean) => string

/**
 * The folded document: the stored copy, or for a document of ASCII text alone
 * (no copy stored) lower() of the document itself. Member names are folded
 * too, so it is read with a lower-cased path.
 */
const FOLDED_DOCUMENT = "CASE r.data_lc WHEN '' THEN lower(r.data) ELSE r.data_lc END"

/** Reads `path` from the resource's document (`r.data`) or its folded form. */
export function documentReader(path: string): ValueReader {
  return (folded) => (folded ? `json_extract(${FOLDED_DOCUMENT}, '${path.toLowerCase()}')` : `json_extract(r.data, '${path}')`)
}

/**
 * The elements of a multi-valued attribute at `path`, as `e` (exact) and `l`
 * (folded) side by side, for EXISTS/ORDER BY subqueries.
 */
export function elementsSource(path: string, multiValued: boolean): string {
  const folded = path.toLowerCase()
  return multiValued
    ? `json_each(r.data, '${path}') e JOIN json_each(${FOLDED_DOCUMENT}, '${folded}') l ON l.key = e.key`
    : `(SELECT json_extract(r.data, '${path}') AS value) e, (SELECT json_extract(${FOLDED_DOCUMENT}, '${folded}') AS value) l`
}

/** Reads a sub-attribute (or the value itself) of the current element. */
export function elementReader(subAttribute: string | undefined): ValueReader {
  if (subAttribute === undefined) return (folded) => (folded ? 'l.value' : 'e.value')
  return (folded) => (folded ? `json_extract(l.value, '$.${quote(subAttribute).toLowerCase()}')` : `json_extract(e.value, '$.${quote(subAttribute)}')`)
}

/** `a OR b OR c …` as a balanced tree: depth log2(n) instead of n. */
function chain(kind: 'and' | 'or', parts: SqlCondition[]): SqlCondition {
  if (parts.length === 1) return parts[0]!
  const middle = Math.ceil(parts.length / 2)
  const left = chain(kind, parts.slice(0, middle))
  const right = chain(kind, parts.slice(middle))
  return { sql: `(${left.sql} ${kind.toUpperCase()} ${right.sql})`, params: [...left.params, ...right.params] }
}

type Leaf = Exclude<Filter, { kind: 'and' | 'or' | 'not' }>

/** and/or/not around leaves (comparisons, presence, value paths) that `leaf` translates. */
function translateLogic(filter: Filter, leaf: (filter: Leaf) => SqlCondition): SqlCondition {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return chain(filter.kind, flatten(filter, filter.kind).map((part) => translateLogic(part, leaf)))
    case 'not': {
      const inner = translateLogic(filter.filter, leaf)
      return { sql: `(NOT coalesce(${inner.sql}, 0))`, params: inner.params }
    }
    default:
      return leaf(filter)
  }
}

/** The operands of a run of the same and/or, e.g. `a or b or c` → [a, b, c]. */
function flatten(filter: Filter, kind: 'and' | 'or'): Filter[] {
  return filter.kind === kind ? [...flatten(filter.left, kind), ...flatten(filter.right, kind)] : [filter]
}

/**
 * A SQL condition on `resources r` equivalent to `filter` on resources of
 * `resourceType`. Unknown attributes are an invalidFilter error, or with
 * `unknownMatchesNothing` (a search across resource types) a false condition.
 */
export function filterToSql(filter: Filter, resourceType: ResourceTypeDefinition, unknownMatchesNothing = false): SqlCondition {
  return new Translator(resourceType, unknownMatchesNothing).translate(filter)
}

class Translator {
  private readonly type: ResourceKind

  constructor(
    private readonly resourceType: ResourceTypeDefinition,
    private readonly unknownMatchesNothing: boolean,
  ) {
    this.type = resourceType.id as ResourceKind
  }

  translate(filter: Filter): SqlCondition {
    return translateLogic(filter, (leaf) => this.attributeCondition(leaf))
  }

  private attributeCondition(filter: Extract<Filter, { path: unknown }>): SqlCondition {
    const resolved = this.resolve(filter.path)
    if (!resolved) return { sql: '0', params: [] }
    if ('common' in resolved) return this.onOperand(filter, commonOperand(resolved.common))

    const { attribute, subAttribute, schema } = resolved
    const jsonPath = schema.id === this.resourceType.schema.id ? `$.${quote(attribute.name)}` : `$.${quote(schema.id)}.${quote(attribute.name)}`

    if (this.type === 'Group' && attribute.name === 'members') return this.membershipCondition(filter, 'members', subAttribute)
    if (this.type === 'User' && attribute.name === 'groups') return this.membershipCondition(filter, 'groups', subAttribute)

    if (filter.kind === 'valuePath') {
      if (!attribute.multiValued && attribute.type !== 'complex') {
        throw ScimError.of('invalidFilter', `'${attribute.name}' has no sub-attributes to filter on`)
      }
      const inner = new ElementTranslator(attribute).translate(filter.filter)
      return { sql: `EXISTS (SELECT 1 FROM ${elementsSource(jsonPath, attribute.multiValued)} WHERE ${inner.sql})`, params: inner.params }
    }

    if (filter.kind === 'present' && attribute.type === 'complex' && !subAttribute) {
      // RFC 7644 §3.4.2.2: a complex attribute is present when it holds a non-empty node, whichever
      // sub-attribute that is (`emails pr` with only a type; `name pr` with only an empty givenName is not).
      return { sql: `EXISTS (SELECT 1 FROM json_tree(r.data, '${jsonPath}') t WHERE t.atom IS NOT NULL AND t.atom <> '')`, params: [] }
    }

    if (attribute.multiValued) {
      const target = subAttribute ?? attribute.subAttributes?.find((s) => s.name === 'value')
      if (target && attribute.name === 'emails' && target.name === 'value' && filter.kind === 'compare' && filter.op === 'eq') {
        return {
          // IN (…) rather than EXISTS lets SQLite start from the value index instead of scanning users.
          sql: "r.seq IN (SELECT v.resource_seq FROM resource_values v WHERE v.attribute = 'emails.value' AND v.value = ?)",
          params: [String(filter.value).toLowerCase()],
        }
      }
      const inner = this.onOperand(filter, operandFor(elementReader(attribute.type === 'complex' ? target?.name : undefined), target ?? attribute))
      return { sql: `EXISTS (SELECT 1 FROM ${elementsSource(jsonPath, true)} WHERE ${inner.sql})`, params: inner.params }
    }

    if (subAttribute) return this.onOperand(filter, operandFor(documentReader(`${jsonPath}.${quote(subAttribute.name)}`), subAttribute))
    return this.onOperand(filter, columnOperand(this.type, attribute) ?? operandFor(documentReader(jsonPath), attribute))
  }

  private resolve(path: AttributePath): ResolvedAttributePath | undefined {
    try {
      return resolveAttributePath(path, this.resourceType)
    } catch (error) {
      if (this.unknownMatchesNothing && error instanceof ScimError) return undefined
      throw error
    }
  }

  private membershipCondition(
    filter: Extract<Filter, { path: unknown }>,
    side: 'members' | 'groups',
    subAttribute: AttributeDefinition | undefined,
  ): SqlCondition {
    const join =
      side === 'members'
        ? 'group_members gm JOIN resources o ON o.seq = gm.member_seq WHERE gm.group_seq = r.seq'
        : 'group_members gm JOIN resources o ON o.seq = gm.group_seq WHERE gm.member_seq = r.seq'
    if (filter.kind === 'present') return { sql: `EXISTS (SELECT 1 FROM ${join})`, params: [] }
    const name = filter.kind === 'valuePath' ? undefined : (subAttribute?.name ?? 'value')
    if (filter.kind === 'compare' && name === 'value') {
      const inner = this.onOperand(filter, { expression: 'o.id', kind: 'text', caseExact: true })
      return { sql: `EXISTS (SELECT 1 FROM ${join} AND ${inner.sql})`, params: inner.params }
    }
    throw ScimError.of('invalidFilter', `Filtering ${side} is supported on '${side}.value' (or '${side}') only`)
  }

  private onOperand(filter: Extract<Filter, { path: unknown }>, operand: Operand): SqlCondition {
    if (filter.kind === 'present') {
      return { sql: `(${operand.expression} IS NOT NULL AND ${operand.expression} <> '')`, params: [] }
    }
    if (filter.kind !== 'compare') throw ScimError.of('invalidFilter', 'A value filter needs a multi-valued or complex attribute')
    return compare(operand, filter.op, filter.value)
  }
}

/** Translates the inner filter of `attr[...]`, whose paths are sub-attributes of one element (`e`, folded `l`). */
class ElementTranslator {
  constructor(private readonly parent: AttributeDefinition) {}

  translate(filter: Filter): SqlCondition {
    return translateLogic(filter, (leaf) => this.leaf(leaf))
  }

  private leaf(filter: Leaf): SqlCondition {
    switch (filter.kind) {
      case 'valuePath':
        throw ScimError.of('invalidFilter', 'Value filters cannot be nested')
      case 'present':
      case 'compare': {
        const name = filter.path.subAttribute ?? filter.path.attribute
        const sub = (this.parent.subAttributes ?? []).find((s) => s.name.toLowerCase() === name.toLowerCase())
        if (!sub || filter.path.subAttribute) throw ScimError.of('invalidFilter', `'${this.parent.name}' has no sub-attribute '${name}'`)
        const operand = operandFor(elementReader(sub.name), sub)
        if (filter.kind === 'present') return { sql: `(${operand.expression} IS NOT NULL)`, params: [] }
        return compare(operand, filter.op, filter.value)
      }
    }
  }
}

/** The attributes that have an indexed column of their own. */
export function columnOperand(type: ResourceKind, attribute: AttributeDefinition): Operand | undefined {
  // The _key columns hold text lower-cased by JavaScript, like data_lc.
  if (type === 'User' && attribute.name === 'userName') return { expression: 'r.user_name_key', kind: 'text', caseExact: false }
  if (attribute.name === 'displayName' && !attribute.caseExact) return { expression: 'r.display_key', kind: 'text', caseExact: false }
  if (attribute.name === 'active') return { expression: 'r.active', kind: 'boolean', caseExact: true }
  return undefined
}

export function commonOperand(name: string): Operand {
  switch (name) {
    case 'id':
      return { expression: 'r.id', kind: 'text', caseExact: true }
    case 'externalId':
      return { expression: 'r.external_id', kind: 'text', caseExact: true }
    case 'meta.created':
      return { expression: 'r.created', kind: 'date', caseExact: true }
    case 'meta.lastModified':
      return { expression: 'r.last_modified', kind: 'date', caseExact: true }
    case 'meta.resourceType':
      return { expression: 'r.type', kind: 'text', caseExact: true }
    default:
      throw ScimError.of('invalidFilter', `Filtering on '${name}' is not supported`)
  }
}

/** The operand for an attribute read by `read`: folded text unless caseExact, typed values otherwise. */
export function operandFor(read: ValueReader, attribute: AttributeDefinition): Operand {
  switch (attribute.type) {
    case 'boolean':
      return { expression: read(false), kind: 'boolean', caseExact: true }
    case 'integer':
    case 'decimal':
      return { expression: read(false), kind: 'number', caseExact: true }
    case 'dateTime':
      return { expression: read(false), kind: 'date', caseExact: true }
    case 'complex':
      throw ScimError.of('invalidFilter', `'${attribute.name}' is complex: filter on one of its sub-attributes`)
    default:
      return { expression: read(!attribute.caseExact), kind: 'text', caseExact: attribute.caseExact }
  }
}

/** SQL for each operator; `n` is how many times the value is bound. */
const OPERATOR_SQL: Record<CompareOperator, { sql: (x: string) => string; n: number }> = {
  eq: { sql: (x) => `${x} = ?`, n: 1 },
  ne: { sql: (x) => `(${x} IS NULL OR ${x} <> ?)`, n: 1 },
  co: { sql: (x) => `instr(${x}, ?) > 0`, n: 1 },
  sw: { sql: (x) => `substr(${x}, 1, length(?)) = ?`, n: 2 },
  ew: { sql: (x) => `substr(${x}, -length(?)) = ?`, n: 2 },
  gt: { sql: (x) => `${x} > ?`, n: 1 },
  ge: { sql: (x) => `${x} >= ?`, n: 1 },
  lt: { sql: (x) => `${x} < ?`, n: 1 },
  le: { sql: (x) => `${x} <= ?`, n: 1 },
}

function bind(op: CompareOperator, expression: string, value: unknown): SqlCondition {
  const { sql, n } = OPERATOR_SQL[op]
  return { sql: sql(expression), params: Array.from({ length: n }, () => value) }
}

function compare(operand: Operand, op: CompareOperator, value: FilterValue): SqlCondition {
  if (value === null) {
    if (op === 'eq') return { sql: `(${operand.expression} IS NULL)`, params: [] }
    if (op === 'ne') return { sql: `(${operand.expression} IS NOT NULL)`, params: [] }
    throw ScimError.of('invalidFilter', `'${op}' cannot compare with null`)
  }
  switch (operand.kind) {
    case 'boolean': {
      if (op !== 'eq' && op !== 'ne') throw ScimError.of('invalidFilter', `'${op}' does not apply to a boolean`)
      const bool = typeof value === 'boolean' ? value : String(value).toLowerCase() === 'true'
      // JSON booleans come back from json_extract as 1/0, like the active column.
      return { sql: op === 'eq' ? `${operand.expression} = ?` : `(${operand.expression} IS NULL OR ${operand.expression} <> ?)`, params: [Number(bool)] }
    }
    case 'number': {
      if (['co', 'sw', 'ew'].includes(op)) throw ScimError.of('invalidFilter', `'${op}' does not apply to a number`)
      if (typeof value !== 'number') throw ScimError.of('invalidFilter', 'A number attribute must be compared with a number')
      return bind(op, operand.expression, value)
    }
    case 'date': {
      if (['co', 'sw', 'ew'].includes(op)) throw ScimError.of('invalidFilter', `'${op}' does not apply to a dateTime`)
      const instant = Date.parse(String(value))
      if (Number.isNaN(instant)) throw ScimError.of('invalidFilter', `'${value}' is not a dateTime`)
      // Stored dates are ISO 8601 in UTC with milliseconds, so string order is time order.
      return { sql: `julianday(${operand.expression}) ${sqlOperator(op)} julianday(?)`, params: [new Date(instant).toISOString()] }
    }
    case 'text': {
      // A case-insensitive operand is already folded text; fold the value the same way.
      const text = operand.caseExact ? String(value) : String(value).toLowerCase()
      // Every string contains, starts and ends with "": substr() would get that wrong for ew.
      if (text === '' && (op === 'co' || op === 'sw' || op === 'ew')) return { sql: `(${operand.expression} IS NOT NULL)`, params: [] }
      return bind(op, operand.expression, text)
    }
  }
}

function sqlOperator(op: CompareOperator): string {
  return { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' }[op as 'eq'] ?? '='
}

/** Quotes a JSON path member so names like `$ref` and URNs with dots stay one key. */
export function quote(name: string): string {
  return `"${name.replaceAll('"', '\\"')}"`
}
