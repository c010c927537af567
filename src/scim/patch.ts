/**
 * @module SCIM PATCH, RFC 7644 §3.5.2: validates a PatchOp request body and
 * applies its operations, in order and all or nothing, to a copy of a resource.
 */
import { cloneJson } from './clone'
import { ScimError } from './errors'
import { findSchema } from './filter/resolve'
import { removeAt, setAt } from './patch-operations'
import { resolvePatchPath, type PatchTarget } from './patch-path'
import { equivalent, isObject, type ScimObject } from './patch-values'
import { PATCH_OP, type ResourceTypeDefinition, type SchemaDefinition } from './schemas'

type OperationName = 'add' | 'replace' | 'remove'

export interface Operation {
  op: OperationName
  path?: string
  value?: unknown
}

export interface PatchResult {
  resource: Record<string, unknown>
  /** False when the result is equivalent to the input (RFC 7643 §2.5); `resource` is then the input itself. */
  changed: boolean
}

/**
 * Applies the PatchOp request `body` to `resource` (canonical form: schema
 * spelling, extensions under their URN) without mutating it.
 *
 * Errors: invalidSyntax for a malformed body or op, invalidPath for a
 * malformed path or unknown attribute (also as a key of a path-less value),
 * invalidFilter for a malformed [filter], noTarget for remove without path
 * or a filter that matches nothing and describes no value to create,
 * invalidValue for a value of the wrong type, mutability for a path to a
 * readOnly attribute or a change to an assigned immutable one.
 */
export function applyPatch(resource: Record<string, unknown>, body: unknown, resourceType: ResourceTypeDefinition): PatchResult {
  const operations = readOperations(body)
  const result = cloneJson(resource)
  operations.forEach((operation, index) => {
    try {
      applyOperation(result, operation, resourceType)
    } catch (error) {
      if (error instanceof ScimError) throw new ScimError(error.status, error.scimType, `Operations[${index}]: ${error.message}`)
      throw error
    }
  })
  return equivalent(resource, result) ? { resource, changed: false } : { resource: result, changed: true }
}

function applyOperation(resource: ScimObject, { op, path, value }: Operation, resourceType: ResourceTypeDefinition): void {
  if (path === undefined) {
    if (op === 'remove') throw ScimError.of('noTarget', 'A remove operation needs a "path"')
    if (!isObject(value)) throw ScimError.of('invalidValue', `An ${op} operation without "path" needs an object "value"`)
    return applyAttributes(resource, op, value, undefined, resourceType)
  }

  const schema = findSchema(path, resourceType)
  if (schema) return applySchemaObject(resource, op, schema, value, resourceType)

  const target = resolvePatchPath(path, resourceType)
  if (isReadOnly(target)) throw ScimError.of('mutability', `"${path}" is readOnly`)
  if (op === 'remove') removeAt(resource, target, value)
  else setAt(resource, target, value, op)
}

/** A schema URN as the path: the value holds that schema's attributes; remove drops a whole extension. */
function applySchemaObject(
  resource: ScimObject,
  op: OperationName,
  schema: SchemaDefinition,
  value: unknown,
  resourceType: ResourceTypeDefinition,
): void {
  const isExtension = schema !== resourceType.schema
  if (op === 'remove' && !isExtension) throw ScimError.of('invalidPath', `The core schema "${schema.id}" cannot be removed`)
  if (op === 'remove' || value === null) {
    if (isExtension && op !== 'add') delete resource[schema.id]
    return
  }
  if (!isObject(value)) throw ScimError.of('invalidValue', `The value for "${schema.id}" must be an object`)
  applyAttributes(resource, op, value, schema, resourceType)
}

/**
 * The value of an add or replace without path (or with an extension URN as
 * path): each key is a path, e.g. `name.givenName` or
 * `urn:…:enterprise:2.0:User:department`, or a schema URN holding an object.
 * `id`, `meta`, `schemas` and other readOnly attributes are skipped: clients
 * (Okta) send them back unchanged. Unknown attributes are an invalidPath.
 */
function applyAttributes(
  resource: ScimObject,
  op: 'add' | 'replace',
  attributes: ScimObject,
  schema: SchemaDefinition | undefined,
  resourceType: ResourceTypeDefinition,
): void {
  for (const [key, value] of Object.entries(attributes)) {
    const keySchema = schema ? undefined : findSchema(key, resourceType)
    if (keySchema) {
      applySchemaObject(resource, op, keySchema, value, resourceType)
      continue
    }
    const target = resolvePatchPath(schema ? `${schema.id}:${key}` : key, resourceType)
    if (!isReadOnly(target)) setAt(resource, target, value, op)
  }
}

function isReadOnly(target: PatchTarget): boolean {
  return target.attribute.mutability === 'readOnly' || target.subAttribute?.mutability === 'readOnly'
}

/** The body's operations, each checked and with its op lower-cased; throws the ScimError `applyPatch` would. */
export function readOperations(body: unknown): Operation[] {
  if (!isObject(body)) throw ScimError.of('invalidSyntax', 'The PATCH request body must be a JSON object')
  const schemas = member(body, 'schemas')
  const patchOp = PATCH_OP.toLowerCase()
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === patchOp)) {
    throw ScimError.of('invalidSyntax', `"schemas" must be an array containing "${PATCH_OP}"`)
  }
  const operations = member(body, 'Operations')
  if (!Array.isArray(operations)) throw ScimError.of('invalidSyntax', '"Operations" must be an array')
  return operations.map(readOperation)
}

function readOperation(raw: unknown, index: number): Operation {
  const where = `Operations[${index}]`
  if (!isObject(raw)) throw ScimError.of('invalidSyntax', `${where} must be an object`)
  const op = member(raw, 'op')
  const name = typeof op === 'string' ? op.toLowerCase() : undefined
  if (name !== 'add' && name !== 'replace' && name !== 'remove') {
    throw ScimError.of('invalidSyntax', `${where}: "op" must be "add", "replace" or "remove", not ${JSON.stringify(op ?? null)}`)
  }
  const operation: Operation = { op: name }

  const path = member(raw, 'path')
  if (typeof path === 'string' && path.trim() !== '') operation.path = path.trim()
  else if (path !== undefined && path !== null && path !== '') throw ScimError.of('invalidPath', `${where}: "path" must be a string`)

  const hasValue = Object.keys(raw).some((key) => key.toLowerCase() === 'value')
  if (hasValue) operation.value = member(raw, 'value')
  else if (name !== 'remove') throw ScimError.of('invalidSyntax', `${where}: an ${name} operation needs a "value"`)
  return operation
}

/** A member of a request object; names are case-insensitive (RFC 7643 §2.1). */
function member(object: ScimObject, name: string): unknown {
  if (name in object) return object[name]
  const lower = name.toLowerCase()
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : object[key]
}
