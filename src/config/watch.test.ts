import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectors } from '../../connectors'
import { ConnectorRegistry } from '../connector/registry'
import { writeConfigFileAtomic } from './edit'
import type { ConfigIssue } from './load'
import type { Config } from './schema'
import { watchConfigFile, type ConfigWatcher } from './watch'

const registry = new ConnectorRegistry(connectors)
const configWith = (...ids: string[]) =>
  `instances:\n${ids.map((id) => `  - id: ${id}\n    connector: { type: directory }\n`).join('')}`

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await Bun.sleep(20)
  }
}

describe('watchConfigFile', () => {
  let dir: string
  let path: string
  let watcher: ConfigWatcher | undefined
  let changes: Config[]
  let invalids: ConfigIssue[][]

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scimify-watch-'))
    path = join(dir, 'config.yaml')
    writeFileSync(path, configWith('a'))
    changes = []
    invalids = []
  })
  afterEach(() => {
    watcher?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const watch = (intervalMs?: number) => {
    watcher = watchConfigFile(path, registry, {
      onChange: (config) => changes.push(config),
      onInvalid: (issues) => invalids.push(issues),
      intervalMs,
    })
  }

  test('reports a valid change within 2 s, an invalid one, then a valid one again', async () => {
    watch()
    writeFileSync(path, configWith('a', 'b'))
    await waitFor(() => changes.length === 1, 2000)
    expect(changes[0].instances.map((i) => i.id)).toEqual(['a', 'b'])

    writeFileSync(path, configWith('a', 'a'))
    await waitFor(() => invalids.length === 1, 2000)
    expect(invalids[0]).toEqual([{ path: 'instances[1].id', message: 'duplicate instance id "a"', line: 4 }])

    writeFileSync(path, configWith('c'))
    await waitFor(() => changes.length === 2, 2000)
    expect(changes[1].instances.map((i) => i.id)).toEqual(['c'])
    expect(invalids).toHaveLength(1)
  })

  test('sees files replaced by rename', async () => {
    watch(20)
    writeConfigFileAtomic(path, configWith('renamed'))
    await waitFor(() => changes.length === 1, 2000)
    expect(changes[0].instances.map((i) => i.id)).toEqual(['renamed'])
  })

  test('ignores writes that do not change the content, and stops when asked', async () => {
    watch(20)
    writeFileSync(path, configWith('a'))
    utimesSync(path, new Date(), new Date(Date.now() + 5000))
    await Bun.sleep(150)
    expect(changes).toHaveLength(0)

    watcher!.stop()
    writeFileSync(path, configWith('d'))
    await Bun.sleep(150)
    expect(changes).toHaveLength(0)
    expect(invalids).toHaveLength(0)
  })

  test('reports a removed file once', async () => {
    watch(20)
    rmSync(path)
    await waitFor(() => invalids.length === 1, 2000)
    expect(invalids[0][0].message).toBe(`cannot read config file ${path}: no such file`)
    await Bun.sleep(100)
    expect(invalids).toHaveLength(1)
  })
})
