/**
 * @module Groups → teams: create (or link the existing team of that name or
 * slug), rename, delete, and members through team memberships. A member
 * whose invitation is still pending waits (RetryableError): the membership
 * lands once the invitation is accepted. A team deleted by hand is drift,
 * put back by the full reconcile; operations on it do nothing meanwhile.
 */
import { RetryableError } from '../../src/connector/errors'
import type { DownstreamLink, OperationResult, SyncOperation } from '../../src/connector/types'
import { GithubError, type GithubResponse } from './client'
import { desiredMember } from './extension'
import { describeFailure, failedHoldMs, orgPath, resolveMember, type Org } from './org'
import type { ErrorBody } from './rate-limit'
import { identityOf } from './users'

export type GroupOperation = Extract<SyncOperation, { type: `group.${string}` }>
type MemberOperation = Extract<SyncOperation, { type: 'group.member_added' | 'group.member_removed' }>

/** What a link says of a team. */
interface TeamRef {
  id: number
  slug: string
}

/** The fields scimify reads of GitHub's `team`. */
export interface Team extends TeamRef {
  name: string
}

export interface TeamOptions {
  /** How long a membership waits before looking at a pending invitation again. */
  pendingRecheckMs: number
  now: number
}

export function teamLink(team: TeamRef): DownstreamLink {
  return { id: team.slug, data: { teamId: team.id } }
}

export async function applyGroupOperation(org: Org, operation: GroupOperation, options: TeamOptions): Promise<OperationResult> {
  const name = String(operation.resource.displayName ?? '')
  switch (operation.type) {
    case 'group.created':
      return { link: teamLink(await createOrLinkTeam(org, name)) }
    case 'group.updated': {
      const team = await onTeam(org, operation, (slug) => request<Team>(org, 'PATCH', `/teams/${slug}`, { name }))
      if (team === 'gone') return {}
      if (team.response.status === 404) throw new GithubError(404, team.response.data as ErrorBody, `PATCH team ${team.team.slug}`)
      return { link: teamLink(team.response.data) }
    }
    case 'group.deleted':
      await onTeam(org, operation, (slug) => request(org, 'DELETE', `/teams/${slug}`))
      return { link: null }
    case 'group.member_added':
    case 'group.member_removed':
      return applyMembership(org, operation, options)
  }
}

/** The team named (or slugged) like the group when there is one, else a new one. */
async function createOrLinkTeam(org: Org, name: string): Promise<Team> {
  const existing = await teamNamed(org, name)
  if (existing) return existing
  return (await org.github.request<Team>('POST', orgPath(org, '/teams'), { body: { name, privacy: 'closed' } })).data
}

/** The team whose slug is the name's (or the name itself), else whose name is the same but for case. */
async function teamNamed(org: Org, name: string): Promise<Team | undefined> {
  for (const slug of new Set([slugOf(name), name])) {
    if (!/^[a-z0-9-]+$/.test(slug)) continue
    const found = await request<Team>(org, 'GET', `/teams/${slug}`)
    if (found.status === 200) return found.data
  }
  return (await org.github.list<Team>(orgPath(org, '/teams'))).find((team) => team.name.toLowerCase() === name.toLowerCase())
}

async function applyMembership(org: Org, operation: MemberOperation, options: TeamOptions): Promise<OperationResult> {
  const adding = operation.type === 'group.member_added'
  const login = adding ? await activeLogin(org, operation.member, options) : await knownLogin(org, operation.member)
  // Nothing to add for a member no longer in the organization (its user's next change or the full reconcile sees to it).
  if (!login) return {}
  const user = encodeURIComponent(login)
  const team = await onTeam(org, operation, (slug) =>
    adding ? request(org, 'PUT', `/teams/${slug}/memberships/${user}`, { role: 'member' }) : request(org, 'DELETE', `/teams/${slug}/memberships/${user}`),
  )
  if (team === 'gone') return {}
  if (team.response.status === 404 && adding) throw new GithubError(404, team.response.data as ErrorBody, `PUT team ${team.team.slug} membership of ${login}`)
  return team.team.slug === operation.link?.id ? {} : { link: teamLink(team.team) }
}

/** The member's login when they are an active member; waits (RetryableError) while their invitation is pending. */
async function activeLogin(org: Org, member: MemberOperation['member'], options: TeamOptions): Promise<string | undefined> {
  const who = identityOf(member.link, member.resource ? desiredMember(member.resource) : {})
  const state = await resolveMember(org, who)
  if (state.kind === 'member' && state.state === 'active') return state.login
  if (state.kind === 'member' || state.kind === 'invited') {
    const { invitation } = state
    throw new RetryableError(
      `waiting for ${state.kind === 'member' ? state.login : (invitation?.email ?? who.email)} to accept the invitation to ${org.name}` +
        `${invitation ? ` (invitation ${invitation.id})` : ''}; the team membership follows`,
      { retryAfterMs: options.pendingRecheckMs },
    )
  }
  // A failed invitation holds the team's changes back for a day, so it shows; then the member is left out.
  const wait = state.kind === 'failed' ? failedHoldMs(state.invitation, options.now) : 0
  if (state.kind === 'failed' && wait > 0) throw new RetryableError(describeFailure(org, state.invitation), { retryAfterMs: wait })
  return undefined
}

/** The login of a member to remove: from the link, else from a pending invitation GitHub tied to an account. */
async function knownLogin(org: Org, member: MemberOperation['member']): Promise<string | undefined> {
  const who = identityOf(member.link)
  if (who.login || who.invitationId === undefined) return who.login
  const state = await resolveMember(org, who)
  return state.kind === 'member' ? state.login : undefined
}

/**
 * Runs a call on the group's team. A 404 may mean the team was renamed by
 * hand (its slug changed): it is found again by id. An operation planned
 * together with group.created carries no link yet: the team is the one named
 * like the group. 'gone' when there is no such team.
 */
async function onTeam<T>(
  org: Org,
  operation: GroupOperation,
  call: (slug: string) => Promise<GithubResponse<T>>,
): Promise<{ team: TeamRef; response: GithubResponse<T> } | 'gone'> {
  const { link } = operation
  const linked: TeamRef | undefined = link && { id: Number(link.data?.teamId), slug: link.id }
  const team = linked ?? (await teamNamed(org, String(operation.resource.displayName ?? '')))
  if (!team) return 'gone'
  const first = await call(encodeURIComponent(team.slug))
  if (first.status !== 404 || !linked) return { team, response: first }
  const moved = (await org.github.list<Team>(orgPath(org, '/teams'))).find((candidate) => candidate.id === linked.id || candidate.slug === linked.slug)
  if (!moved) return 'gone'
  if (moved.slug === linked.slug) return { team: moved, response: first }
  const again = await call(encodeURIComponent(moved.slug))
  return again.status === 404 ? 'gone' : { team: moved, response: again }
}

function request<T = unknown>(org: Org, method: string, rest: string, body?: unknown): Promise<GithubResponse<T>> {
  return org.github.request<T>(method, orgPath(org, rest), { body, allow: [404] })
}

/** GitHub's slug for a team name: lower case, runs of other characters as one hyphen. */
function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}
