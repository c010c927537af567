/** @module The config file: loading, validation, secret references, key edits and watching. */
export { DEFAULT_CONFIG_YAML, ensureDefaultConfig } from './default'
export { parseDuration } from './duration'
export { addApiKey, expireApiKeys, removeApiKey, writeConfigFileAtomic } from './edit'
export { formatIssue, loadConfigFile, parseConfig, readConfigText, type ConfigIssue, type ConfigResult } from './load'
export { DEFAULT_CONFIG_PATH, resolveConfigPath, type ConfigLocation } from './paths'
export { Secret, secretReference, withReferenceContext, type ReferenceContext } from './references'
export type { ApiKeyConfig, Config, ConnectorConfig, InstanceConfig, ServerConfig } from './schema'
export { watchConfigFile, type ConfigWatcher, type ConfigWatchOptions } from './watch'
