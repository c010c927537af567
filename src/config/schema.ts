/**
 * @module The config file's schema (valibot). Connector settings are checked
 * afterwards against the schema of the connector their `type` names.
 */
import * as v from 'valibot'
import { parseCidr } from '../net/cidr'
import { parseDuration } from './duration'
import { parseListenAddress } from './listen-address'
import { secretReference } from './references'

const INSTANCE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/
const KEY_ID = /^[0-9a-f]{12}$/
const KEY_HASH = /^sha256:[0-9a-f]{64}$/

const isoTimestamp = v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 timestamp, e.g. 2026-01-31T00:00:00Z'))

export const apiKeySchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(KEY_ID, 'must be 12 lowercase hex characters')),
  name: v.optional(v.string()),
  hash: v.pipe(v.string(), v.regex(KEY_HASH, 'must be "sha256:" and 64 hex characters (written by `scimify keys create`)')),
  created: isoTimestamp,
  expires: v.optional(isoTimestamp),
})

// RFC 7643 §2.1: ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/
const URN = /^urn:[a-z0-9][a-z0-9-]{0,31}:[^\s]+$/i

const attributeFields = {
  name: v.pipe(v.string(), v.regex(ATTRIBUTE_NAME, 'must start with a letter and hold only letters, digits, "-" and "_"')),
  description: v.optional(v.string()),
  type: v.optional(v.picklist(['string', 'boolean', 'integer', 'decimal', 'dateTime', 'reference', 'binary']), 'string'),
  multi_valued: v.optional(v.boolean(), false),
  required: v.optional(v.boolean(), false),
  case_exact: v.optional(v.boolean(), false),
  mutability: v.optional(v.picklist(['readWrite', 'immutable', 'readOnly', 'writeOnly']), 'readWrite'),
  returned: v.optional(v.picklist(['always', 'default', 'request', 'never']), 'default'),
  canonical_values: v.optional(v.array(v.string())),
}

/** A simple attribute, or a sub-attribute of a complex one (RFC 7643 §2.3: sub-attributes are never complex). */
export const customSubAttributeSchema = v.strictObject(attributeFields)

export const customAttributeSchema = v.strictObject({
  ...attributeFields,
  type: v.optional(v.picklist(['string', 'boolean', 'integer', 'decimal', 'dateTime', 'reference', 'binary', 'complex']), 'string'),
  sub_attributes: v.optional(v.array(customSubAttributeSchema)),
})

const distinctNames = (attributes: { name: string }[]) =>
  new Set(attributes.map((a) => a.name.toLowerCase())).size === attributes.length

/** A schema extension of the instance's own (RFC 7643 §3.3), e.g. roles or a cost code. */
export const customExtensionSchema = v.strictObject({
  schema: v.pipe(v.string(), v.regex(URN, 'must be a URN, e.g. "urn:scimify:params:scim:schemas:extension:acme:2.0:User"')),
  resource: v.picklist(['User', 'Group'], 'must be "User" or "Group"'),
  name: v.optional(v.string()),
  description: v.optional(v.string()),
  required: v.optional(v.boolean(), false),
  attributes: v.pipe(
    v.array(
      v.pipe(
        customAttributeSchema,
        v.check((a) => (a.type === 'complex') === (a.sub_attributes !== undefined), 'sub_attributes go with type: complex, and type: complex needs sub_attributes'),
        v.check((a) => distinctNames(a.sub_attributes ?? []), 'sub-attribute names must be distinct (case-insensitively)'),
      ),
    ),
    v.minLength(1, 'needs at least one attribute'),
    v.check((attributes) => distinctNames(attributes), 'attribute names must be distinct (case-insensitively)'),
  ),
})

const duration = v.pipe(
  v.string(),
  v.regex(/^\d+[smhdw]$/, 'must be a whole number and a unit (s, m, h, d, w), e.g. "6h"; "0s" turns it off'),
)

/** How the engine compares and repairs an instance's downstream state. */
export const syncSettingsSchema = v.strictObject({
  /** How often the full reconcile (drift check) runs. */
  full_interval: v.optional(duration, '6h'),
  /** What a full reconcile does about drift: report it, or repair what scimify manages. */
  drift: v.optional(v.picklist(['report', 'repair'], 'must be report or repair'), 'repair'),
  /** Also remove downstream users and groups that match nothing in scimify. */
  prune_unmanaged: v.optional(v.boolean(), false),
  /** What `scimify import` matches downstream users on. */
  import_match: v.optional(v.picklist(['email', 'userName'], 'must be email or userName'), 'email'),
})

export type SyncSettings = v.InferOutput<typeof syncSettingsSchema>

export const connectorBlockSchema = v.looseObject({
  type: v.pipe(v.string(), v.nonEmpty('must name a connector')),
})

export const instanceSchema = v.strictObject({
  id: v.pipe(
    v.string(),
    v.regex(INSTANCE_ID, 'must be lowercase letters, digits, "-" or "_", starting with a letter or digit (it is part of the URL)'),
  ),
  name: v.optional(v.string()),
  enabled: v.optional(v.boolean(), true),
  /** What goes downstream: the IdP's writes are always stored and answered. */
  mode: v.optional(v.picklist(['users_and_groups', 'users_only', 'groups_only'], 'must be users_and_groups, users_only or groups_only'), 'users_and_groups'),
  sync: v.optional(syncSettingsSchema, {}),
  connector: connectorBlockSchema,
  keys: v.optional(v.nullable(v.array(apiKeySchema)), []),
  extensions: v.optional(v.array(customExtensionSchema), []),
})

const listenAddress = v.pipe(v.string(), v.check((listen) => parseListenAddress(listen) !== undefined, 'must be "host:port", e.g. "127.0.0.1:8080"'))

/**
 * Where GET /metrics is served. Neither key set: nowhere (metrics name every
 * instance). `listen`: on a second listener of its own; `token`: scrapers
 * must present it as a bearer token (on the main port, or on `listen` too).
 */
export const metricsSchema = v.strictObject({
  listen: v.optional(listenAddress),
  token: v.optional(secretReference()),
})

/** Limits on each request; unset keys take the defaults of src/http/request-limits.ts. */
export const limitsSchema = v.strictObject({
  /** Largest request body in bytes (default 1 MiB): 413 beyond it. */
  max_body_bytes: v.optional(v.pipe(v.number('must be a number of bytes'), v.integer('must be a whole number'), v.minValue(1024, 'must be at least 1024'))),
  /** How long a request may run (default "30s"): 503 when it is still running then. */
  request_timeout: v.optional(v.pipe(v.string(), v.check(isPositiveDuration, 'must be a whole number above 0 and a unit (s, m, h), e.g. "30s"'))),
  /** How many requests run at once (default 256): 503 with Retry-After beyond it. */
  max_concurrent: v.optional(v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'))),
})

/** A certificate chain and its private key, PEM files; relative paths are relative to the config file. */
export const tlsSchema = v.strictObject({
  cert: v.pipe(v.string(), v.nonEmpty('must name the certificate file (PEM)')),
  key: v.pipe(v.string(), v.nonEmpty('must name the private key file (PEM)')),
})

function isPositiveDuration(text: string): boolean {
  if (!/^\d{1,9}[smh]$/.test(text)) return false
  return parseDuration(text) > 0
}

const cidr = v.pipe(v.string(), v.check((text) => parseCidr(text) !== undefined, 'must be an address or a CIDR range, e.g. "10.0.0.0/8" or "fd00::/8"'))

export const serverSchema = v.strictObject({
  /** How long the audit log keeps entries. */
  audit_retention: v.optional(
    v.pipe(v.string(), v.regex(/^\d+[smhdw]$/, 'must be a whole number and a unit (s, m, h, d, w), e.g. "90d"')),
    '90d',
  ),
  listen: v.optional(listenAddress, '127.0.0.1:8080'),
  public_url: v.optional(v.pipe(v.string(), v.url('must be an absolute URL, e.g. "https://scim.example.com"'))),
  database: v.optional(v.pipe(v.string(), v.nonEmpty()), './scimify.db'),
  /**
   * When an answered write is safe: `normal` against a crash of the process
   * (the WAL is written before answering), `full` also against power loss
   * (fsync before answering). Applies at start.
   */
  durability: v.optional(v.picklist(['normal', 'full'], 'must be "normal" or "full"')),
  metrics: v.optional(metricsSchema),
  limits: v.optional(limitsSchema),
  /** Proxies whose X-Forwarded-For/-Proto/-Host are believed; default: none. */
  trusted_proxies: v.optional(v.array(cidr)),
  tls: v.optional(tlsSchema),
})

export const configSchema = v.strictObject({
  server: v.optional(serverSchema, {}),
  instances: v.array(instanceSchema),
})

export type ApiKeyConfig = v.InferOutput<typeof apiKeySchema>
export type CustomExtensionConfig = v.InferOutput<typeof customExtensionSchema>
export type CustomAttributeConfig = v.InferOutput<typeof customAttributeSchema>
/** An instance's `connector:` block after its settings were validated by that connector's schema. */
export interface ConnectorConfig {
  type: string
  /** The connector's `settings` schema output: every key of the block but `type`. */
  settings: unknown
}
export type InstanceConfig = Omit<v.InferOutput<typeof instanceSchema>, 'connector' | 'keys'> & {
  connector: ConnectorConfig
  keys: ApiKeyConfig[]
}
export type ServerConfig = v.InferOutput<typeof serverSchema>
export type MetricsConfig = v.InferOutput<typeof metricsSchema>
export type Config = { server: ServerConfig; instances: InstanceConfig[] }
