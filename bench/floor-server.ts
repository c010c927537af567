/**
 * @module Not product code: `GET /scim/v2/:instance/Users/:id` on Bun's native router, without Elysia and without
 * scimify's request wrapper, put together from scimify's own modules, to measure how much of a GET's server CPU is
 * work a GET cannot do without (floor.ts drives it). `bun bench/floor-server.ts <variant> <config> <database> <port>`:
 * - `read`: the user's stored document text by id as the body; one SQLite read and an answer, nothing else.
 * - `parts`: what scimify does for such a GET: the key check, `store.get`, the default view, the ETag and request
 *   id headers, the request metrics and the access-log line.
 * - `quiet`: `parts` without the access-log line.
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
import { openDatabase } from '../src/store/db'
import { ResourceStore } from '../src/store/resources'
import { SCIM_CONTENT_TYPE } from '../src/http/scim-response'

const [variant, configPath, databasePath, port] = process.argv.slice(2)
const loaded = loadConfigFile(configPath!, new ConnectorRegistry(connectors))
if (!loaded.ok) throw new Error(loaded.issues.map((issue) => issue.message).join('; '))
const keyring = new Keyring(loaded.config)
const db = openDatabase(databasePath!)
const store = new ResourceStore(db)
const documentById = db.prepare("SELECT data FROM resources WHERE instance = $instance AND id = $id AND type = 'User'")
const logger = createLogger()
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
  const elapsedMs = performance.now() - started
  if (variant === 'parts') {
    logger.info('request', {
      method: 'GET',
      path: `/scim/v2/${instance}/Users/${id}`,
      status: 200,
      duration_ms: Math.round(elapsedMs * 10) / 10,
      client: server.requestIP(request)?.address,
      instance: auth.instance.id,
      key_id: auth.keyId,
      request_id: requestId,
    })
  }
  metrics.request({ instance: auth.instance.id, method: 'GET', route: ROUTE, status: 200 }, elapsedMs / 1000)
  return response
}

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(port),
  routes: { [ROUTE]: variant === 'read' ? read : parts, '/healthz': new Response('ok') },
  fetch: () => new Response(null, { status: 404 }),
})
process.once('SIGTERM', () => {
  void server.stop().then(() => process.exit(0))
})
