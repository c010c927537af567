/**
 * @module Routing and validation by GitHub's description (openapi-backend
 * over test/github/description.ts): which operation a request is, whether
 * GitHub would accept it, and whether an answer is one GitHub could give.
 * Built once per process; Ajv compiles each operation's schemas on first use.
 */
import OpenAPIBackend, { type Operation } from 'openapi-backend'
import { githubDescription } from './description'

/** Answers any GitHub endpoint may give though most do not declare them, with a `basic-error` body. */
const UNIVERSAL_ERRORS = new Set([401, 403, 404, 429, 500, 502, 503])

export interface RoutedRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  body?: unknown
}

export interface Routing {
  operation: Operation
  params: Record<string, string>
  /** Why GitHub would refuse the request, or undefined when it is valid. */
  invalid?: string
}

let backend: Promise<OpenAPIBackend> | undefined

export async function githubBackend(): Promise<OpenAPIBackend> {
  backend ??= (async () => {
    const api = new OpenAPIBackend({
      definition: (await githubDescription()) as never,
      quick: true,
      strict: true,
      // GitHub's schemas are not checked against the JSON Schema meta-schema each time (a third of the compile time).
      ajvOpts: { validateSchema: false, code: { optimize: false } },
      customizeAjv: (ajv) => {
        // The formats GitHub's schemas use, checked rather than ignored.
        ajv.addFormat('uri', { type: 'string', validate: (text: string) => URL.canParse(text) })
        ajv.addFormat('email', { type: 'string', validate: /^[^@\s]+@[^@\s]+$/ })
        ajv.addFormat('date-time', { type: 'string', validate: (text: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(text) })
        ajv.addFormat('timestamp', { type: 'string', validate: () => true })
        return ajv
      },
    })
    await api.init()
    return api
  })()
  return backend
}

export function route(api: OpenAPIBackend, request: RoutedRequest): Routing | undefined {
  const operation = api.matchOperation(request)
  if (!operation) return undefined
  const { params } = api.router.parseRequest(request, operation)
  const result = api.validateRequest(request, operation)
  return { operation, params: params as Record<string, string>, invalid: result.valid ? undefined : describe(result.errors) }
}

/** Why the answer is not one the description allows, or undefined. */
export function checkResponse(api: OpenAPIBackend, operation: Operation, status: number, body: unknown): string | undefined {
  const declared = (operation.responses as Record<string, { content?: Record<string, unknown> }> | undefined)?.[String(status)]
  if (!declared) {
    if (!UNIVERSAL_ERRORS.has(status)) return `${status} is not an answer of ${operation.operationId}`
    const message = (body as { message?: unknown } | undefined)?.message
    return typeof message === 'string' ? undefined : `a ${status} needs a basic-error body with a message`
  }
  if (!declared.content?.['application/json']) return body === undefined ? undefined : `${status} of ${operation.operationId} has no body`
  const result = api.validateResponse(body, operation, status)
  return result.valid ? undefined : describe(result.errors)
}

function describe(errors: { instancePath?: string; message?: string; params?: unknown }[] | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message} ${JSON.stringify(error.params)}`).join('; ')
}
