/**
 * @module The fake Buildkite organization's in-memory state: users, members,
 * invitations, teams and team members, with the rules the real service keeps
 * (what the mutations check), and what a person does by hand in the web UI
 * (accepting an invitation, removing a team member), for tests.
 */
import { GraphQLError } from 'graphql'

export type OrgRole = 'ADMIN' | 'MEMBER'
export type TeamRole = 'MEMBER' | 'MAINTAINER'
export type InvitationState = 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED'

export interface FakeUser { id: string; uuid: string; email: string; name: string }
export interface FakeMember { id: string; uuid: string; userId: string; role: OrgRole; createdAt: string; ssoMode: string | null }
export interface FakeInvitation {
  id: string
  uuid: string
  email: string
  role: OrgRole
  state: InvitationState
  ssoMode: string | null
  teams: { id: string; teamId: string; role: TeamRole }[]
  createdAt: string
  acceptedBy?: string
}
export interface FakeTeam {
  id: string
  uuid: string
  slug: string
  name: string
  description: string | null
  privacy: 'VISIBLE' | 'SECRET'
  defaultMemberRole: TeamRole
  isDefaultTeam: boolean
  createdAt: string
}
export interface FakeTeamMember { id: string; uuid: string; teamId: string; memberId: string; role: TeamRole; createdAt: string }

/** A mutation the real service refuses: becomes an `errors[]` entry with HTTP 200. */
export const refuse = (message: string) => new GraphQLError(message)

export class FakeOrganization {
  readonly id: string
  readonly uuid: string
  readonly users = new Map<string, FakeUser>()
  readonly members = new Map<string, FakeMember>()
  readonly invitations = new Map<string, FakeInvitation>()
  readonly teams = new Map<string, FakeTeam>()
  readonly teamMembers = new Map<string, FakeTeamMember>()
  /** Organization permissions the token's owner lacks (all are allowed unless listed). */
  readonly deniedPermissions = new Set<string>()
  /** The token's owner: an administrator, as the connector needs. */
  readonly viewer: FakeUser
  private counter = 0

  constructor(readonly slug: string, readonly name = 'Acme Inc') {
    ;({ id: this.id, uuid: this.uuid } = this.newId('Organization'))
    this.viewer = this.addMember('admin@acme.test', 'ADMIN', 'Token Owner').user
  }

  /** Buildkite node ids are base64 of `<Type>---<uuid>`; these are deterministic. */
  newId(type: string): { id: string; uuid: string } {
    const uuid = `00000000-0000-4000-8000-${String(++this.counter).padStart(12, '0')}`
    return { id: btoa(`${type}---${uuid}`), uuid }
  }

  /** A clock that moves one second per event, so ordering is stable. */
  now(): string {
    return new Date(Date.UTC(2026, 0, 1) + this.counter * 1000).toISOString()
  }

  // ---- lookups ----

  userByEmail(email: string): FakeUser | undefined {
    return [...this.users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase())
  }

  memberOfUser(userId: string): FakeMember | undefined {
    return [...this.members.values()].find((m) => m.userId === userId)
  }

  memberByEmail(email: string): FakeMember | undefined {
    const user = this.userByEmail(email)
    return user && this.memberOfUser(user.id)
  }

  pendingInvitation(email: string): FakeInvitation | undefined {
    return [...this.invitations.values()].find((i) => i.state === 'PENDING' && i.email.toLowerCase() === email.toLowerCase())
  }

  teamBySlug(slug: string): FakeTeam | undefined {
    return [...this.teams.values()].find((t) => t.slug === slug)
  }

  teamMembersOf(teamId: string): FakeTeamMember[] {
    return [...this.teamMembers.values()].filter((tm) => tm.teamId === teamId)
  }

  teamsOfMember(memberId: string): FakeTeamMember[] {
    return [...this.teamMembers.values()].filter((tm) => tm.memberId === memberId)
  }

  // ---- what the mutations do, with the service's checks ----

  invite(email: string, role: OrgRole, ssoMode: string | null, teams: { id: string; role: TeamRole }[]): FakeInvitation {
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw refuse(`${email} is not a valid email address`)
    if (this.memberByEmail(email)) throw refuse(`${email} is already a member of this organization`)
    if (this.pendingInvitation(email)) throw refuse(`${email} has already been invited to this organization`)
    for (const team of teams) if (!this.teams.has(team.id)) throw refuse(`No team found with ID ${team.id}`)
    const invitation: FakeInvitation = {
      ...this.newId('OrganizationInvitation'),
      email,
      role,
      state: 'PENDING',
      ssoMode,
      teams: teams.map((t) => ({ id: this.newId('OrganizationInvitationTeamAssignment').id, teamId: t.id, role: t.role })),
      createdAt: this.now(),
    }
    this.invitations.set(invitation.id, invitation)
    return invitation
  }

  revoke(id: string): FakeInvitation {
    const invitation = this.invitations.get(id)
    if (!invitation) throw refuse(`No invitation found with ID ${id}`)
    if (invitation.state !== 'PENDING') throw refuse(`This invitation has already been ${invitation.state.toLowerCase()}`)
    invitation.state = 'REVOKED'
    return invitation
  }

  removeMember(id: string): FakeMember {
    const member = this.members.get(id)
    if (!member) throw refuse(`No organization member found with ID ${id}`)
    if (member.userId === this.viewer.id) throw refuse('You cannot remove yourself from the organization')
    // Team members are organization members: leaving the organization leaves every team.
    for (const tm of this.teamsOfMember(id)) this.teamMembers.delete(tm.id)
    this.members.delete(id)
    return member
  }

  createTeam(input: { name: string; description?: string | null; privacy: FakeTeam['privacy']; defaultMemberRole: TeamRole; isDefaultTeam: boolean }): FakeTeam {
    this.checkTeamName(input.name)
    const base = input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'team'
    let slug = base
    for (let n = 2; this.teamBySlug(slug); n++) slug = `${base}-${n}`
    const team: FakeTeam = { ...this.newId('Team'), slug, description: null, createdAt: this.now(), ...input }
    this.teams.set(team.id, team)
    return team
  }

  checkTeamName(name: string, except?: string): void {
    if (name.trim() === '') throw refuse("Name can't be blank")
    const taken = [...this.teams.values()].some((t) => t.id !== except && t.name.toLowerCase() === name.toLowerCase())
    if (taken) throw refuse('Name has already been taken')
  }

  deleteTeam(id: string): FakeTeam {
    const team = this.teams.get(id)
    if (!team) throw refuse(`No team found with ID ${id}`)
    for (const tm of this.teamMembersOf(id)) this.teamMembers.delete(tm.id)
    for (const invitation of this.invitations.values()) invitation.teams = invitation.teams.filter((t) => t.teamId !== id)
    this.teams.delete(id)
    return team
  }

  addTeamMember(teamId: string, userId: string, role: TeamRole | null | undefined): FakeTeamMember {
    const team = this.teams.get(teamId)
    if (!team) throw refuse(`No team found with ID ${teamId}`)
    // teamMemberCreate takes a User id; an OrganizationMember id is a different node.
    if (!this.users.has(userId)) throw refuse(`No user found with ID ${userId}`)
    const member = this.memberOfUser(userId)
    if (!member) throw refuse('The user is not a member of this organization')
    if (this.teamMembersOf(teamId).some((tm) => tm.memberId === member.id)) throw refuse('The user is already a member of this team')
    const teamMember: FakeTeamMember = { ...this.newId('TeamMember'), teamId, memberId: member.id, role: role ?? team.defaultMemberRole, createdAt: this.now() }
    this.teamMembers.set(teamMember.id, teamMember)
    return teamMember
  }

  // ---- by hand, as people do in the web UI ----

  /** Someone joins by hand (or was there before scimify). */
  addMember(email: string, role: OrgRole = 'MEMBER', name = email.split('@')[0]): { user: FakeUser; member: FakeMember } {
    const user = this.userByEmail(email) ?? { ...this.newId('User'), email, name }
    this.users.set(user.id, user)
    const member: FakeMember = { ...this.newId('OrganizationMember'), userId: user.id, role, createdAt: this.now(), ssoMode: null }
    this.members.set(member.id, member)
    return { user, member }
  }

  /** The invitee follows the link: a member with the invitation's role, in the invitation's teams. */
  acceptInvitation(email: string): FakeMember {
    const invitation = this.pendingInvitation(email)
    if (!invitation) throw new Error(`no pending invitation for ${email}`)
    const { user, member } = this.addMember(email, invitation.role)
    member.ssoMode = invitation.ssoMode
    for (const assignment of invitation.teams) this.addTeamMember(assignment.teamId, user.id, assignment.role)
    invitation.state = 'ACCEPTED'
    invitation.acceptedBy = user.id
    return member
  }

  /** Removes a team membership by hand (drift). */
  removeTeamMemberByHand(teamSlug: string, email: string): void {
    const team = this.teamBySlug(teamSlug)
    const member = this.memberByEmail(email)
    const tm = team && member && this.teamMembersOf(team.id).find((t) => t.memberId === member.id)
    if (!tm) throw new Error(`${email} is not in team ${teamSlug}`)
    this.teamMembers.delete(tm.id)
  }

  addTeamByHand(name: string): FakeTeam {
    return this.createTeam({ name, privacy: 'VISIBLE', defaultMemberRole: 'MEMBER', isDefaultTeam: false })
  }

  addTeamMemberByHand(teamSlug: string, email: string, role: TeamRole = 'MEMBER'): void {
    const team = this.teamBySlug(teamSlug)
    const user = this.userByEmail(email)
    if (!team || !user) throw new Error(`no team ${teamSlug} or user ${email}`)
    this.addTeamMember(team.id, user.id, role)
  }

  /**
   * The whole organization as comparable text: members (`email ROLE`),
   * pending invitations (`email ROLE`), and each team's members
   * (`email ROLE`), all sorted. The token's owner is left out.
   */
  snapshot() {
    const email = (memberId: string) => this.users.get(this.members.get(memberId)!.userId)!.email
    const members = [...this.members.values()].filter((m) => m.userId !== this.viewer.id)
    return {
      members: members.map((m) => `${email(m.id)} ${m.role}`).sort(),
      invitations: [...this.invitations.values()].filter((i) => i.state === 'PENDING').map((i) => `${i.email} ${i.role}`).sort(),
      teams: Object.fromEntries(
        [...this.teams.values()]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((t) => [t.name, this.teamMembersOf(t.id).map((tm) => `${email(tm.memberId)} ${tm.role}`).sort()]),
      ),
    }
  }
}
