/**
 * @module Puts the config file in force in a running serve: when the polling
 * watcher sees it change, and at once on SIGHUP (`systemctl reload scimify`).
 * An invalid file is logged and the last good config stays. The listener's
 * own settings (address, TLS, Bun's body-size backstop) need a restart.
 */
import type { App } from '../app'
import { formatIssue, loadConfigFile, type ConfigIssue } from '../config/load'
import type { Config } from '../config/schema'
import type { ConnectorRegistry } from '../connector/registry'
import type { Logger } from '../log'

export interface ConfigReloaderOptions {
  path: string
  registry: ConnectorRegistry
  env: Record<string, string | undefined>
  app: Pick<App, 'applyConfig'>
  logger: Logger
  /** The config serve started with: listen and database changes need a restart. */
  startup: Config
}

export interface ConfigReloader {
  /** A new, valid config (the watcher's onChange). */
  apply(config: Config, signal?: string): void
  /** A file that is not valid (the watcher's onInvalid). */
  reject(issues: ConfigIssue[], signal?: string): void
  /**
   * Reads the file now and applies or rejects it, whether or not it changed:
   * `${file:…}` secrets it references are read again too.
   */
  reload(signal: string): void
}

export function configReloader({ path, registry, env, app, logger, startup }: ConfigReloaderOptions): ConfigReloader {
  const apply = (next: Config, signal?: string) => {
    app.applyConfig(next)
    logger.info('config reloaded', { path, instances: next.instances.length, signal })
    const restartOnly = [
      next.server.listen !== startup.server.listen,
      next.server.database !== startup.server.database,
      next.server.metrics?.listen !== startup.server.metrics?.listen,
    ]
    if (restartOnly.some(Boolean)) logger.warn('server.listen, server.database and server.metrics.listen take effect after a restart')
    const listenerChanged = [
      JSON.stringify(next.server.tls) !== JSON.stringify(startup.server.tls),
      next.server.limits?.max_body_bytes !== startup.server.limits?.max_body_bytes,
    ]
    if (listenerChanged.some(Boolean)) logger.warn('server.tls and server.limits.max_body_bytes take effect on SIGHUP (systemctl reload) or a restart')
  }
  const reject = (issues: ConfigIssue[], signal?: string) => {
    for (const issue of issues) logger.error('config file not applied', { issue: formatIssue(issue), signal })
    logger.warn('keeping the last valid config', { path })
  }
  return {
    apply,
    reject,
    reload(signal) {
      const loaded = loadConfigFile(path, registry, env)
      if (loaded.ok) apply(loaded.config, signal)
      else reject(loaded.issues, signal)
    },
  }
}

export interface HangupHandler {
  /** From now on a SIGHUP reloads; one that came before reloads now. */
  reloadWith(reloader: ConfigReloader): void
  stop(): void
}

/**
 * Handles SIGHUP from the moment it is called: the default action ends the
 * process, and `systemctl reload` can come while serve is still starting
 * (opening the database). A SIGHUP then is remembered and reloads as soon as
 * the reloader is there, so a change made before it is not missed.
 */
export function handleHangup(): HangupHandler {
  let reloader: ConfigReloader | undefined
  let pending = false
  const onHangup = () => {
    if (reloader) reloader.reload('SIGHUP')
    else pending = true
  }
  process.on('SIGHUP', onHangup)
  return {
    reloadWith(ready) {
      reloader = ready
      if (pending) {
        pending = false
        ready.reload('SIGHUP')
      }
    },
    stop() {
      process.off('SIGHUP', onHangup)
    },
  }
}
