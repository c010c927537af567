/**
 * @module Translates a SCIM filter AST (RFC 7644 §3.4.2.2) into a SQL
 * condition on `resources r`, so filtering and paging run in SQLite.
 *
 * Attributes with their own column (userName, displayName, externalId,
 * active, id, meta dates) and emails.value (resource_values) are index
 * lookups; other attributes are read from the JSON document. Strings are
 * compared lower-cased unless the schema says caseExact.
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
  /** 'text' lower-cases both sides unless caseExact; 'boolean'/'number'/'date' compare typed values. */
  kind: 'text' | 'boolean' | 'number' | 'date'
  caseExact: boolean
}

/**
 * A SQL condition on `resources r` equivalent to `filter` on resources of
 * `resourceType`. Unknown attributes are an invalidFilter error, or with
 * `unknownMatchesNothing` (a search across resource types) a false condition.
 */
export function filterToSql(filter: Filter, resourceType: ResourceTypeDefinition, unknownMatchesNothing = false): SqlCondition {
  return new Translator(resourceType, unknownMatchesNothing).translate(filter, 'r')
}

class Translator {
  private readonly type: ResourceKind

  constructor(
    private readonly resourceType: ResourceTypeDefinition,
    private readonly unknownMatchesNothing: boolean,
  ) {
    this.type = resourceType.id as ResourceKind
  }

  translate(filter: Filter, alias: string): SqlCondition {
    switch (filter.kind) {
      case 'and':
      case 'or': {
        const left = this.translate(filter.left, alias)
        const right = this.translate(filter.right, alias)
        return { sql: `(${left.sql} ${filter.kind.toUpperCase()} ${right.sql})`, params: [...left.params, ...right.params] }
      }
      case 'not': {
        const inner = this.translate(filter.filter, alias)
        return { sql: `(NOT coalesce(${inner.sql}, 0))`, params: inner.params }
      }
      case 'present':
      case 'compare':
      case 'valuePath':
        return this.attributeCondition(filter)
    }
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
      const source = attribute.multiValued ? `json_each(r.data, '${jsonPath}')` : `(SELECT json_extract(r.data, '${jsonPath}') AS value)`
      return { sql: `EXISTS (SELECT 1 FROM ${source} e WHERE ${inner.sql})`, params: inner.params }
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
      const element = target ? `json_extract(e.value, '$.${quote(target.name)}')` : 'e.value'
      const inner = this.onOperand(filter, operandFor(element, target ?? attribute))
      return { sql: `EXISTS (SELECT 1 FROM json_each(r.data, '${jsonPath}') e WHERE ${inner.sql})`, params: inner.params }
    }

    if (subAttribute) {
      return this.onOperand(filter, operandFor(`json_extract(r.data, '${jsonPath}.${quote(subAttribute.name)}')`, subAttribute))
    }
    return this.onOperand(filter, columnOperand(this.type, attribute) ?? operandFor(`json_extract(r.data, '${jsonPath}')`, attribute))
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

/** Translates the inner filter of `attr[...]`, whose paths are sub-attributes of one element `e`. */
class ElementTranslator {
  constructor(private readonly parent: AttributeDefinition) {}

  translate(filter: Filter): SqlCondition {
    switch (filter.kind) {
      case 'and':
      case 'or': {
        const left = this.translate(filter.left)
        const right = this.translate(filter.right)
        return { sql: `(${left.sql} ${filter.kind.toUpperCase()} ${right.sql})`, params: [...left.params, ...right.params] }
      }
      case 'not': {
        const inner = this.translate(filter.filter)
        return { sql: `(NOT coalesce(${inner.sql}, 0))`, params: inner.params }
      }
      case 'valuePath':
        throw ScimError.of('invalidFilter', 'Value filters cannot be nested')
      case 'present':
      case 'compare': {
        const name = filter.path.subAttribute ?? filter.path.attribute
        const sub = (this.parent.subAttributes ?? []).find((s) => s.name.toLowerCase() === name.toLowerCase())
        if (!sub || filter.path.subAttribute) throw ScimError.of('invalidFilter', `'${this.parent.name}' has no sub-attribute '${name}'`)
        const operand = operandFor(`json_extract(e.value, '$.${quote(sub.name)}')`, sub)
        if (filter.kind === 'present') return { sql: `(${operand.expression} IS NOT NULL)`, params: [] }
        return compare(operand, filter.op, filter.value)
      }
    }
  }
}

/** The attributes that have an indexed column of their own. */
export function columnOperand(type: ResourceKind, attribute: AttributeDefinition): Operand | undefined {
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

export function operandFor(expression: string, attribute: AttributeDefinition): Operand {
  switch (attribute.type) {
    case 'boolean':
      return { expression, kind: 'boolean', caseExact: true }
    case 'integer':
    case 'decimal':
      return { expression, kind: 'number', caseExact: true }
    case 'dateTime':
      return { expression, kind: 'date', caseExact: true }
    case 'complex':
      throw ScimError.of('invalidFilter', `'${attribute.name}' is complex: filter on one of its sub-attributes`)
    default:
      return { expression, kind: 'text', caseExact: attribute.caseExact }
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
      const text = operand.caseExact ? String(value) : String(value).toLowerCase()
      // Columns ending in _key already hold lower-cased text; comparing them bare keeps the index usable.
      const expression = operand.caseExact || operand.expression.endsWith('_key') ? operand.expression : `lower(${operand.expression})`
      // Every string contains, starts and ends with "": substr() would get that wrong for ew.
      if (text === '' && (op === 'co' || op === 'sw' || op === 'ew')) return { sql: `(${expression} IS NOT NULL)`, params: [] }
      return bind(op, expression, text)
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
