/**
 * @module Translates `sortBy` (RFC 7644 §3.4.2.3) into an ORDER BY
 * expression on `resources r`. Strings sort case-insensitively unless the
 * schema says caseExact (folded by JavaScript, as in filters); a multi-valued attribute sorts by its primary (else
 * first) value; resources without a value come last in ascending order.
 */
import { ScimError } from '../scim/errors'
import type { AttributePath } from '../scim/filter/ast'
import { resolveAttributePath } from '../scim/filter/resolve'
import type { ResourceTypeDefinition } from '../scim/schemas/types'
import { columnOperand, commonOperand, documentReader, elementReader, elementsSource, operandFor, quote } from './filter-sql'
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
  if ('common' in resolved) return commonOperand(resolved.common).expression
  const { schema, attribute, subAttribute } = resolved
  const base = schema.id === resourceType.schema.id ? `$.${quote(attribute.name)}` : `$.${quote(schema.id)}.${quote(attribute.name)}`
  if (attribute.multiValued) {
    const target = subAttribute ?? attribute.subAttributes?.find((s) => s.name === 'value')
    if (attribute.type === 'complex' && !target) throw ScimError.of('invalidValue', `Cannot sort by "${attribute.name}"`)
    const operand = operandFor(elementReader(attribute.type === 'complex' ? target?.name : undefined), target ?? attribute)
    const primaryFirst = attribute.type === 'complex' ? "json_extract(e.value, '$.primary') = 1 DESC, " : ''
    return `(SELECT ${operand.expression} FROM ${elementsSource(base, true)} ORDER BY ${primaryFirst}e.key LIMIT 1)`
  }
  if (subAttribute) return operandFor(documentReader(`${base}.${quote(subAttribute.name)}`), subAttribute).expression
  if (attribute.type === 'complex') throw ScimError.of('invalidValue', `Cannot sort by "${attribute.name}": name one of its sub-attributes`)
  return (columnOperand(resourceType.id as ResourceKind, attribute) ?? operandFor(documentReader(base), attribute)).expression
}
