/**
 * @module What the fake GitHub does for each operation of the description,
 * by operationId, on its in-memory state. Behaviour follows GitHub's docs:
 * removing a member drops their team memberships, deleting a membership of
 * an invitee cancels the invitation, adding a non-member to a team invites
 * them, renaming a team changes its slug.
 */
import * as body from './representations'
import type { Site } from './representations'
import type { GithubState } from './state'

export interface FakeRequest {
  method: string
  operationId: string
  params: Record<string, string>
  query: Record<string, string>
  headers: Record<string, string>
  body: any
  url: URL
}

export interface FakeResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export type Handler = (request: FakeRequest) => FakeResponse

const notFound = (): FakeResponse => ({ status: 404, body: body.basicError('Not Found') })
const invalid = (message: string, code = 'custom', field?: string): FakeResponse => ({
  status: 422,
  body: body.validationError('Validation Failed', [{ resource: 'OrganizationInvitation', code, ...(field ? { field } : {}), message }]),
})

export function createHandlers(state: GithubState, site: Site): Record<string, Handler> {
  const account = (login: string) => state.account(login)
  const teamOf = (request: FakeRequest) => state.teamBySlug(request.params.team_slug)
  const inviter = () => state.inviter

  return {
    'orgs/get': () => ({ status: 200, body: body.organizationFull(site) }),

    'orgs/list-pending-invitations': (request) =>
      paginate(request, [...state.invitations.values()].map((invitation) => body.orgInvitation(site, invitation, inviter()))),

    'orgs/list-failed-invitations': (request) => paginate(request, state.failedInvitations.map((invitation) => body.orgInvitation(site, invitation, inviter()))),

    'orgs/create-invitation': (request) => {
      const { invitee_id: inviteeId, email, role = 'direct_member', team_ids: teamIds = [] } = request.body ?? {}
      if (inviteeId === undefined && !email) return invalid('Either invitee_id or email is required', 'missing_field')
      const invitee = inviteeId !== undefined ? state.accountById(inviteeId) : state.accountByEmail(email)
      if (inviteeId !== undefined && !invitee) return invalid('Invitee must be a valid GitHub user', 'invalid', 'invitee_id')
      if (invitee && state.isMember(invitee.login)) return invalid('Invitee is already a part of this organization')
      const duplicate = [...state.invitations.values()].some(
        (pending) => (invitee && pending.login?.toLowerCase() === invitee.login.toLowerCase()) || (email && pending.email === String(email).toLowerCase()),
      )
      if (duplicate) return invalid('Invitee has already been invited')
      if (state.invitationsSent >= state.invitationCap) return invalid('Over invitation rate limit')
      const invitation = state.createInvitation(inviteeId !== undefined ? { account: invitee } : { email }, role, teamIds)
      return { status: 201, body: body.orgInvitation(site, invitation, inviter()) }
    },

    'orgs/cancel-invitation': (request) => (state.invitations.delete(Number(request.params.invitation_id)) ? { status: 204 } : notFound()),

    'orgs/list-members': (request) => {
      const role = request.query.role ?? 'all'
      const members = [...state.members].filter(([, memberRole]) => role === 'all' || role === memberRole).map(([login]) => account(login)!)
      return paginate(request, members.sort((a, b) => a.id - b.id).map((member) => body.simpleUser(site, member)))
    },

    'orgs/get-membership-for-user': (request) => {
      const who = account(request.params.username)
      if (!who) return notFound()
      const role = state.members.get(who.login.toLowerCase())
      if (role) return { status: 200, body: body.orgMembership(site, who, 'active', role) }
      const pending = state.pendingFor(who.login)
      if (pending) return { status: 200, body: body.orgMembership(site, who, 'pending', pending.role === 'admin' ? 'admin' : 'member') }
      return notFound()
    },

    'orgs/set-membership-for-user': (request) => {
      const who = account(request.params.username)
      if (!who) return notFound()
      const role = request.body?.role ?? 'member'
      if (state.isMember(who.login)) {
        state.members.set(who.login.toLowerCase(), role)
        return { status: 200, body: body.orgMembership(site, who, 'active', role) }
      }
      // GitHub: setting the membership of a non-member invites them.
      const pending = state.pendingFor(who.login) ?? state.createInvitation({ account: who }, role === 'admin' ? 'admin' : 'direct_member')
      pending.role = role === 'admin' ? 'admin' : 'direct_member'
      return { status: 200, body: body.orgMembership(site, who, 'pending', role) }
    },

    'orgs/remove-membership-for-user': (request) => {
      const login = request.params.username
      if (state.removeMember(login)) return { status: 204 }
      const pending = state.pendingFor(login)
      if (pending) {
        state.invitations.delete(pending.id)
        return { status: 204 }
      }
      return notFound()
    },

    'teams/list': (request) => paginate(request, [...state.teams.values()].sort((a, b) => a.id - b.id).map((team) => body.team(site, team))),

    'teams/create': (request) => {
      const { name, description, privacy } = request.body ?? {}
      if (!name) return invalid('name is required', 'missing_field', 'name')
      if (state.teamNamed(name)) return { status: 422, body: body.validationError('Validation Failed', [{ resource: 'Team', code: 'already_exists', field: 'name' }]) }
      const team = state.createTeam(name, { description, privacy: privacy ?? 'secret' })
      return { status: 201, body: body.teamFull(site, team) }
    },

    'teams/get-by-name': (request) => {
      const team = teamOf(request)
      return team ? { status: 200, body: body.teamFull(site, team) } : notFound()
    },

    'teams/update-in-org': (request) => {
      const team = teamOf(request)
      if (!team) return notFound()
      const { name, description, privacy } = request.body ?? {}
      if (name !== undefined) {
        const other = state.teamNamed(name)
        if (other && other !== team) return { status: 422, body: body.validationError('Validation Failed', [{ resource: 'Team', code: 'already_exists', field: 'name' }]) }
        state.renameTeam(team, name)
      }
      if (description !== undefined) team.description = description
      if (privacy !== undefined) team.privacy = privacy
      return { status: 200, body: body.teamFull(site, team) }
    },

    'teams/delete-in-org': (request) => {
      const team = teamOf(request)
      if (!team) return notFound()
      state.teams.delete(team.id)
      return { status: 204 }
    },

    'teams/list-members-in-org': (request) => {
      const team = teamOf(request)
      if (!team) return notFound()
      const role = request.query.role ?? 'all'
      const members = [...team.members].filter(([, teamRole]) => role === 'all' || role === teamRole).map(([login]) => account(login)!)
      return paginate(request, members.map((member) => body.simpleUser(site, member)))
    },

    'teams/add-or-update-membership-for-user-in-org': (request) => {
      const team = teamOf(request)
      if (!team) return notFound()
      const who = account(request.params.username)
      if (!who) return notFound()
      const role = request.body?.role ?? 'member'
      if (state.isMember(who.login)) {
        team.members.set(who.login.toLowerCase(), role)
        return { status: 200, body: body.teamMembership(site, team, who.login, role, 'active') }
      }
      // GitHub: a user outside the organization is invited to it, with the team.
      const pending = state.pendingFor(who.login) ?? state.createInvitation({ account: who }, 'direct_member')
      if (!pending.teamIds.includes(team.id)) pending.teamIds.push(team.id)
      return { status: 200, body: body.teamMembership(site, team, who.login, role, 'pending') }
    },

    'teams/remove-membership-for-user-in-org': (request) => {
      const team = teamOf(request)
      if (!team) return notFound()
      team.members.delete(request.params.username.toLowerCase())
      return { status: 204 }
    },

    'users/get-by-username': (request) => {
      const who = account(request.params.username)
      return who ? { status: 200, body: body.publicUser(site, who) } : notFound()
    },
  }
}

/** GitHub's paging: `per_page` (default 30, at most 100) and `page`, with a Link header to the next and last pages. */
export function paginate<T>(request: FakeRequest, items: T[]): FakeResponse {
  const perPage = Math.min(100, Math.max(1, Number(request.query.per_page ?? 30)))
  const current = Math.max(1, Number(request.query.page ?? 1))
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const link = (pageNumber: number, rel: string) => {
    const url = new URL(request.url)
    url.searchParams.set('per_page', String(perPage))
    url.searchParams.set('page', String(pageNumber))
    return `<${url.href}>; rel="${rel}"`
  }
  const links = [
    ...(current > 1 ? [link(current - 1, 'prev'), link(1, 'first')] : []),
    ...(current < last ? [link(current + 1, 'next'), link(last, 'last')] : []),
  ]
  return { status: 200, body: items.slice((current - 1) * perPage, current * perPage), headers: links.length > 0 ? { link: links.join(', ') } : {} }
}
