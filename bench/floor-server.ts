/**
 * @module Not product code: `GET /scim/v2/:instance/Users/:id` on Bun's native router, without Elysia and without
 * scimify's request wrapper, put together from scimify's own modules, to measure how much of a GET's server CPU is
 * work a GET cannot do without (floor.ts drives it). `bun bench/floor-server.ts <variant> <config> <database> <port>`:
 * - `read`: the user's stored document text by id as the body; one SQLite read and an answer, nothing else.
 * - `parts`: what scimify does for such a GET: the key check, `store.get`, the default view, the ETag and request
 *   id headers, the request metrics and the access-log line.
 * - `quiet`: `parts` without the access-log line.
 * - `patch`: what scimify does for `PATCH /scim/v2/:instance/Users/:id` without a projection: the key check, the
 *   body read as JSON, the resource service's patch, the audit entry, the wait for the group commit, a 204 with the
 *   ETag and request id, the metrics and the access-log line.
 */
import { connectors } from '../connectors'
import { Keyring } from '../src/auth/keyring'
import { loadConfigFile } from '../src/config/load'
import { ConnectorRegistry } from '../src/connector/registry'
import { createLogger } from '../src/log'
import { createScimifyMetrics } from '../src/metrics/scimify'
import { defaultViewJson } from '../src/scim/default-view'
import { entityTag } from '../src/scim/etag'
import { builtInSchemas } from '../src/scim/schemas/instance'
import { startCheckpointer } from '../src/store/checkpointer'
import { openDatabase } from '../src/store/db'
import { ResourceStore } from '../src/store/resources'
import { AuditLog } from '../src/store/audit'
import { SyncStore } from '../src/store/sync'
import { ResourceService } from '../src/http/modules/resources/service'
import { readJsonBody } from '../src/http/read-body'
import { scimErrorResponse } from '../src/http/errors'
import { SCIM_CONTENT_TYPE } from '../src/http/scim-response'
import { ScimError } from '../src/scim/errors'

const [variant, configPath, databasePath, port] = process.argv.slice(2)
const loaded = loadConfigFile(configPath!, new ConnectorRegistry(connectors))
if (!loaded.ok) throw new Error(loaded.issues.map((issue) => issue.message).join('; '))
const keyring = new Keyring(loaded.config)
const db = openDatabase(databasePath!)
const logger = createLogger()
// As in `scimify serve`: the WAL is checkpointed on a worker thread, not by the writer in its commits.
startCheckpointer(db, databasePath!, logger)
// The bench instance is store-only (`directory`): as in scimify, its writes are not queued for a sync engine.
const store = new ResourceStore(db, new SyncStore(db), () => false)
const service = new ResourceService(store)
const audit = new AuditLog(db)
const documentById = db.prepare("SELECT data FROM resources WHERE instance = $instance AND id = $id AND type = 'User'")
const metrics = createScimifyMetrics({ queueDepths: () => [] })
const ROUTE = '/scim/v2/:instance/Users/:id'

type Params = { instance: string; id: string }

function read(request: Bun.BunRequest<typeof ROUTE>): Response {
  const { instance, id } = request.params as Params
  const row = documentById.get({ instance, id }) as { data: string } | null
  return row ? new Response(row.data, { headers: { 'content-type': SCIM_CONTENT_TYPE } }) : new Response(null, { status: 404 })
}

function parts(request: Bun.BunRequest<typeof ROUTE>, server: Bun.Server<undefined>): Response {
  const started = performance.now()
  const { instance, id } = request.params as Params
  const requestId = crypto.randomUUID()
  const auth = keyring.authenticate(instance, request.headers.get('authorization'))
  if (!auth.ok) return new Response(null, { status: 401 })
  const resource = store.get(instance, 'User', id)
  if (!resource) return new Response(null, { status: 404 })
  const body = defaultViewJson(resource, `http://127.0.0.1:${port}/scim/v2/${instance}`, builtInSchemas.User)!
  const response = new Response(body, { headers: { 'content-type': SCIM_CONTENT_TYPE, etag: entityTag(resource.version), 'x-request-id': requestId } })
  record(request, server, { method: 'GET', status: 200, started, requestId, auth })
  return response
}

async function patch(request: Bun.BunRequest<typeof ROUTE>, server: Bun.Server<undefined>): Promise<Response> {
  const started = performance.now()
  const { instance, id } = request.params as Params
  const requestId = crypto.randomUUID()
  const auth = keyring.authenticate(instance, request.headers.get('authorization'))
  if (!auth.ok) return new Response(null, { status: 401 })
  let response: Response
  try {
    const patched = service.patch({ instance, resourceType: builtInSchemas.User }, id, await readJsonBody(request), request.headers.get('if-match'), false)
    response = new Response(null, { status: 204, headers: { etag: entityTag(patched.version), 'x-request-id': requestId } })
  } catch (error) {
    if (!(error instanceof ScimError)) throw error
    response = scimErrorResponse(error)
  }
  audit.record({ instance, actor: `key:${auth.keyId}`, action: 'PATCH /Users', target: id, result: String(response.status) })
  await store.durable()
  record(request, server, { method: 'PATCH', status: response.status, started, requestId, auth })
  return response
}

/** What scimify keeps of an answered request: its metrics and, but in `quiet`, its access-log line. */
function record(
  request: Bun.BunRequest<typeof ROUTE>,
  server: Bun.Server<undefined>,
  answered: { method: string; status: number; started: number; requestId: string; auth: { instance: { id: string }; keyId: string } },
): void {
  const { method, status, started, requestId, auth } = answered
  const { instance, id } = request.params as Params
  const elapsedMs = performance.now() - started
  if (variant !== 'quiet') {
    logger.info('request', {
      method,
      path: `/scim/v2/${instance}/Users/${id}`,
      status,
      duration_ms: Math.round(elapsedMs * 10) / 10,
      client: server.requestIP(request)?.address,
      instance: auth.instance.id,
      key_id: auth.keyId,
      request_id: requestId,
    })
  }
  metrics.request({ instance: auth.instance.id, method, route: ROUTE, status }, elapsedMs / 1000)
}

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(port),
  routes: { [ROUTE]: variant === 'read' ? read : variant === 'patch' ? { PATCH: patch } : parts, '/healthz': new Response('ok') },
  fetch: () => new Response(null, { status: 404 }),
})
process.once('SIGTERM', () => {
  void server.stop().then(() => process.exit(0))
})
