/**
 * Microsoft's SCIM reference Postman collection (SCIMReferenceCode), run with
 * newman against the real scimify binary: one test per `pm.test` assertion of
 * each request, every folder but "Get Token" (scimify uses API keys).
 *
 * The collection is read from ../shared beside the repository and never
 * copied in; without it (a clone elsewhere) the suite is skipped. Assertions
 * that contradict RFC 7644 are listed in EXCLUDED with the section; each is
 * replaced by the check the RFC does require. Everything else must pass.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { bearer, runScimify, startServer, tempDir, writeConfig, type RunningServer } from '../e2e/support'
import { assertionFailure, describeExchange, prepareCollection, runCollection, type Collection, type Outcome } from './postman'

const COLLECTION = resolve(import.meta.dir, '../../../shared/reference/suites/microsoft-scim-reference/PostmanCollection.json')
const available = existsSync(COLLECTION)
if (!available) console.log(`Microsoft SCIM reference suite skipped: ${COLLECTION} not found (CI has ../shared beside the repo).`)

interface Exclusion {
  folder: string
  request: string
  assertion: string
  /** The RFC 7644 section the assertion contradicts, and how. */
  rfc: string
  /** What the RFC requires instead, checked against scimify. */
  instead(base: string, key: string): Promise<void>
}

async function serviceProviderConfig(base: string, key: string): Promise<{ status: number; body: { patch?: { supported?: unknown } } }> {
  const response = await fetch(`${base}/ServiceProviderConfig`, { headers: bearer(key) })
  return { status: response.status, body: (await response.json()) as { patch?: { supported?: unknown } } }
}

const EXCLUDED: Exclusion[] = [
  {
    folder: 'Endpoint tests',
    request: 'Get ServiceProviderConfig',
    assertion: 'Status code is 200',
    rfc: 'RFC 7644 §4: the endpoint is /ServiceProviderConfig; the collection calls /serviceConfiguration',
    async instead(base, key) {
      expect((await serviceProviderConfig(base, key)).status).toBe(200)
    },
  },
  {
    folder: 'Endpoint tests',
    request: 'Get ServiceProviderConfig',
    assertion: 'Pach supported is true',
    rfc: 'RFC 7644 §4: the endpoint is /ServiceProviderConfig; the collection calls /serviceConfiguration',
    async instead(base, key) {
      expect((await serviceProviderConfig(base, key)).body.patch?.supported).toBe(true)
    },
  },
  ...['Group patch add member', 'Group patch add member2'].map((request) => ({
    folder: 'Group tests with garbage',
    request,
    assertion: 'Status code is 204',
    rfc: 'RFC 7644 §3.5.2.1: adding to a complex attribute (members) takes a set of sub-attributes; the collection sends a bare string ("string id 1") naming no resource',
    async instead(base: string, key: string) {
      expect(await addBareStringMember(base, key)).toMatchObject({ status: 400, scimType: 'invalidValue' })
    },
  })),
]

/** A group PATCH adding the member the way the collection does: a bare string, not {"value": id}. */
async function addBareStringMember(base: string, key: string): Promise<{ status: number; scimType?: string }> {
  const group = await fetch(`${base}/Groups`, {
    method: 'POST',
    headers: bearer(key),
    body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `bare-string-${crypto.randomUUID()}` }),
  })
  const { id } = (await group.json()) as { id: string }
  const response = await fetch(`${base}/Groups/${id}`, {
    method: 'PATCH',
    headers: bearer(key),
    body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: 'string id 1' }] }),
  })
  return { status: response.status, scimType: ((await response.json()) as { scimType?: string }).scimType }
}

const { collection, requests } = available
  ? prepareCollection(JSON.parse(readFileSync(COLLECTION, 'utf8')) as Collection, ['Get Token'])
  : { collection: { item: [] }, requests: [] }
const folders = [...new Set(requests.map((request) => request.folder))]

let dir: string | undefined
let server: RunningServer | undefined
let base = ''
let key = ''
let outcomes = new Map<string, Outcome>()

beforeAll(async () => {
  if (!available) return
  dir = tempDir()
  const config = writeConfig(dir)
  const created = await runScimify(['keys', 'create', 'demo', '--config', config])
  if (created.exitCode !== 0) throw new Error(`keys create failed: ${created.stderr}`)
  key = created.stdout.trim()
  server = await startServer(['--config', config])
  base = `${server.url}/scim/v2/demo`
  const url = new URL(server.url)
  // The collection builds its URLs as {{Protocol}}://{{Server}}{{Port}}/{{Api}}/<path>.
  outcomes = await runCollection(collection, {
    Protocol: url.protocol.replace(':', ''),
    Server: url.hostname,
    Port: `:${url.port}`,
    Api: 'scim/v2/demo',
    token: key,
  })
}, 120_000)

afterAll(async () => {
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(!available)('Microsoft SCIM reference collection', () => {
  test('every exclusion names an assertion of the collection', () => {
    for (const exclusion of EXCLUDED) {
      const request = requests.find((r) => r.folder === exclusion.folder && r.label === exclusion.request)
      expect(request?.assertions ?? []).toContain(exclusion.assertion)
    }
  })

  for (const folder of folders) {
    describe(folder || '(top level)', () => {
      for (const request of requests.filter((r) => r.folder === folder)) {
        if (request.assertions.length === 0) {
          // The collection checks nothing here, but later requests rely on it.
          test(`${request.label}: answers 2xx (no assertion in the collection)`, () => {
            const outcome = outcomes.get(request.id)
            if (!outcome) throw new Error('newman did not run this request')
            if (outcome.status === undefined || outcome.status < 200 || outcome.status > 299) throw new Error(describeExchange(outcome))
          })
          continue
        }
        const seen = new Map<string, number>()
        for (const assertion of request.assertions) {
          const occurrence = (seen.get(assertion) ?? 0) + 1
          seen.set(assertion, occurrence)
          const name = `${request.label}: ${assertion}${occurrence > 1 ? ` #${occurrence}` : ''}`
          const exclusion = EXCLUDED.find((e) => e.folder === folder && e.request === request.label && e.assertion === assertion)
          if (exclusion) {
            test(`${name} [excluded, ${exclusion.rfc}; checked the RFC way]`, () => exclusion.instead(base, key))
            continue
          }
          test(name, () => {
            const failure = assertionFailure(outcomes.get(request.id), assertion, occurrence)
            if (failure) throw new Error(failure)
          })
        }
      }
    })
  }

  if (requests.length === 0) test('runs the collection', () => {})
})
