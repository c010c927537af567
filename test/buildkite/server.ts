/**
 * @module A fake Buildkite GraphQL API on 127.0.0.1 for connector tests. Every
 * document is parsed and validated against Buildkite's official schema, and
 * its variables coerced by it, before resolvers run it over an in-memory
 * organization; a document the real API would reject is answered as the
 * real API does (HTTP 200 with `errors[]`) and recorded in `rejected`, so a
 * test can insist there were none. Tests can also make it rate-limit (429)
 * or refuse an operation with GraphQL errors.
 *
 * @example
 *   const fake = startFakeBuildkite()
 *   // … point the connector at fake.url with fake.token …
 *   fake.org.acceptInvitation('ann@example.com')
 *   expect(fake.rejected).toEqual([])
 *   await fake.stop()
 */
import { execute, getOperationAST, GraphQLError, parse, validate, type DocumentNode } from 'graphql'
import { rootValue } from './resolvers'
import { buildkiteSchema } from './schema'
import { FakeOrganization } from './state'

export interface FakeRequest {
  operation: string
  variables: Record<string, unknown>
  /** The GraphQL errors answered, if any. */
  errors?: string[]
}

export interface FakeBuildkite {
  /** The GraphQL endpoint, as `graphql_url`. */
  url: string
  token: string
  org: FakeOrganization
  /** Every request that reached GraphQL (not the 401s and 429s), in order. */
  requests: FakeRequest[]
  /** Documents the real API would reject: syntax, schema validation, variable coercion. */
  rejected: { operation: string; errors: string[] }[]
  /** Answers the next `times` requests with 429 and these rate-limit headers. */
  rateLimit(times: number, retryAfterSeconds: number): void
  /** Answers the next `times` requests of the named operation with HTTP 200 and `errors[]`, running nothing. */
  failNext(operation: string, message: string, times?: number): void
  /** Names of the operations sent, in order (e.g. `InviteMember`). */
  operations(): string[]
  stop(): Promise<void>
}

const PATH = '/v1'

export function startFakeBuildkite({ slug = 'acme', token = 'bkua_fake_0123456789abcdef' } = {}): FakeBuildkite {
  const schema = buildkiteSchema()
  const org = new FakeOrganization(slug)
  const root = rootValue(org)
  const requests: FakeRequest[] = []
  const rejected: FakeBuildkite['rejected'] = []
  let limited = { times: 0, retryAfter: 0 }
  const failures: { operation: string; message: string; times: number }[] = []

  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } })

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname !== PATH || request.method !== 'POST') return json({ message: 'Not Found' }, 404)
    if (request.headers.get('authorization') !== `Bearer ${token}`) return json({ message: 'Authentication required. Please supply a valid API Access Token' }, 401)
    if (limited.times > 0) {
      limited.times--
      return json({ errors: [{ message: 'Your organization has exceeded its GraphQL rate limit' }] }, 429, {
        'retry-after': String(limited.retryAfter),
        'ratelimit-remaining': '0',
        'ratelimit-limit': '20000',
        'ratelimit-reset': String(limited.retryAfter),
      })
    }
    if (!(request.headers.get('content-type') ?? '').startsWith('application/json')) return json({ errors: [{ message: 'Expected a JSON body' }] }, 400)
    const body = (await request.json().catch(() => undefined)) as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined
    if (!body || typeof body.query !== 'string') return json({ errors: [{ message: 'No query string was present' }] })
    const variables = (body.variables ?? {}) as Record<string, unknown>

    let document: DocumentNode
    try {
      document = parse(body.query)
    } catch (error) {
      return reject('(unparsable)', variables, [(error as GraphQLError).message])
    }
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined
    const operation = getOperationAST(document, operationName)?.name?.value ?? '(anonymous)'
    const invalid = validate(schema, document)
    if (invalid.length > 0) return reject(operation, variables, invalid.map((e) => e.message))

    const failure = failures.find((f) => f.operation === operation && f.times > 0)
    if (failure) {
      failure.times--
      requests.push({ operation, variables, errors: [failure.message] })
      return json({ data: null, errors: [{ message: failure.message, path: [] }] })
    }
    const result = await execute({ schema, document, rootValue: root, variableValues: variables, operationName })
    const messages = result.errors?.map((e) => e.message)
    // Errors before execution (variables that do not coerce to their types) leave no data.
    if (result.data === undefined && messages) return reject(operation, variables, messages)
    requests.push({ operation, variables, ...(messages ? { errors: messages } : {}) })
    return json(result)
  }

  function reject(operation: string, variables: Record<string, unknown>, errors: string[]): Response {
    rejected.push({ operation, errors })
    requests.push({ operation, variables, errors })
    return json({ errors: errors.map((message) => ({ message })) })
  }

  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handle })
  return {
    url: `http://127.0.0.1:${server.port}${PATH}`,
    token,
    org,
    requests,
    rejected,
    rateLimit(times, retryAfterSeconds) {
      limited = { times, retryAfter: retryAfterSeconds }
    },
    failNext(operation, message, times = 1) {
      failures.push({ operation, message, times })
    },
    operations: () => requests.map((r) => r.operation),
    stop: async () => {
      await server.stop(true)
    },
  }
}
