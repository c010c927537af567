/**
 * @module Where a user stands in the organization now (a member, a pending
 * invitation, or neither), found from its link and email, and the links
 * the engine keeps for each: the member's node id, or `invitation:<id>`.
 */
import type { DownstreamLink } from '../../src/connector/types'
import { allPages, INVITATION_PAGE_SIZE, PAGE_SIZE, type GraphqlClient, type Page } from './client'
import { INVITED_USER, MEMBER_BY_EMAIL, MEMBER_BY_ID, MEMBER_TEAMS, PENDING_INVITATIONS } from './documents'
import type { OrgRole } from './extension'

export interface MemberNode {
  id: string
  role: OrgRole
  user: { id: string; email: string; name?: string }
}

export interface InvitationNode {
  id: string
  email: string
  state: 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED'
  role: OrgRole
  teams?: Page<{ role: string; team: { id: string } }> | null
}

export type Standing =
  | { kind: 'member'; member: MemberNode }
  | { kind: 'invited'; invitation: InvitationNode }
  | { kind: 'absent' }

const INVITATION_PREFIX = 'invitation:'

export function memberLink(member: MemberNode): DownstreamLink {
  return { id: member.id, data: { userId: member.user.id, email: member.user.email } }
}

export function invitationLink(invitation: InvitationNode): DownstreamLink {
  return { id: `${INVITATION_PREFIX}${invitation.id}`, data: { email: invitation.email, role: invitation.role } }
}

/** The invitation node id of an `invitation:<id>` link. */
export function invitationIdOf(link: DownstreamLink | undefined): string | undefined {
  return link?.id.startsWith(INVITATION_PREFIX) ? link.id.slice(INVITATION_PREFIX.length) : undefined
}

/** Ids of the teams an invitation puts its invitee in on acceptance. */
export function invitationTeamIds(invitation: InvitationNode): string[] {
  return (invitation.teams?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node.team.id] : []))
}

/** The member whose primary email is `email` (Buildkite filters; the exact match is checked here). */
export async function findMember(client: GraphqlClient, email: string): Promise<MemberNode | undefined> {
  const data = await client.request<{ organization: { members: Page<MemberNode> } | null }>(MEMBER_BY_EMAIL, { slug: client.org, email })
  return exactMember(data.organization?.members, email)
}

function exactMember(page: Page<MemberNode> | undefined, email: string): MemberNode | undefined {
  const nodes = (page?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []))
  return nodes.find((node) => node.user.email.toLowerCase() === email.toLowerCase())
}

/** A pending invitation to `email`, read through every page (no filter by email exists). */
export async function findPendingInvitation(client: GraphqlClient, email: string): Promise<InvitationNode | undefined> {
  const all = await pendingInvitations(client)
  return all.find((invitation) => invitation.email.toLowerCase() === email.toLowerCase())
}

export function pendingInvitations(client: GraphqlClient): Promise<InvitationNode[]> {
  return allPages((after) =>
    client
      .request<{ organization: { invitations: Page<InvitationNode> } | null }>(PENDING_INVITATIONS, { slug: client.org, first: INVITATION_PAGE_SIZE, after })
      .then((data) => data.organization?.invitations),
  )
}

/**
 * Where the user behind `link` stands. An invitation link follows the
 * invitation (accepted: the member with its email); a member link the member
 * (gone: a member with the same email, who may have joined again); no link,
 * a member with the email.
 */
export async function standingOf(client: GraphqlClient, link: DownstreamLink | undefined, email: string): Promise<Standing> {
  const invitationId = invitationIdOf(link)
  if (invitationId) {
    const data = await client.request<{ organization: { members: Page<MemberNode> } | null; node: Partial<InvitationNode> | null }>(
      INVITED_USER,
      { slug: client.org, email, invitation: invitationId },
    )
    const member = exactMember(data.organization?.members, email)
    if (member) return { kind: 'member', member }
    const invitation = data.node?.state ? (data.node as InvitationNode) : undefined
    return invitation?.state === 'PENDING' ? { kind: 'invited', invitation } : { kind: 'absent' }
  }
  if (link) {
    const data = await client.request<{ node: Partial<MemberNode> | null }>(MEMBER_BY_ID, { id: link.id })
    if (data.node?.user) return { kind: 'member', member: data.node as MemberNode }
  }
  const member = await findMember(client, email)
  return member ? { kind: 'member', member } : { kind: 'absent' }
}

export interface TeamMembership {
  id: string
  role: 'MEMBER' | 'MAINTAINER'
  team: { id: string }
}

/** The member's membership of a team, if any. */
export async function teamMembership(client: GraphqlClient, memberId: string, teamId: string): Promise<TeamMembership | undefined> {
  const memberships = await allPages((after) =>
    client
      .request<{ node: { teams?: Page<TeamMembership> } | null }>(MEMBER_TEAMS, { id: memberId, first: PAGE_SIZE, after })
      .then((data) => data.node?.teams),
  )
  return memberships.find((membership) => membership.team.id === teamId)
}
