/**
 * @module Groups as teams (`teamCreate`, `teamUpdate`, `teamDelete`, or a
 * team linked by slug) and their members (`teamMemberCreate`,
 * `teamMemberUpdate`, `teamMemberDelete`). A member whose invitation is
 * still pending joins on acceptance: through the invitation's teams when it
 * carries this one, else the operation is retried after `invitation_recheck`.
 */
import { RetryableError } from '../../src/connector/errors'
import type { DownstreamLink, OperationResult, SyncOperation } from '../../src/connector/types'
import { allPages, PAGE_SIZE, type Page } from './client'
import type { ConnectorContext } from './context'
import { ADD_TEAM_MEMBER, CREATE_TEAM, DELETE_TEAM, REMOVE_TEAM_MEMBER, TEAM_BY_ID, TEAM_BY_SLUG, TEAMS_NAMED, UPDATE_TEAM, UPDATE_TEAM_MEMBER } from './documents'
import { emailOf } from './extension'
import { invitationTeamIds, standingOf, teamMembership } from './lookup'
import { teamRole } from './users'

type GroupOperation = Extract<SyncOperation, { type: `group.${string}` }>
type MembershipOperation = Extract<SyncOperation, { type: 'group.member_added' | 'group.member_removed' }>

interface TeamNode {
  id: string
  slug: string
  name: string
  privacy: 'VISIBLE' | 'SECRET'
  defaultMemberRole: 'MEMBER' | 'MAINTAINER'
  isDefaultTeam: boolean
}

export async function applyGroupOperation(context: ConnectorContext, operation: GroupOperation): Promise<OperationResult> {
  if (operation.link && operation.resource.id) context.teamsByGroup.set(operation.resource.id, operation.link.id)
  switch (operation.type) {
    case 'group.created': {
      const link = await createOrLink(context, String(operation.resource.displayName ?? ''))
      if (operation.resource.id) context.teamsByGroup.set(operation.resource.id, link.id)
      return { link }
    }
    case 'group.updated':
      return rename(context, teamLinkOf(operation), String(operation.resource.displayName ?? ''))
    case 'group.deleted':
      context.teamsByGroup.delete(operation.resource.id)
      return remove(context, operation)
    case 'group.member_added':
      return addMember(context, operation)
    case 'group.member_removed':
      return removeMember(context, operation)
  }
}

/** The team mapped in `team_slugs`, else the team with this exact name (made by a first attempt, or by hand), else a new one. */
async function createOrLink(context: ConnectorContext, name: string): Promise<DownstreamLink> {
  if (!name.trim()) throw new Error('the group has no displayName to name its Buildkite team')
  const { client, settings } = context
  const slug = settings.team_slugs[name]
  if (slug) {
    const data = await client.request<{ team: TeamNode | null }>(TEAM_BY_SLUG, { slug: `${client.org}/${slug}` })
    if (!data.team) throw new Error(`team_slugs links "${name}" to team "${slug}", which ${client.org} does not have`)
    return teamLink(data.team, true)
  }
  const named = await allPages((after) =>
    client
      .request<{ organization: { teams: Page<TeamNode> | null } | null }>(TEAMS_NAMED, { slug: client.org, name, first: PAGE_SIZE, after })
      .then((data) => data.organization?.teams),
  )
  const existing = named.find((team) => team.name === name)
  if (existing) return teamLink(existing, false)
  const role = teamRole(context)
  const input = {
    organizationID: await client.organizationId(),
    name,
    privacy: settings.team_privacy === 'secret' ? 'SECRET' : 'VISIBLE',
    defaultMemberRole: role,
    isDefaultTeam: false,
  }
  const data = await client.request<{ teamCreate: { teamEdge: { node: TeamNode | null } } | null }>(CREATE_TEAM, { input })
  const team = data.teamCreate?.teamEdge.node
  if (!team) throw new Error(`Buildkite answered the creation of team "${name}" without a team`)
  return teamLink(team, false)
}

function teamLink(team: TeamNode, linked: boolean): DownstreamLink {
  return { id: team.id, data: { slug: team.slug, ...(linked ? { linkedBySlug: true } : {}) } }
}

/** A team linked by slug keeps its own name; one scimify made follows the group's. */
async function rename(context: ConnectorContext, link: DownstreamLink, name: string): Promise<OperationResult> {
  if (link.data?.linkedBySlug) return {}
  const team = await findTeam(context, link)
  if (!team) throw new Error(`team ${String(link.data?.slug ?? link.id)} is gone from Buildkite; the next full reconcile makes it again`)
  if (team.name === name) return {}
  // teamUpdate requires the role and default-team flag too: the team's own values are sent back unchanged.
  const input = { id: team.id, name, privacy: team.privacy, defaultMemberRole: team.defaultMemberRole, isDefaultTeam: team.isDefaultTeam }
  await context.client.request(UPDATE_TEAM, { input })
  return {}
}

/** A team scimify made is deleted; a team linked by slug is only let go. */
async function remove(context: ConnectorContext, operation: GroupOperation): Promise<OperationResult> {
  if (!operation.link || operation.link.data?.linkedBySlug) return { link: null }
  const team = await findTeam(context, operation.link)
  if (team) await context.client.request(DELETE_TEAM, { id: team.id })
  return { link: null }
}

async function addMember(context: ConnectorContext, operation: MembershipOperation): Promise<OperationResult> {
  const teamId = teamLinkOf(operation).id
  const { email, standing } = await memberStanding(context, operation)
  const role = teamRole(context)
  if (standing.kind === 'member') {
    const existing = await teamMembership(context.client, standing.member.id, teamId)
    if (!existing) await context.client.request(ADD_TEAM_MEMBER, { teamID: teamId, userID: standing.member.user.id, role })
    // A membership scimify manages has the configured role.
    else if (existing.role !== role) await context.client.request(UPDATE_TEAM_MEMBER, { id: existing.id, role })
    return {}
  }
  if (standing.kind === 'invited' && !invitationTeamIds(standing.invitation).includes(teamId)) {
    throw new RetryableError(`${email} has not accepted the Buildkite invitation yet; joins the team once they do`, {
      retryAfterMs: context.settings.invitation_recheck,
    })
  }
  // Invited with this team: Buildkite adds them on acceptance. Absent (revoked, expired, removed): nothing to add.
  return {}
}

async function removeMember(context: ConnectorContext, operation: MembershipOperation): Promise<OperationResult> {
  const teamId = teamLinkOf(operation).id
  const { email, standing } = await memberStanding(context, operation)
  if (standing.kind === 'member') {
    const existing = await teamMembership(context.client, standing.member.id, teamId)
    if (existing) await context.client.request(REMOVE_TEAM_MEMBER, { id: existing.id })
  }
  if (standing.kind === 'invited' && invitationTeamIds(standing.invitation).includes(teamId)) {
    // An invitation's teams cannot be changed: the membership is removed once it exists.
    throw new RetryableError(`${email} was invited into this team and has not accepted yet; leaves it once they do`, {
      retryAfterMs: context.settings.invitation_recheck,
    })
  }
  return {}
}

async function memberStanding(context: ConnectorContext, operation: MembershipOperation) {
  const { link, resource } = operation.member
  const email = typeof link?.data?.email === 'string' ? link.data.email : emailOf(resource)
  return { email, standing: await standingOf(context.client, link, email) }
}

async function findTeam(context: ConnectorContext, link: DownstreamLink): Promise<TeamNode | undefined> {
  const data = await context.client.request<{ node: Partial<TeamNode> | null }>(TEAM_BY_ID, { id: link.id })
  return data.node?.slug ? (data.node as TeamNode) : undefined
}

function teamLinkOf(operation: GroupOperation): DownstreamLink {
  if (!operation.link) throw new Error(`group ${operation.resource.id} has no Buildkite team linked`)
  return operation.link
}
