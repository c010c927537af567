/**
 * @module The config file's schema (valibot). Connector settings are checked
 * afterwards against the schema of the connector their `type` names.
 */
import * as v from 'valibot'
import { parseListenAddress } from './listen-address'

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
  connector: connectorBlockSchema,
  keys: v.optional(v.nullable(v.array(apiKeySchema)), []),
})

export const serverSchema = v.strictObject({
  listen: v.optional(v.pipe(v.string(), v.check((listen) => parseListenAddress(listen) !== undefined, 'must be "host:port", e.g. "127.0.0.1:8080"')), '127.0.0.1:8080'),
  public_url: v.optional(v.pipe(v.string(), v.url('must be an absolute URL, e.g. "https://scim.example.com"'))),
  database: v.optional(v.pipe(v.string(), v.nonEmpty()), './scimify.db'),
})

export const configSchema = v.strictObject({
  server: v.optional(serverSchema, {}),
  instances: v.array(instanceSchema),
})

export type ApiKeyConfig = v.InferOutput<typeof apiKeySchema>
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
export type Config = { server: ServerConfig; instances: InstanceConfig[] }
