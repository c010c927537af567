/** @module `scimify groups`: the groups an IdP has provisioned to an instance, with their sync state. */
import type { Command } from 'commander'
import type { CliContext } from './context'
import { groupListing, makeListingCommand } from './resource-listing'

export function makeGroupsCommand(ctx: CliContext): Command {
  return makeListingCommand(ctx, groupListing)
}
