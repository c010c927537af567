/** @module `scimify users`: the users an IdP has provisioned to an instance, with their sync state. */
import type { Command } from 'commander'
import type { CliContext } from './context'
import { makeListingCommand, userListing } from './resource-listing'

export function makeUsersCommand(ctx: CliContext): Command {
  return makeListingCommand(ctx, userListing)
}
