/**
 * @module `scimify serve`: runs the bridge. Reads the config file, opens the
 * database, listens, applies config-file changes while running (and at once
 * on SIGHUP), and stops cleanly on SIGINT/SIGTERM.
 */
import { Command } from 'commander'
import { readFileSync } from 'node:fs'
import { createApp, type App } from '../app'
import { parseDuration } from '../config/duration'
import { ensureDefaultConfig, loadConfigFile, watchConfigFile } from '../config'
import { writeConfigFileAtomic } from '../config/edit'
import { listenUrl, parseListenAddress } from '../config/listen-address'
import { resolveConfigPath, type ConfigLocation } from '../config/paths'
import type { Config } from '../config/schema'
import { listenerOptions, type ListenerOptions } from '../http/listener-options'
import { listenForMetrics } from '../http/modules/metrics/listener'
import { bufferLines, createLogger, logFormatFor, type Logger } from '../log'
import { configOption, fail, isoSeconds, reportIssues, resolveBeside, withContextOutput } from './command-support'
import { configReloader, handleHangup } from './config-reload'
import type { CliContext } from './context'
import { issueKey } from './keys-create'

export function makeServeCommand(ctx: CliContext): Command {
  return withContextOutput(new Command('serve'), ctx)
    .description('Run the SCIM bridge. Without --config or SCIMIFY_CONFIG it uses ./data/config.yaml, creating a demo instance on first start.')
    .addOption(configOption())
    .option('--listen <host:port>', 'override server.listen (also $SCIMIFY_LISTEN)')
    .addHelpText('after', '\nExamples:\n  $ scimify serve\n  $ scimify serve --config /etc/scimify/config.yaml\n')
    .action(async (options: { config?: string; listen?: string }) => {
      await serve(ctx, options.config, options.listen ?? ctx.env.SCIMIFY_LISTEN)
    })
}

/** How long SIGTERM waits for requests in flight before closing their connections. */
const SHUTDOWN_GRACE_MS = 10_000

interface CreatedKey {
  instance: string
  secret: string
}

async function serve(ctx: CliContext, configFlag: string | undefined, listenOverride: string | undefined): Promise<void> {
  // A turn's lines in one write (flushed at 64 KiB and on exit): one write per request was a measurable share of a GET.
  const logger = createLogger(bufferLines((line) => ctx.stderr.write(line)), logFormatFor(ctx.stderr))
  // First: SIGHUP (systemctl reload) must not end a serve that is starting.
  // On the early returns below the process ends, and the handler with it.
  const hangup = handleHangup()
  const location = resolveConfigPath(configFlag, ctx.env)
  const startup = loadStartupConfig(ctx, location)
  if (!startup) return
  const { config, newKeys } = startup

  const listen = listenOverride ?? config.server.listen
  const address = parseListenAddress(listen)
  if (!address) return fail(ctx, `cannot listen on "${listen}": expected host:port, e.g. 127.0.0.1:8080`)

  let listener: ListenerOptions
  try {
    listener = listenerOptions(config.server, (path) => resolveBeside(location.path, path))
  } catch (error) {
    return fail(ctx, (error as Error).message)
  }

  const databasePath = resolveBeside(location.path, config.server.database)
  let app: App
  try {
    app = createApp(config, { databasePath, logger, backgroundCheckpoints: true })
  } catch (error) {
    return fail(ctx, `cannot open the database ${databasePath}: ${(error as Error).message}`)
  }
  // reusePort: on SIGHUP a new listener (new TLS files) takes over the port before the old one stops.
  const startListener = (options: ListenerOptions, port: number) =>
    Bun.serve({
      hostname: address.hostname,
      port,
      reusePort: true,
      ...options,
      fetch: (request, bun) => app.handle(request, bun.requestIP(request)?.address),
    })
  let server: ReturnType<typeof Bun.serve>
  try {
    server = startListener(listener, address.port)
  } catch (error) {
    await app.close()
    return fail(ctx, `cannot listen on ${listen}: ${(error as Error).message}`)
  }
  const metricsListen = config.server.metrics?.listen
  let metrics: ReturnType<typeof listenForMetrics> | undefined
  try {
    if (metricsListen) metrics = listenForMetrics(metricsListen, app.handleMetrics)
  } catch (error) {
    await server.stop()
    await app.close()
    return fail(ctx, `cannot serve metrics on ${metricsListen}: ${(error as Error).message}`)
  }

  const plainUrl = listenUrl(address.hostname, server.port!)
  const listeningOn = listener.tls ? plainUrl.replace(/^http:/, 'https:') : plainUrl
  app.setListenOrigin(listeningOn)
  ctx.stdout.write(`scimify is listening on ${listeningOn} (config ${location.path}, database ${databasePath})\n`)
  printInstances(ctx, config, config.server.public_url?.replace(/\/+$/, '') ?? listeningOn, newKeys, location)
  if (metrics) ctx.stdout.write(`  metrics: ${metrics.url}\n`)

  const reloader = configReloader({ path: location.path, registry: ctx.registry, env: ctx.env, app, logger, startup: config })
  const watcher = watchConfigFile(location.path, ctx.registry, {
    env: ctx.env,
    onChange: (next) => reloader.apply(next),
    onInvalid: (issues) => reloader.reject(issues),
  })
  // `systemctl reload` (ExecReload=kill -HUP): now, not at the next poll.
  hangup.reloadWith(reloader)
  // SIGHUP also renews the listener: TLS files read again, the body limit of the config in force.
  const renewListener = async () => {
    try {
      const replacement = startListener(listenerOptions(app.config().server, (path) => resolveBeside(location.path, path)), server.port!)
      const previous = server
      server = replacement
      await previous.stop()
      logger.info('listener renewed', { signal: 'SIGHUP', tls: Boolean(app.config().server.tls) })
    } catch (error) {
      logger.error('listener not renewed; the previous one keeps serving', { error: (error as Error).message })
    }
  }
  const onHangup = () => void renewListener()
  process.on('SIGHUP', onHangup)

  app.sync.start()
  const auditPruning = pruneAuditLogHourly(app, logger)
  await untilStopSignal(logger)
  hangup.stop()
  process.off('SIGHUP', onHangup)
  clearInterval(auditPruning)
  watcher.stop()
  // Stop accepting, let requests in flight finish, but not forever.
  const force = setTimeout(() => void server.stop(true), SHUTDOWN_GRACE_MS)
  await server.stop()
  clearTimeout(force)
  await metrics?.server.stop()
  // Waits for downstream operations in flight, then closes the database.
  await app.close()
}

/**
 * The config to start with. On the embedded default (no --config, no
 * SCIMIFY_CONFIG) the file is created on first start and its instances get a
 * key, so trying scimify out takes one command; a config an admin wrote gets
 * keys from `scimify keys`.
 */
function loadStartupConfig(ctx: CliContext, location: ConfigLocation): { config: Config; newKeys: CreatedKey[] } | undefined {
  if (location.isDefault && ensureDefaultConfig(location.path)) {
    ctx.stderr.write(`Created ${location.path} with a demo instance.\n`)
  }
  let loaded = loadConfigFile(location.path, ctx.registry, ctx.env)
  if (!loaded.ok) return reportIssues(ctx, loaded.issues)
  const newKeys = location.isDefault ? createMissingKeys(location.path, loaded.config, ctx.now()) : []
  if (newKeys.length > 0) {
    loaded = loadConfigFile(location.path, ctx.registry, ctx.env)
    if (!loaded.ok) return reportIssues(ctx, loaded.issues)
  }
  return { config: loaded.config, newKeys }
}

function createMissingKeys(path: string, config: Config, now: Date): CreatedKey[] {
  const created: CreatedKey[] = []
  let text = readFileSync(path, 'utf8')
  for (const instance of config.instances) {
    if (instance.keys.length > 0) continue
    const issued = issueKey(text, instance, { name: 'created on first start', created: isoSeconds(now) })
    text = issued.text
    created.push({ instance: instance.id, secret: issued.secret })
  }
  if (created.length > 0) writeConfigFileAtomic(path, text)
  return created
}

/** The banner: each instance's SCIM base URL, and its new key or how to get one. */
function printInstances(ctx: CliContext, config: Config, origin: string, newKeys: CreatedKey[], location: ConfigLocation) {
  const configFlag = location.isDefault ? '' : ` --config ${location.path}`
  for (const instance of config.instances) {
    ctx.stdout.write(`  instance ${instance.id}: SCIM base URL ${origin}/scim/v2/${instance.id}${instance.enabled ? '' : ' (disabled)'}\n`)
    const created = newKeys.find((key) => key.instance === instance.id)
    if (created) {
      ctx.stdout.write(`  API key for ${instance.id} (shown only now; put it in your IdP's secret token field):\n    ${created.secret}\n`)
    } else if (instance.keys.length > 0) {
      ctx.stdout.write(`  instance ${instance.id} has ${instance.keys.length} API key(s); for a new one: scimify keys rotate ${instance.id}${configFlag}\n`)
    } else {
      ctx.stdout.write(`  instance ${instance.id} has no API key yet: scimify keys create ${instance.id}${configFlag}\n`)
    }
  }
}

/**
 * Deletes audit entries older than server.audit_retention (of the config in
 * force) now and every hour; "0s" keeps everything.
 */
function pruneAuditLogHourly(app: App, logger: Logger): ReturnType<typeof setInterval> {
  const prune = () => {
    const retention = app.config().server.audit_retention
    const ms = parseDuration(retention)
    if (ms <= 0) return
    try {
      const deleted = app.audit.pruneBefore(new Date(Date.now() - ms))
      if (deleted > 0) logger.info('audit log pruned', { deleted, retention })
    } catch (error) {
      logger.warn('audit log not pruned', { error: (error as Error).message })
    }
  }
  prune()
  return setInterval(prune, 60 * 60 * 1000)
}

function untilStopSignal(logger: Logger): Promise<void> {
  return new Promise((done) => {
    const stop = (signal: string) => {
      logger.info('shutting down', { signal })
      done()
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
}
