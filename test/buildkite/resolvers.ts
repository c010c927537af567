/**
 * @module Resolvers of the fake Buildkite GraphQL API over a FakeOrganization:
 * the root value for `execute` (the Query and Mutation fields the connector
 * uses) and one view per object type. A field without a resolver here
 * resolves to null, so a document that selects a non-null field the fake
 * does not model fails loudly instead of passing by accident.
 */
import { refuse, type FakeInvitation, type FakeMember, type FakeOrganization, type FakeTeam, type FakeTeamMember, type FakeUser } from './state'

type Args = Record<string, any>

/** The most a connection returns in one page. */
export const MAX_PAGE_SIZE = 100

/** A Relay connection over `items`, with opaque cursors (`first`/`after` forward paging). */
export function connection<T extends { id: string }, V>(items: T[], args: Args, view: (item: T) => V) {
  let start = 0
  if (args.after != null) {
    const index = items.findIndex((item) => btoa(`cursor:${item.id}`) === args.after)
    if (index < 0) throw refuse(`Invalid cursor: ${args.after}`)
    start = index + 1
  }
  const size = Math.min(args.first ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE)
  if (size < 0) throw refuse('Argument `first` must be non-negative')
  const page = items.slice(start, start + size)
  const cursor = (item: T) => btoa(`cursor:${item.id}`)
  return {
    count: items.length,
    edges: page.map((item) => ({ cursor: cursor(item), node: view(item) })),
    pageInfo: {
      hasNextPage: start + size < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursor(page[0]) : null,
      endCursor: page.length ? cursor(page[page.length - 1]) : null,
    },
  }
}

const permission = (org: FakeOrganization, name: string) =>
  org.deniedPermissions.has(name)
    ? { allowed: false, code: 'not_admin', message: 'You must be an organization administrator to do this' }
    : { allowed: true, code: null, message: null }

export function views(org: FakeOrganization) {
  const user = (u: FakeUser) => ({ __typename: 'User', id: u.id, uuid: u.uuid, email: u.email, name: u.name, bot: false, machineUser: false, hasPassword: true })

  const organization = () => ({
    __typename: 'Organization',
    id: org.id,
    uuid: org.uuid,
    slug: org.slug,
    name: org.name,
    public: false,
    isTeamsEnabled: true,
    members: (args: Args) => {
      let list = [...org.members.values()]
      if (args.email != null) list = list.filter((m) => org.users.get(m.userId)!.email.toLowerCase() === String(args.email).toLowerCase())
      if (args.role != null) list = list.filter((m) => args.role.includes(m.role))
      return connection(list, args, member)
    },
    invitations: (args: Args) => {
      let list = [...org.invitations.values()]
      if (args.state != null) list = list.filter((i) => args.state.includes(i.state))
      if (args.order === 'EMAIL') list.sort((a, b) => a.email.localeCompare(b.email))
      return connection(list, args, invitation)
    },
    teams: (args: Args) => {
      let list = [...org.teams.values()].sort((a, b) => a.name.localeCompare(b.name))
      if (args.search != null) list = list.filter((t) => t.name.toLowerCase().includes(String(args.search).toLowerCase()))
      return connection(list, args, team)
    },
    permissions: Object.fromEntries(
      ['organizationInvitationCreate', 'organizationMemberUpdate', 'organizationMemberView', 'organizationMemberViewSensitive', 'teamAdmin', 'teamCreate', 'teamView'].map(
        (name) => [name, permission(org, name)],
      ),
    ),
  })

  const member = (m: FakeMember) => ({
    __typename: 'OrganizationMember',
    id: m.id,
    uuid: m.uuid,
    role: m.role,
    createdAt: m.createdAt,
    complimentary: false,
    user: () => user(org.users.get(m.userId)!),
    organization,
    sso: { mode: m.ssoMode },
    teams: (args: Args) => connection(org.teamsOfMember(m.id), args, teamMember),
  })

  const invitation = (i: FakeInvitation) => ({
    __typename: 'OrganizationInvitation',
    id: i.id,
    uuid: i.uuid,
    email: i.email,
    role: i.role,
    state: i.state,
    slug: `${org.slug}/${i.uuid}`,
    createdAt: i.createdAt,
    sso: { mode: i.ssoMode },
    organization,
    acceptedBy: () => (i.acceptedBy ? user(org.users.get(i.acceptedBy)!) : null),
    teams: (args: Args) =>
      connection(i.teams.filter((t) => org.teams.has(t.teamId)), args, (t) => ({ id: t.id, role: t.role, team: team(org.teams.get(t.teamId)!) })),
  })

  const team = (t: FakeTeam) => ({
    __typename: 'Team',
    ...t,
    organization,
    members: (args: Args) => connection(org.teamMembersOf(t.id), args, teamMember),
  })

  const teamMember = (tm: FakeTeamMember) => ({
    __typename: 'TeamMember',
    id: tm.id,
    uuid: tm.uuid,
    role: tm.role,
    createdAt: tm.createdAt,
    team: () => team(org.teams.get(tm.teamId)!),
    organizationMember: () => member(org.members.get(tm.memberId)!),
    user: () => user(org.users.get(org.members.get(tm.memberId)!.userId)!),
  })

  /** Any node by id, as `node(id:)` finds it. */
  const node = (id: string) => {
    const found =
      (org.members.has(id) && member(org.members.get(id)!)) ||
      (org.invitations.has(id) && invitation(org.invitations.get(id)!)) ||
      (org.teams.has(id) && team(org.teams.get(id)!)) ||
      (org.teamMembers.has(id) && teamMember(org.teamMembers.get(id)!)) ||
      (org.users.has(id) && user(org.users.get(id)!)) ||
      (id === org.id && organization())
    return found || null
  }

  return { organization, member, invitation, team, teamMember, user, node }
}

/** The root value: the Query and Mutation fields the connector uses. */
export function rootValue(org: FakeOrganization) {
  const v = views(org)
  const checkOrganization = (id: string) => {
    if (id !== org.id) throw refuse(`No organization found with ID ${id}`)
  }
  const edge = <T extends { id: string }, V>(item: T, view: (item: T) => V) => ({ cursor: btoa(`cursor:${item.id}`), node: view(item) })
  return {
    // Queries
    organization: (args: Args) => (args.slug === org.slug || args.uuid === org.uuid ? v.organization() : null),
    node: (args: Args) => v.node(args.id),
    team: (args: Args) => {
      const [orgSlug, teamSlug] = String(args.slug).split('/')
      const team = orgSlug === org.slug ? org.teamBySlug(teamSlug) : undefined
      return team ? v.team(team) : null
    },
    viewer: () => ({ __typename: 'Viewer', id: btoa(`Viewer---${org.viewer.uuid}`), user: v.user(org.viewer) }),

    // Mutations
    organizationInvitationCreate: ({ input }: Args) => {
      checkOrganization(input.organizationID)
      const teams = (input.teams ?? []) as { id: string; role: 'MEMBER' | 'MAINTAINER' }[]
      const invitations = (input.emails as string[]).map((email) => org.invite(email, input.role ?? 'MEMBER', input.sso?.mode ?? null, teams))
      return { invitationEdges: invitations.map((i) => edge(i, v.invitation)), organization: v.organization() }
    },
    organizationInvitationRevoke: ({ input }: Args) => {
      const invitation = org.revoke(input.id)
      return { organization: v.organization(), organizationInvitation: v.invitation(invitation), organizationInvitationEdge: edge(invitation, v.invitation) }
    },
    organizationMemberDelete: ({ input }: Args) => {
      const member = org.removeMember(input.id)
      return { deletedOrganizationMemberID: member.id, organization: v.organization(), user: v.user(org.users.get(member.userId)!) }
    },
    organizationMemberUpdate: ({ input }: Args) => {
      const member = org.members.get(input.id)
      if (!member) throw refuse(`No organization member found with ID ${input.id}`)
      if (input.role != null) member.role = input.role
      if (input.sso != null) member.ssoMode = input.sso.mode
      return { organizationMember: v.member(member) }
    },
    teamCreate: ({ input }: Args) => {
      checkOrganization(input.organizationID)
      const team = org.createTeam({
        name: input.name,
        description: input.description ?? null,
        privacy: input.privacy,
        defaultMemberRole: input.defaultMemberRole,
        isDefaultTeam: input.isDefaultTeam,
      })
      return { organization: v.organization(), teamEdge: edge(team, v.team) }
    },
    teamUpdate: ({ input }: Args) => {
      const team = org.teams.get(input.id)
      if (!team) throw refuse(`No team found with ID ${input.id}`)
      org.checkTeamName(input.name, team.id)
      Object.assign(team, { name: input.name, defaultMemberRole: input.defaultMemberRole, isDefaultTeam: input.isDefaultTeam })
      if (input.privacy != null) team.privacy = input.privacy
      if (input.description !== undefined) team.description = input.description
      return { team: v.team(team) }
    },
    teamDelete: ({ input }: Args) => {
      const team = org.deleteTeam(input.id)
      return { deletedTeamID: team.id, organization: v.organization() }
    },
    teamMemberCreate: ({ input }: Args) => {
      const teamMember = org.addTeamMember(input.teamID, input.userID, input.role)
      return { team: v.team(org.teams.get(teamMember.teamId)!), teamMemberEdge: edge(teamMember, v.teamMember) }
    },
    teamMemberUpdate: ({ input }: Args) => {
      const teamMember = org.teamMembers.get(input.id)
      if (!teamMember) throw refuse(`No team member found with ID ${input.id}`)
      teamMember.role = input.role
      return { teamMember: v.teamMember(teamMember) }
    },
    teamMemberDelete: ({ input }: Args) => {
      const teamMember = org.teamMembers.get(input.id)
      if (!teamMember) throw refuse(`No team member found with ID ${input.id}`)
      org.teamMembers.delete(teamMember.id)
      return { deletedTeamMemberID: teamMember.id, team: v.team(org.teams.get(teamMember.teamId)!) }
    },
  }
}
