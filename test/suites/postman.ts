/**
 * @module Runs a Postman collection (v2.1 JSON) with newman's Node API and
 * keeps, per request, what was sent, what came back and each `pm.test`
 * result, so that a bun test file can have one test per assertion.
 */
import newman, { type Execution } from 'newman'

interface CollectionItem {
  id?: string
  name: string
  item?: CollectionItem[]
  event?: { listen: string; script?: { exec?: string[] | string } }[]
  request?: unknown
}

export interface Collection {
  info?: unknown
  item: CollectionItem[]
}

/** One request of the collection, in run order. */
export interface PostmanRequest {
  /** The id this run gives the item (`req-<n>`), to find its execution. */
  id: string
  /** Its folder's name, or '' for a request at the top level. */
  folder: string
  name: string
  /** `name`, plus ` #2`, ` #3`… when the folder repeats the name. */
  label: string
  /** The names of the item's `pm.test(…)` calls, in script order. */
  assertions: string[]
}

export interface Outcome {
  method: string
  url: string
  requestBody: string
  status?: number
  responseBody: string
  requestError?: string
  scriptErrors: string[]
  assertions: { name: string; error?: string }[]
}

function testNames(item: CollectionItem): string[] {
  const names: string[] = []
  for (const event of item.event ?? []) {
    if (event.listen !== 'test') continue
    const exec = event.script?.exec ?? []
    const source = Array.isArray(exec) ? exec.join('\n') : exec
    for (const match of source.matchAll(/pm\.test\(\s*(["'])(.*?)\1/g)) names.push(match[2])
  }
  return names
}

/**
 * A copy of the collection without the folders named in `skipFolders`, every
 * request given a known id, and the list of its requests. Filtering the copy,
 * rather than newman's `folder` option, keeps the requests that sit at the
 * top level outside any folder.
 */
export function prepareCollection(source: Collection, skipFolders: string[]): { collection: Collection; requests: PostmanRequest[] } {
  const collection = structuredClone(source)
  const requests: PostmanRequest[] = []
  const seen = new Map<string, number>()
  const visit = (items: CollectionItem[], folder: string): CollectionItem[] =>
    items.flatMap((item): CollectionItem[] => {
      if (item.item) return skipFolders.includes(item.name) ? [] : [{ ...item, item: visit(item.item, item.name) }]
      const id = `req-${requests.length + 1}`
      const count = (seen.get(`${folder}\0${item.name}`) ?? 0) + 1
      seen.set(`${folder}\0${item.name}`, count)
      requests.push({ id, folder, name: item.name, label: count > 1 ? `${item.name} #${count}` : item.name, assertions: testNames(item) })
      return [{ ...item, id }]
    })
  collection.item = visit(collection.item, '')
  return { collection, requests }
}

function outcomeOf(execution: Execution): Outcome {
  const scripts = [...(execution.prerequestScript ?? []), ...(execution.testScript ?? [])]
  return {
    method: execution.request?.method ?? '?',
    url: execution.request?.url.toString() ?? '?',
    requestBody: execution.request?.body?.raw ?? '',
    status: execution.response?.code,
    responseBody: execution.response?.text() ?? '',
    requestError: execution.requestError?.message,
    scriptErrors: scripts.flatMap((script) => (script.error ? [`${script.error.name ?? 'Error'}: ${script.error.message}`] : [])),
    assertions: (execution.assertions ?? []).map((a) => ({ name: a.assertion, error: a.error?.message })),
  }
}

/** Runs the collection once, reporting nothing; resolves to each request's outcome by id. */
export function runCollection(collection: Collection, environment: Record<string, string>): Promise<Map<string, Outcome>> {
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection,
        environment: { name: 'scimify', values: Object.entries(environment).map(([key, value]) => ({ key, value, enabled: true })) },
        reporters: [],
        timeout: 120_000,
        timeoutRequest: 10_000,
        timeoutScript: 5_000,
      },
      (error, summary) => {
        if (error) return reject(error)
        resolve(new Map(summary.run.executions.map((execution) => [execution.item.id, outcomeOf(execution)])))
      },
    )
  })
}

function shorten(text: string, max: number): string {
  let compact = text.trim()
  try {
    compact = JSON.stringify(JSON.parse(text))
  } catch {
    compact = compact.replace(/\s+/g, ' ')
  }
  return compact.length > max ? `${compact.slice(0, max)}…` : compact
}

/** The request and the answer, for a failure message. */
export function describeExchange(outcome: Outcome): string {
  const lines = [`${outcome.method} ${outcome.url}`]
  if (outcome.requestBody) lines.push(`sent: ${shorten(outcome.requestBody, 400)}`)
  if (outcome.requestError) lines.push(`request error: ${outcome.requestError}`)
  else lines.push(`answered ${outcome.status}: ${shorten(outcome.responseBody, 600)}`)
  for (const error of outcome.scriptErrors) lines.push(`script error: ${error}`)
  return lines.join('\n  ')
}

/**
 * Why the `occurrence`-th assertion named `name` of this outcome did not pass,
 * or undefined when it passed.
 */
export function assertionFailure(outcome: Outcome | undefined, name: string, occurrence = 1): string | undefined {
  if (!outcome) return 'newman did not run this request'
  const result = outcome.assertions.filter((a) => a.name === name)[occurrence - 1]
  if (!result) return `"${name}" never ran (the test script stopped before it)\n  ${describeExchange(outcome)}`
  if (result.error === undefined) return undefined
  return `"${name}": ${result.error}\n  ${describeExchange(outcome)}`
}
