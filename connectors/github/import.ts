/**
 * @module What the organization holds, for `scimify import` and the full
 * reconcile's drift check: members and pending invitations as users (by
 * login, or `invitation:<id>` while GitHub has not tied one to an account),
 * teams as groups with their members' logins.
 */
import type { DownstreamObject } from '../../src/connector/types'
import type { Invitation, Org } from './org'
import { orgPath } from './org'
import { teamLink, type Team } from './teams'
import { memberLink } from './users'

export async function listUsers(org: Org): Promise<DownstreamObject[]> {
  const members = await org.github.list<{ login: string }>(orgPath(org, '/members'))
  const invitations = await org.github.list<Invitation>(orgPath(org, '/invitations'))
  return [
    ...members.map((member) => ({ link: memberLink({ login: member.login }), userName: member.login })),
    ...invitations.map((invitation) => ({
      link: memberLink({ login: invitation.login ?? undefined, invitationId: invitation.id, email: invitation.email ?? undefined }),
      ...(invitation.login ? { userName: invitation.login } : {}),
      ...(invitation.email ? { emails: [invitation.email] } : {}),
    })),
  ]
}

export async function listGroups(org: Org): Promise<DownstreamObject[]> {
  const teams = await org.github.list<Team>(orgPath(org, '/teams'))
  const groups: DownstreamObject[] = []
  for (const team of teams) {
    const members = await org.github.list<{ login: string }>(orgPath(org, `/teams/${encodeURIComponent(team.slug)}/members`))
    groups.push({ link: teamLink(team), displayName: team.name, memberIds: members.map((member) => member.login) })
  }
  return groups
}
