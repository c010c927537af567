/**
 * @module What `scimify users` and `scimify groups` share: every resource of
 * one type the IdP has provisioned to an instance (optionally filtered with a
 * SCIM filter), with its downstream link and sync state.
 */
import { Command } from 'commander'
import type { App } from '../app'
import { schemasOfInstance } from '../config/extensions'
import type { InstanceConfig } from '../config/schema'
import { ScimError } from '../scim/errors'
import type { Filter } from '../scim/filter/ast'
import { parseFilter } from '../scim/filter/parse'
import type { QueueEntry, SyncLink } from '../store/sync'
import type { ResourceKind, StoredResource } from '../store/types'
import { configOption, fail, findInstance, loadConfigForCommand, withContextOutput } from './command-support'
import type { CliContext } from './context'
import { formatTable, oneLine, withExistingDatabase } from './open-database'

export type SyncState = 'synced' | 'pending' | 'failed'

/** Where a resource stands: its downstream link and sync state, the same for users and groups. */
export interface SyncFields {
  /** The downstream app's id for it; null until it is there (always for a store-only instance). */
  link: string | null
  state: SyncState
  /** The last error of its failed link or its queue entry, if any. */
  error: string | null
}

export interface UserListing extends SyncFields {
  id: string
  userName: string
  active: boolean
}

export interface GroupListing extends SyncFields {
  id: string
  displayName: string | null
}

/** The parts of the two commands that differ: everything else is shared. */
interface ListingKind<Row extends SyncFields & { id: string }> {
  type: ResourceKind
  command: string
  plural: string
  example: string
  row(resource: StoredResource, sync: SyncFields): Row
  header: string[]
  cells(row: Row): string[]
}

export const userListing: ListingKind<UserListing> = {
  type: 'User',
  command: 'users',
  plural: 'users',
  example: 'userName sw "a" and active eq true',
  // RFC 7643 §4.1.1: without `active`, a user is not deactivated.
  row: (resource, sync) => ({ id: resource.id, userName: String(resource.data.userName), active: resource.data.active !== false, ...sync }),
  header: ['ID', 'USERNAME', 'ACTIVE', 'LINK', 'STATE'],
  cells: (row) => [row.id, row.userName, String(row.active), row.link ?? '-', stateText(row)],
}

export const groupListing: ListingKind<GroupListing> = {
  type: 'Group',
  command: 'groups',
  plural: 'groups',
  example: 'displayName co "eng"',
  row: (resource, sync) => ({
    id: resource.id,
    displayName: typeof resource.data.displayName === 'string' ? resource.data.displayName : null,
    ...sync,
  }),
  header: ['ID', 'DISPLAYNAME', 'LINK', 'STATE'],
  cells: (row) => [row.id, row.displayName ?? '-', row.link ?? '-', stateText(row)],
}

export function makeListingCommand<Row extends SyncFields & { id: string }>(ctx: CliContext, kind: ListingKind<Row>): Command {
  return withContextOutput(new Command(kind.command), ctx)
    .summary(`list the ${kind.plural} an IdP provisioned, with their sync state`)
    .description(
      `List the ${kind.plural} the IdP has provisioned to an instance, with their downstream link and sync state: ` +
        'synced, pending (waiting to be reconciled, with its last error if a try failed) or failed (<last error>). ' +
        'Reads the database beside a running serve; never creates it.',
    )
    .argument('<instance>', 'instance id')
    .addOption(configOption())
    .option('--filter <expr>', 'a SCIM filter (RFC 7644 §3.4.2.2), as an IdP would send it')
    .option('--json', 'print a JSON array instead of a table')
    .addHelpText(
      'after',
      `\nExamples:\n  $ scimify ${kind.command} demo\n  $ scimify ${kind.command} demo --filter '${kind.example}' --json\n`,
    )
    .action(async (instanceId: string, options: { config?: string; filter?: string; json?: boolean }) => {
      const loaded = loadConfigForCommand(ctx, options.config)
      const instance = loaded && findInstance(ctx, loaded.config, instanceId)
      if (!loaded || !instance) return
      let filter: Filter | undefined
      try {
        filter = options.filter === undefined ? undefined : parseFilter(options.filter)
      } catch (error) {
        return fail(ctx, `invalid --filter: ${(error as Error).message}`)
      }

      const rows = await withExistingDatabase(ctx, loaded, (app) => {
        try {
          return listResources(app, ctx, instance, kind, filter)
        } catch (error) {
          if (!(error instanceof ScimError)) throw error
          fail(ctx, `invalid --filter: ${error.message}`)
          return undefined
        }
      })
      if (!rows) return
      ctx.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : formatTable([kind.header, ...rows.map(kind.cells)]))
    })
}

const PAGE_SIZE = 500

/** Every matching resource, page by page, with its sync state. */
function listResources<Row extends SyncFields & { id: string }>(
  app: App,
  ctx: CliContext,
  instance: InstanceConfig,
  kind: ListingKind<Row>,
  filter: Filter | undefined,
): Row[] {
  const resourceType = schemasOfInstance(instance, ctx.registry)[kind.type]
  const links = new Map(app.syncState.links(instance.id, kind.type).map((link) => [link.id, link]))
  const queue = new Map(app.syncState.queueEntries(instance.id).filter((entry) => entry.type === kind.type).map((entry) => [entry.id, entry]))
  const rows: Row[] = []
  let cursor: string | undefined = ''
  while (cursor !== undefined) {
    const page = app.store.list(instance.id, kind.type, { filter, resourceType, paging: { kind: 'cursor', cursor, count: PAGE_SIZE } })
    for (const resource of page.resources) rows.push(kind.row(resource, syncFields(links.get(resource.id), queue.get(resource.id))))
    cursor = page.nextCursor
  }
  return rows
}

/** failed when the link says so; pending while a queue entry (or a pending link) waits; else synced. */
export function syncFields(link: SyncLink | undefined, entry: QueueEntry | undefined): SyncFields {
  const fields = { link: link?.downstream?.id ?? null }
  if (link?.status === 'failed') return { ...fields, state: 'failed', error: link.lastError ?? entry?.lastError ?? null }
  if (entry || link?.status === 'pending') return { ...fields, state: 'pending', error: entry?.lastError ?? link?.lastError ?? null }
  return { ...fields, state: 'synced', error: null }
}

function stateText({ state, error }: SyncFields): string {
  return error === null ? state : `${state} (${oneLine(error)})`
}
