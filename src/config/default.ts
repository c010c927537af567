/** @module The demo config `serve` writes on first start when no config path was given. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export const DEFAULT_CONFIG_YAML = `# scimify demo configuration, written on first start because neither --config
# nor SCIMIFY_CONFIG was given. config.example.yaml documents every setting.
# A running \`scimify serve\` picks up changes to this file within 2 seconds.

server:
  listen: 127.0.0.1:8080 # host:port; only this machine can connect
  database: ./scimify.db # SQLite file; relative paths are relative to this file's folder

instances:
  - id: demo # part of the SCIM base URL
    name: Demo directory
    enabled: true
    connector:
      type: directory # store only: keeps users and groups, changes nothing downstream
    # API keys the identity provider presents. Add one with:
    #   scimify keys create demo --name okta
    keys: []
`

/** Writes the demo config (mode 0600) unless `path` exists; true when it wrote it. */
export function ensureDefaultConfig(path: string): boolean {
  // The directory will also hold the database, so only the owner may enter it.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  try {
    writeFileSync(path, DEFAULT_CONFIG_YAML, { flag: 'wx', mode: 0o600 })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}
