/**
 * @module Lists the organization for `scimify import` and the full
 * reconcile's drift check: members and pending invitations as users, teams
 * with their members (and the invitees they will get) as groups, every
 * connection read page by page. The token's owner is left out, so it can
 * never be pruned.
 */
import type { DownstreamObject } from '../../src/connector/types'
import { allPages, PAGE_SIZE, type GraphqlClient, type Page } from './client'
import { MEMBERS, TEAM_MEMBERS, TEAMS, VIEWER } from './documents'
import { invitationLink, invitationTeamIds, memberLink, pendingInvitations, type MemberNode } from './lookup'

export async function listUsers(client: GraphqlClient): Promise<DownstreamObject[]> {
  const viewer = await client.request<{ viewer: { user: { id: string } | null } | null }>(VIEWER)
  const members = await allPages((after) =>
    client
      .request<{ organization: { members: Page<MemberNode> } | null }>(MEMBERS, { slug: client.org, first: PAGE_SIZE, after })
      .then((data) => organizationOrFail(client, data).members),
  )
  const invitations = await pendingInvitations(client)
  return [
    ...members
      .filter((member) => member.user.id !== viewer.viewer?.user?.id)
      .map((member) => ({ link: memberLink(member), userName: member.user.email, emails: [member.user.email], displayName: member.user.name })),
    ...invitations.map((invitation) => ({ link: invitationLink(invitation), userName: invitation.email, emails: [invitation.email] })),
  ]
}

interface TeamListNode {
  id: string
  slug: string
  name: string
}

export async function listGroups(client: GraphqlClient): Promise<DownstreamObject[]> {
  const teams = await allPages((after) =>
    client
      .request<{ organization: { teams: Page<TeamListNode> | null } | null }>(TEAMS, { slug: client.org, first: PAGE_SIZE, after })
      .then((data) => organizationOrFail(client, data).teams),
  )
  // Invitees count as members of the teams their invitation puts them in: Buildkite adds them on acceptance.
  const invited = new Map<string, string[]>()
  for (const invitation of await pendingInvitations(client)) {
    for (const teamId of invitationTeamIds(invitation)) invited.set(teamId, [...(invited.get(teamId) ?? []), invitationLink(invitation).id])
  }
  const groups: DownstreamObject[] = []
  for (const team of teams) {
    const members = await allPages((after) =>
      client
        .request<{ node: { members?: Page<{ organizationMember: { id: string } | null }> | null } | null }>(TEAM_MEMBERS, { id: team.id, first: PAGE_SIZE, after })
        .then((data) => data.node?.members),
    )
    const memberIds = members.flatMap((member) => (member.organizationMember ? [member.organizationMember.id] : []))
    groups.push({ link: { id: team.id, data: { slug: team.slug } }, displayName: team.name, memberIds: [...memberIds, ...(invited.get(team.id) ?? [])] })
  }
  return groups
}

function organizationOrFail<T>(client: GraphqlClient, data: { organization: T | null }): T {
  if (!data.organization) throw new Error(`Buildkite has no organization "${client.org}" that this token can see`)
  return data.organization
}
