/**
 * @module In-memory evaluation of SCIM filters, RFC 7644 §3.4.2.2.
 * A filter is first compiled against the schema (so unknown attributes and
 * unsupported comparisons fail whatever the data), then run on resources.
 */
import { ScimError } from '../errors'
import type { AttributeDefinition, ResourceTypeDefinition } from '../schemas'
import type { AttributePath, Filter } from './ast'
import { formatAttributePath } from './attribute-path'
import { compileComparison, isPresent } from './compare'
import { findSubAttribute, resolveAttributePath, type CommonAttribute, type ResolvedAttributePath } from './resolve'

export { resolveAttributePath, type ResolvedAttributePath, type CommonAttribute } from './resolve'

type Node = Record<string, unknown>
export type FilterPredicate = (node: Node) => boolean

/** An attribute's definition and how to read its (flattened, non-null) values from a node. */
interface Operand {
  definition: AttributeDefinition
  /** Whether the node can hold several values: the attribute or its parent is multi-valued. */
  multiValued: boolean
  read: (node: Node) => unknown[]
}

type OperandResolver = (path: AttributePath) => Operand

/** Whether `resource` (canonical attribute names, extensions under their URN) matches `filter`. */
export function matchesFilter(filter: Filter, resource: Node, resourceType: ResourceTypeDefinition): boolean {
  return compileFilter(filter, resourceType)(resource)
}

/** A reusable predicate for `filter`; throws invalidFilter for unknown attributes or unsupported comparisons. */
export function compileFilter(filter: Filter, resourceType: ResourceTypeDefinition): FilterPredicate {
  return compile(filter, (path) => resourceOperand(resolveAttributePath(path, resourceType), resourceType))
}

/**
 * A predicate over the values of the complex attribute `parent`, for the
 * inside of `emails[type eq "work"]`: paths are names of its sub-attributes.
 */
export function compileValueFilter(filter: Filter, parent: AttributeDefinition): FilterPredicate {
  return compile(filter, (path) => subAttributeOperand(path, parent))
}

function compile(filter: Filter, resolve: OperandResolver): FilterPredicate {
  switch (filter.kind) {
    case 'and': {
      const left = compile(filter.left, resolve)
      const right = compile(filter.right, resolve)
      return (node) => left(node) && right(node)
    }
    case 'or': {
      const left = compile(filter.left, resolve)
      const right = compile(filter.right, resolve)
      return (node) => left(node) || right(node)
    }
    case 'not': {
      const inner = compile(filter.filter, resolve)
      return (node) => !inner(node)
    }
    case 'present': {
      const operand = resolve(filter.path)
      return (node) => operand.read(node).some(isPresent)
    }
    case 'compare': {
      const operand = comparable(resolve(filter.path), filter.path)
      const test = compileComparison(filter.op, operand.definition, filter.value, formatAttributePath(filter.path), operand.multiValued)
      return (node) => test(operand.read(node))
    }
    case 'valuePath': {
      const operand = resolve(filter.path)
      if (operand.definition.type !== 'complex') {
        throw ScimError.of('invalidFilter', `"${formatAttributePath(filter.path)}" is not a complex attribute and cannot take a [filter]`)
      }
      const inner = compileValueFilter(filter.filter, operand.definition)
      return (node) => operand.read(node).some((value) => isObject(value) && inner(value))
    }
  }
}

/** A complex attribute is compared through its `value` sub-attribute (`emails co "x"`, RFC 7644 §3.4.2.2). */
function comparable(operand: Operand, path: AttributePath): Operand {
  if (operand.definition.type !== 'complex') return operand
  const value = findSubAttribute(operand.definition, 'value')
  if (!value) {
    throw ScimError.of('invalidFilter', `"${formatAttributePath(path)}" is complex: compare one of its sub-attributes`)
  }
  return {
    definition: value,
    multiValued: operand.multiValued,
    read: (node) => operand.read(node).flatMap((item) => (isObject(item) ? valuesOf(item[value.name]) : [])),
  }
}

function resourceOperand(resolved: ResolvedAttributePath, resourceType: ResourceTypeDefinition): Operand {
  if ('common' in resolved) {
    const { common, attribute } = resolved
    return { definition: attribute, multiValued: attribute.multiValued, read: commonReader(common, resourceType) }
  }

  const { schema, attribute, subAttribute } = resolved
  const readAttribute =
    schema === resourceType.schema
      ? (resource: Node) => valuesOf(resource[attribute.name])
      : (resource: Node) => {
          const extension = resource[schema.id]
          return isObject(extension) ? valuesOf(extension[attribute.name]) : []
        }
  if (!subAttribute) return { definition: attribute, multiValued: attribute.multiValued, read: readAttribute }
  return {
    definition: subAttribute,
    multiValued: attribute.multiValued || subAttribute.multiValued,
    read: (resource) => readAttribute(resource).flatMap((item) => (isObject(item) ? valuesOf(item[subAttribute.name]) : [])),
  }
}

function subAttributeOperand(path: AttributePath, parent: AttributeDefinition): Operand {
  const definition = path.schema === undefined && path.subAttribute === undefined ? findSubAttribute(parent, path.attribute) : undefined
  if (!definition) {
    throw ScimError.of('invalidFilter', `"${formatAttributePath(path)}" is not a sub-attribute of "${parent.name}"`)
  }
  return { definition, multiValued: definition.multiValued, read: (element) => valuesOf(element[definition.name]) }
}

function commonReader(common: CommonAttribute, resourceType: ResourceTypeDefinition): (resource: Node) => unknown[] {
  switch (common) {
    case 'schemas':
      return (resource) => valuesOf(resource.schemas ?? schemasOf(resource, resourceType))
    case 'meta.resourceType':
      return (resource) => valuesOf(metaOf(resource)?.resourceType ?? resourceType.id)
    case 'id':
    case 'externalId':
    case 'meta':
      return (resource) => valuesOf(resource[common])
    default: {
      const name = common.slice('meta.'.length)
      return (resource) => valuesOf(metaOf(resource)?.[name])
    }
  }
}

/** The values of an attribute as a list: multi-valued attributes contribute each element; unassigned, none. */
function valuesOf(raw: unknown): unknown[] {
  if (raw === undefined || raw === null) return []
  return Array.isArray(raw) ? raw.filter((value) => value !== undefined && value !== null) : [raw]
}

function metaOf(resource: Node): Node | undefined {
  return isObject(resource.meta) ? resource.meta : undefined
}

/** `schemas` as RFC 7643 §3 defines it, for resources stored without it. */
function schemasOf(resource: Node, resourceType: ResourceTypeDefinition): string[] {
  const extensions = resourceType.extensions.map((e) => e.schema.id).filter((id) => isObject(resource[id]))
  return [resourceType.schema.id, ...extensions]
}

function isObject(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
