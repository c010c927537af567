/**
 * @module Translates `sortBy` (RFC 7644 §3.4.2.3) into an ORDER BY
 * expression on `resources r`. Strings sort case-insensitively unless the
 * schema says caseExact; a multi-valued attribute sorts by its primary (else
 * first) value; resources without a value come last in ascending order.
 */
import { ScimError } from '../scim/errors'
import type { AttributePath } from '../scim/filter/ast'
import { resolveAttributePath } from '../scim/filter/resolve'
import type { ResourceTypeDefinition } from '../scim/schemas/types'
import { columnOperand, commonOperand, operandFor, quote, type Operand } from './filter-sql'
import type { ResourceKind } from './types'

export interface SortOrder {
  path: AttributePath
  descending: boolean
}

/** `ORDER BY` terms (without the keyword), ending with r.seq so the order is total and stable. */
export function sortToSql(sort: SortOrder, resourceType: ResourceTypeDefinition): string {
  const expression = sortExpression(sort.path, resourceType)
  const direction = sort.descending ? 'DESC' : 'ASC'
  // NULLs last when ascending, first when descending: the exact reverse.
  return `(${expression}) IS NULL ${sort.descending ? 'DESC' : 'ASC'}, ${expression} ${direction}, r.seq ${direction}`
}

function sortExpression(path: AttributePath, resourceType: ResourceTypeDefinition): string {
  const resolved = resolveAttributePath(path, resourceType, 'invalidValue')
  if ('common' in resolved) return comparable(commonOperand(resolved.common))
  const { schema, attribute, subAttribute } = resolved
  const base = schema.id === resourceType.schema.id ? `$.${quote(attribute.name)}` : `$.${quote(schema.id)}.${quote(attribute.name)}`
  if (attribute.multiValued) {
    const target = subAttribute ?? attribute.subAttributes?.find((s) => s.name === 'value')
    if (attribute.type === 'complex' && !target) throw ScimError.of('invalidValue', `Cannot sort by "${attribute.name}"`)
    const element = target && attribute.type === 'complex' ? `json_extract(e.value, '$.${quote(target.name)}')` : 'e.value'
    const primaryFirst = attribute.type === 'complex' ? "json_extract(e.value, '$.primary') = 1 DESC, " : ''
    const operand = operandFor(element, target ?? attribute)
    return `(SELECT ${comparable(operand)} FROM json_each(r.data, '${base}') e ORDER BY ${primaryFirst}e.key LIMIT 1)`
  }
  if (subAttribute) return comparable(operandFor(`json_extract(r.data, '${base}.${quote(subAttribute.name)}')`, subAttribute))
  if (attribute.type === 'complex') throw ScimError.of('invalidValue', `Cannot sort by "${attribute.name}": name one of its sub-attributes`)
  return comparable(columnOperand(resourceType.id as ResourceKind, attribute) ?? operandFor(`json_extract(r.data, '${base}')`, attribute))
}

function comparable(operand: Operand): string {
  return operand.kind === 'text' && !operand.caseExact && !operand.expression.endsWith('_key') ? `lower(${operand.expression})` : operand.expression
}
