/**
 * @module Buildkite's GraphQL API over the engine's HTTP client: documents go
 * out as strings (no GraphQL library), `errors[]` in a 200 answer is an
 * error, rate limits are RetryableError, the organization's node id is
 * looked up once, and connections are read page by page with cursors.
 */
import type { Secret } from '../../src/config/references'
import { RetryableError } from '../../src/connector/errors'
import type { HttpClient } from '../../src/connector/http-client'
import { ORGANIZATION } from './documents'

export interface GraphqlClient {
  /** The organization slug. */
  readonly org: string
  /** Runs one document; resolves to `data`, or throws (RetryableError for what is worth retrying). */
  request<T>(document: string, variables?: Record<string, unknown>): Promise<T>
  /** The organization's node id (for mutation inputs), looked up once. */
  organizationId(): Promise<string>
}

export interface GraphqlClientOptions {
  url: string
  token: Secret
  org: string
  http: HttpClient
}

interface GraphqlAnswer {
  data?: unknown
  errors?: { message?: unknown; type?: unknown; extensions?: { code?: unknown } }[]
}

/** A refusal from Buildkite: `errors[]` in the answer, with the operation it answered. */
export class BuildkiteError extends Error {
  constructor(
    readonly operation: string,
    readonly messages: string[],
  ) {
    super(`Buildkite refused ${operation}: ${messages.join('; ')}`)
    this.name = 'BuildkiteError'
  }
}

const RATE_LIMITED = /rate.?limit|too many requests|complexity (points|limit).*(exceeded|try again)/i

export function createGraphqlClient(options: GraphqlClientOptions): GraphqlClient {
  let organizationId: Promise<string> | undefined

  async function request<T>(document: string, variables: Record<string, unknown> = {}): Promise<T> {
    const operation = operationName(document)
    // 429 and 5xx (and timeouts) are RetryableError from the HTTP client, with the retry-after it was given.
    const response = await options.http.fetch(options.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token.reveal()}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: document, variables }),
    })
    const answer = (await response.json().catch(() => undefined)) as GraphqlAnswer | undefined
    if (response.status === 401 || response.status === 403) {
      throw new Error(`Buildkite answered ${response.status} to ${operation}: the token is missing, expired or has no GraphQL access to "${options.org}"`)
    }
    if (response.status !== 200 || !answer || typeof answer !== 'object') {
      throw new Error(`Buildkite answered ${response.status} to ${operation}${answer?.errors ? `: ${messagesOf(answer).join('; ')}` : ''}`)
    }
    if (Array.isArray(answer.errors) && answer.errors.length > 0) {
      const messages = messagesOf(answer)
      const limited = answer.errors.some((e) => RATE_LIMITED.test(String(e.message)) || /rate.?limit/i.test(String(e.type ?? e.extensions?.code ?? '')))
      if (limited) throw new RetryableError(`Buildkite rate-limited ${operation}: ${messages.join('; ')}`)
      throw new BuildkiteError(operation, messages)
    }
    if (!answer.data || typeof answer.data !== 'object') throw new Error(`Buildkite answered ${operation} without data`)
    return answer.data as T
  }

  return {
    org: options.org,
    request,
    organizationId() {
      organizationId ??= request<{ organization: { id: string } | null }>(ORGANIZATION, { slug: options.org }).then((data) => {
        if (!data.organization) throw new Error(`Buildkite has no organization "${options.org}" that this token can see`)
        return data.organization.id
      })
      // A failed lookup is not kept: the next operation asks again.
      organizationId.catch(() => (organizationId = undefined))
      return organizationId
    },
  }
}

function messagesOf(answer: GraphqlAnswer): string[] {
  return (answer.errors ?? []).map((e) => String(e?.message ?? 'unknown error'))
}

function operationName(document: string): string {
  return /\b(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? 'a GraphQL request'
}

/** One page of a Relay connection, as the documents select it. */
export interface Page<N> {
  edges?: ({ node?: N | null } | null)[] | null
  pageInfo?: { hasNextPage: boolean; endCursor?: string | null } | null
}

/** Upper bound on pages read from one connection (100 000 objects at 100 a page). */
const MAX_PAGES = 1000

/** Every node of a connection, following `endCursor` while `hasNextPage`. */
export async function allPages<N>(readPage: (after: string | null) => Promise<Page<N> | null | undefined>): Promise<N[]> {
  const nodes: N[] = []
  let after: string | null = null
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page: Page<N> | null | undefined = await readPage(after)
    for (const edge of page?.edges ?? []) if (edge?.node) nodes.push(edge.node)
    const next = page?.pageInfo?.hasNextPage ? (page.pageInfo.endCursor ?? null) : null
    if (next === null) return nodes
    if (next === after) throw new Error('Buildkite returned the same page cursor twice')
    after = next
  }
  throw new Error(`Buildkite returned more than ${MAX_PAGES} pages; stopped reading`)
}

/** Page size of the connections the connector reads. */
export const PAGE_SIZE = 100
/** Page size of invitation lists, which nest each invitation's teams (requested complexity grows with both). */
export const INVITATION_PAGE_SIZE = 50
