/**
 * @module Users as organization members: invited by email
 * (`organizationInvitationCreate`), removed (`organizationMemberDelete`) or
 * uninvited (`organizationInvitationRevoke`), and given their role
 * (`organizationMemberUpdate`).
 */
import type { OperationResult, ScimResourceJson, SyncOperation } from '../../src/connector/types'
import { BuildkiteError } from './client'
import type { ConnectorContext } from './context'
import { INVITE, REMOVE_MEMBER, REVOKE_INVITATION, UPDATE_MEMBER_ROLE } from './documents'
import { emailOf, orgRoleOf, type OrgRole } from './extension'
import {
  findMember,
  findPendingInvitation,
  invitationLink,
  invitationTeamIds,
  memberLink,
  standingOf,
  type InvitationNode,
  type MemberNode,
} from './lookup'

type UserOperation = Extract<SyncOperation, { type: `user.${string}` }>

export async function applyUserOperation(context: ConnectorContext, operation: UserOperation): Promise<OperationResult> {
  switch (operation.type) {
    case 'user.created':
    case 'user.reactivated':
      return join(context, operation)
    case 'user.updated':
      return update(context, operation)
    case 'user.deactivated':
    case 'user.deleted':
      return leave(context, operation)
  }
}

/**
 * Into the organization: the member with this email if there is one (given
 * the role), else an invitation. A pending invitation to the address (sent
 * by a first attempt whose answer was lost, or by hand) is kept rather than
 * sent twice.
 */
async function join(context: ConnectorContext, operation: UserOperation): Promise<OperationResult> {
  const email = emailOf(operation.resource)
  const role = orgRoleOf(operation.resource)
  const member = await findMember(context.client, email)
  if (member) return { link: memberLink(await withRole(context, member, role)) }
  const sent = context.mayBeReplay(operation) ? await findPendingInvitation(context.client, email) : undefined
  if (sent) return { link: invitationLink(await asWanted(context, sent, email, role)) }
  try {
    return { link: invitationLink(await invite(context, email, role, initialTeams(context, operation.resource))) }
  } catch (error) {
    const pending = error instanceof BuildkiteError ? await findPendingInvitation(context.client, email) : undefined
    if (!pending) throw error
    return { link: invitationLink(await asWanted(context, pending, email, role)) }
  }
}

/** A change of email or role: the member gets the role; a pending invitation is sent again as it should be. */
async function update(context: ConnectorContext, operation: UserOperation): Promise<OperationResult> {
  const email = emailOf(operation.resource)
  const role = orgRoleOf(operation.resource)
  const standing = await standingOf(context.client, operation.link, previousEmail(operation) ?? email)
  switch (standing.kind) {
    // The email of a Buildkite account is its owner's to change; only the role is scimify's.
    case 'member':
      return { link: memberLink(await withRole(context, standing.member, role)) }
    case 'invited':
      return { link: invitationLink(await asWanted(context, standing.invitation, email, role)) }
    case 'absent':
      // Gone from the organization (removed by hand, or the invitation expired): the IdP still wants the user in.
      return join(context, operation)
  }
}

/** The invitation if it goes to `email` with `role`; else (an invitation cannot be changed) revoked and sent again, to the same teams. */
async function asWanted(context: ConnectorContext, invitation: InvitationNode, email: string, role: OrgRole): Promise<InvitationNode> {
  if (invitation.email.toLowerCase() === email.toLowerCase() && invitation.role === role) return invitation
  await context.client.request(REVOKE_INVITATION, { id: invitation.id })
  const teams = invitationTeamIds(invitation).map((id) => ({ id, role: teamRole(context) }))
  return invite(context, email, role, teams)
}

/** Out of the organization: the member removed (and with it every team membership), or the invitation revoked. */
async function leave(context: ConnectorContext, operation: UserOperation): Promise<OperationResult> {
  if (!operation.link) return { link: null }
  // A deleted user's resource is its id alone: the email is the one the link was made with.
  const email = previousEmail(operation) ?? emailIfAny(operation.resource)
  const standing = await standingOf(context.client, operation.link, email)
  if (standing.kind === 'member') await context.client.request(REMOVE_MEMBER, { id: standing.member.id })
  if (standing.kind === 'invited') await context.client.request(REVOKE_INVITATION, { id: standing.invitation.id })
  return { link: null }
}

async function withRole(context: ConnectorContext, member: MemberNode, role: OrgRole): Promise<MemberNode> {
  if (member.role === role) return member
  await context.client.request(UPDATE_MEMBER_ROLE, { id: member.id, role })
  return { ...member, role }
}

async function invite(context: ConnectorContext, email: string, role: OrgRole, teams: { id: string; role: string }[]): Promise<InvitationNode> {
  const input: Record<string, unknown> = { organizationID: await context.client.organizationId(), emails: [email], role }
  if (context.settings.sso_mode) input.sso = { mode: context.settings.sso_mode.toUpperCase() }
  if (teams.length > 0) input.teams = teams
  const data = await context.client.request<{ organizationInvitationCreate: { invitationEdges: ({ node: InvitationNode | null } | null)[] | null } | null }>(
    INVITE,
    { input },
  )
  const invitation = data.organizationInvitationCreate?.invitationEdges?.find((edge) => edge?.node)?.node
  if (!invitation) throw new Error(`Buildkite answered the invitation of ${email} without an invitation`)
  return invitation
}

/** The teams of the user's groups that the connector knows: the invitee joins them on acceptance. */
function initialTeams(context: ConnectorContext, resource: ScimResourceJson): { id: string; role: string }[] {
  const groups = Array.isArray(resource.groups) ? (resource.groups as { value?: unknown }[]) : []
  const teamIds = groups.flatMap((group) => {
    const teamId = context.teamsByGroup.get(String(group.value))
    return teamId ? [teamId] : []
  })
  return [...new Set(teamIds)].map((id) => ({ id, role: teamRole(context) }))
}

export function teamRole(context: ConnectorContext): 'MEMBER' | 'MAINTAINER' {
  return context.settings.team_member_role === 'maintainer' ? 'MAINTAINER' : 'MEMBER'
}

/** The email the link was made with: a pending invitation is found by it even when the IdP changed the address. */
function previousEmail(operation: UserOperation): string | undefined {
  const email = operation.link?.data?.email
  return typeof email === 'string' ? email : undefined
}

function emailIfAny(resource: ScimResourceJson): string {
  try {
    return emailOf(resource)
  } catch {
    return ''
  }
}
