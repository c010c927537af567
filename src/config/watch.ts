/**
 * @module Notices changes to the config file while `serve` runs, by polling:
 * fs.watch misses files replaced by rename (editors, `writeConfigFileAtomic`)
 * and behaves differently on every platform.
 */
import { statSync } from 'node:fs'
import { dirname } from 'node:path'
import type { ConnectorRegistry } from '../connector/registry'
import { parseConfig, readConfigText, type ConfigIssue } from './load'
import type { Config } from './schema'

export interface ConfigWatchOptions {
  /** A new, valid config: the file's content changed. */
  onChange(config: Config): void
  /** The file changed but is not valid (or not readable); the caller keeps its last good config. */
  onInvalid(issues: ConfigIssue[]): void
  intervalMs?: number
  env?: Record<string, string | undefined>
}

export interface ConfigWatcher {
  stop(): void
}

/**
 * Polls `path` every `intervalMs`. The content at the time of the call is the
 * baseline: only later changes are reported.
 */
export function watchConfigFile(path: string, registry: ConnectorRegistry, options: ConfigWatchOptions): ConfigWatcher {
  const { intervalMs = 500, env = process.env } = options
  let lastStamp = stampOf(path)
  let lastText = readText(path)
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined

  const poll = () => {
    try {
      // The stat is cheap; the file is only read when something about it changed.
      const stamp = stampOf(path)
      if (stamp === lastStamp) return
      lastStamp = stamp
      const read = readConfigText(path)
      const text = read.ok ? read.text : undefined
      if (text === lastText) return
      lastText = text
      const result = read.ok ? parseConfig(read.text, registry, env, dirname(path)) : read
      if (result.ok) options.onChange(result.config)
      else options.onInvalid(result.issues)
    } finally {
      if (!stopped) schedule()
    }
  }
  const schedule = () => {
    timer = setTimeout(poll, intervalMs)
    timer.unref?.()
  }

  schedule()
  return {
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}

/** Changes when the file is written, replaced (new inode) or removed. */
function stampOf(path: string): string {
  const stats = statSync(path, { throwIfNoEntry: false })
  return stats ? `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}` : 'missing'
}

function readText(path: string): string | undefined {
  const read = readConfigText(path)
  return read.ok ? read.text : undefined
}
