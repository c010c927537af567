/**
 * @module What GitHub says about one person in the organization: an active
 * or pending membership, a pending invitation GitHub has not tied to an
 * account yet, a failed (or expired) invitation, or nothing. Also the calls
 * that change it: invite, set the role, remove.
 */
import { GithubError, type GithubClient } from './client'
import type { OrgRole } from './extension'
import { invitationCapError } from './rate-limit'

/** The fields scimify reads of GitHub's `organization-invitation`. */
export interface Invitation {
  id: number
  login: string | null
  email: string | null
  role: string
  failed_at?: string | null
  failed_reason?: string | null
}

/** Who a SCIM user is at GitHub, as far as scimify knows. */
export interface Identity {
  login?: string
  invitationId?: number
  email?: string
}

export type MemberState =
  /** A member, or invited with GitHub knowing the account (`invitation` then set when found through it). */
  | { kind: 'member'; login: string; state: 'active' | 'pending'; role: string; invitation?: Invitation }
  /** Invited by email, no account known yet. */
  | { kind: 'invited'; invitation: Invitation }
  | { kind: 'failed'; invitation: Invitation }
  | { kind: 'gone' }

export interface Org {
  name: string
  github: GithubClient
}

/** A failed invitation is shown (as an error) this long after it failed, before scimify lets it go. */
const FAILED_INVITATION_HOLD_MS = 24 * 60 * 60 * 1000

export const orgPath = (org: Org, rest: string) => `/orgs/${encodeURIComponent(org.name)}${rest}`
const user = (login: string) => encodeURIComponent(login)

/**
 * Looks the person up: the membership of a known login (one call), else the
 * pending and then the failed invitations, matched by invitation id, login or email.
 */
export async function resolveMember(org: Org, who: Identity): Promise<MemberState> {
  if (who.login) {
    const membership = await getMembership(org, who.login)
    if (membership) return membership
  }
  const pending = findInvitation(await org.github.list<Invitation>(orgPath(org, '/invitations')), who)
  if (pending?.login) return { kind: 'member', login: pending.login, state: 'pending', role: pending.role, invitation: pending }
  if (pending) return { kind: 'invited', invitation: pending }
  const failed = findInvitation(await org.github.list<Invitation>(orgPath(org, '/failed_invitations')), who)
  return failed ? { kind: 'failed', invitation: failed } : { kind: 'gone' }
}

async function getMembership(org: Org, login: string): Promise<MemberState | undefined> {
  const { status, data } = await org.github.request<{ state: 'active' | 'pending'; role: string; user: { login: string } | null }>(
    'GET',
    orgPath(org, `/memberships/${user(login)}`),
    { allow: [404] },
  )
  if (status === 404) return undefined
  return { kind: 'member', login: data.user?.login ?? login, state: data.state, role: data.role }
}

/** The latest invitation that is this person's: by id first, then by login, then by email. */
function findInvitation(invitations: Invitation[], who: Identity): Invitation | undefined {
  const same = (a: string | null | undefined, b: string | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase()
  const latest = (found: Invitation[]) => found.sort((a, b) => b.id - a.id)[0]
  return (
    invitations.find((invitation) => invitation.id === who.invitationId) ??
    latest(invitations.filter((invitation) => same(invitation.login, who.login))) ??
    latest(invitations.filter((invitation) => same(invitation.email, who.email)))
  )
}

/** How much longer a failed invitation is shown; 0 once the hold is over. */
export function failedHoldMs(invitation: Invitation, now: number): number {
  const failedAt = Date.parse(invitation.failed_at ?? '')
  return Number.isNaN(failedAt) ? 0 : Math.max(0, failedAt + FAILED_INVITATION_HOLD_MS - now)
}

export function describeFailure(org: Org, invitation: Invitation): string {
  return `the GitHub invitation ${invitation.id} of ${invitation.login ?? invitation.email} to ${org.name} failed at ${invitation.failed_at}: ${invitation.failed_reason ?? 'no reason given'}`
}

/** One invitation: to the account when its id is known, else to the email. */
export async function invite(org: Org, to: { inviteeId?: number; email?: string }, role: OrgRole): Promise<Invitation> {
  const body = { ...(to.inviteeId !== undefined ? { invitee_id: to.inviteeId } : { email: to.email }), role: role === 'admin' ? 'admin' : 'direct_member' }
  try {
    return (await org.github.request<Invitation>('POST', orgPath(org, '/invitations'), { body })).data
  } catch (error) {
    if (error instanceof GithubError) throw invitationCapError(error.status, error.body) ?? error
    throw error
  }
}

/** The account id GitHub invites by, or undefined when there is no such login. */
export async function accountId(org: Org, login: string): Promise<number | undefined> {
  const { status, data } = await org.github.request<{ id: number }>('GET', `/users/${user(login)}`, { allow: [404] })
  return status === 404 ? undefined : data.id
}

export async function setRole(org: Org, login: string, role: OrgRole): Promise<void> {
  await org.github.request('PUT', orgPath(org, `/memberships/${user(login)}`), { body: { role } })
}

/** Removes a member, or cancels the pending invitation of that login (GitHub does both); false when there was neither. */
export async function removeMembership(org: Org, login: string): Promise<boolean> {
  return (await org.github.request('DELETE', orgPath(org, `/memberships/${user(login)}`), { allow: [404] })).status !== 404
}

export async function cancelInvitation(org: Org, invitationId: number): Promise<void> {
  await org.github.request('DELETE', orgPath(org, `/invitations/${invitationId}`), { allow: [404] })
}
