/**
 * @module Users → organization members. A new user gets one invitation (to
 * the account when the login is known, else to the email); later operations
 * look the person up again, learn the login once GitHub knows it, and keep
 * the link on it. Deactivate and delete remove the member or cancel the
 * pending invitation; reactivate invites again.
 */
import { RetryableError } from '../../src/connector/errors'
import type { DownstreamLink, OperationResult, SyncOperation } from '../../src/connector/types'
import { desiredMember, GITHUB_USER_SCHEMA, type DesiredMember } from './extension'
import {
  accountId,
  cancelInvitation,
  describeFailure,
  failedHoldMs,
  invite,
  removeMembership,
  resolveMember,
  setRole,
  type Identity,
  type Invitation,
  type Org,
} from './org'

export type UserOperation = Extract<SyncOperation, { type: `user.${string}` }>

export async function applyUserOperation(org: Org, operation: UserOperation, now: number): Promise<OperationResult> {
  const desired = desiredMember(operation.resource)
  const known = identityOf(operation.link, desired)
  switch (operation.type) {
    case 'user.created':
    case 'user.reactivated':
    case 'user.updated':
      return { link: await ensureMember(org, desired, known, operation.type, now) }
    case 'user.deactivated':
      await remove(org, known)
      return {}
    case 'user.deleted':
      await remove(org, known)
      return { link: null }
  }
}

/** The link scimify keeps: the login once known, else the pending invitation. */
export function memberLink(who: Identity): DownstreamLink {
  const data = Object.fromEntries(Object.entries({ invitationId: who.invitationId, login: who.login, email: who.email }).filter(([, value]) => value !== undefined))
  return { id: who.login ?? `invitation:${who.invitationId}`, data }
}

/** Who the link and the IdP say the person is. A login the IdP changes later does not replace the linked one. */
export function identityOf(link: DownstreamLink | undefined, desired: Partial<DesiredMember> = {}): Identity {
  const data = link?.data ?? {}
  const invitationId = typeof data.invitationId === 'number' ? data.invitationId : Number(/^invitation:(\d+)$/.exec(link?.id ?? '')?.[1] ?? Number.NaN)
  const linkedLogin = typeof data.login === 'string' ? data.login : link && !link.id.startsWith('invitation:') ? link.id : undefined
  return {
    login: linkedLogin ?? desired.login,
    invitationId: Number.isNaN(invitationId) ? undefined : invitationId,
    email: typeof data.email === 'string' ? data.email : desired.email,
  }
}

async function ensureMember(org: Org, desired: DesiredMember, known: Identity, why: UserOperation['type'], now: number): Promise<DownstreamLink> {
  const state = await resolveMember(org, known)
  switch (state.kind) {
    case 'member':
      // A pending invitation keeps its role: changing it would mean cancelling and sending it again.
      if (state.state === 'active' && roleOf(state.role) !== desired.role && roleOf(state.role) !== undefined) await setRole(org, state.login, desired.role)
      return memberLink({ login: state.login, invitationId: state.invitation?.id, email: state.invitation?.email ?? known.email })
    case 'invited':
      return memberLink({ invitationId: state.invitation.id, email: state.invitation.email ?? known.email })
    case 'failed':
      if (why === 'user.created') holdFailed(org, state.invitation, now)
      return memberLink(await inviteAgain(org, desired, known))
    case 'gone':
      // Accepted by an account GitHub never named, or cancelled by hand: sending another invitation would be a guess.
      if (why === 'user.updated' && !known.login && known.invitationId !== undefined) return memberLink(known)
      return memberLink(await inviteAgain(org, desired, known))
  }
}

/**
 * A new user.created (the full reconcile's repair of a user whose invitation
 * failed) shows the failure for a day instead of resending at once.
 */
function holdFailed(org: Org, invitation: Invitation, now: number): void {
  const wait = failedHoldMs(invitation, now)
  if (wait === 0) return
  throw new RetryableError(`${describeFailure(org, invitation)}; scimify invites again after ${new Date(now + wait).toISOString()}`, { retryAfterMs: wait })
}

async function inviteAgain(org: Org, desired: DesiredMember, known: Identity): Promise<Identity> {
  const login = known.login ?? desired.login
  const inviteeId = login === undefined ? undefined : await accountId(org, login)
  const email = desired.email ?? known.email
  if (inviteeId === undefined && !email) {
    throw new Error(
      login === undefined
        ? `nothing to invite to ${org.name} by: the user has no email and no ${GITHUB_USER_SCHEMA}:login`
        : `GitHub has no user "${login}" and the user has no email to invite instead`,
    )
  }
  const invitation = await invite(org, inviteeId !== undefined ? { inviteeId } : { email }, desired.role)
  return { login: invitation.login ?? (inviteeId !== undefined ? login : undefined), invitationId: invitation.id, email: invitation.email ?? email }
}

async function remove(org: Org, known: Identity): Promise<void> {
  if (known.login) {
    // An email invitation GitHub tied to the login may only be cancellable by its id.
    if (!(await removeMembership(org, known.login)) && known.invitationId !== undefined) await cancelInvitation(org, known.invitationId)
    return
  }
  if (known.invitationId === undefined) return
  // Without a login, only a pending invitation can be found (and cancelled).
  const state = await resolveMember(org, known)
  if (state.kind === 'failed') return
  const pending = state.kind === 'invited' || state.kind === 'member' ? state.invitation : undefined
  if (pending) return cancelInvitation(org, pending.id)
  throw new Error(
    `cannot remove the user from ${org.name}: invitation ${known.invitationId} to ${known.email ?? 'their email'} is no longer pending, ` +
      `and GitHub does not say which account accepted it; remove the member by hand, and set ${GITHUB_USER_SCHEMA}:login for users whose email is not on their GitHub account`,
  )
}

function roleOf(githubRole: string): DesiredMember['role'] | undefined {
  if (githubRole === 'admin') return 'admin'
  if (githubRole === 'member' || githubRole === 'direct_member') return 'member'
  return undefined
}
