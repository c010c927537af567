/**
 * @module The fake GitHub's in-memory world: accounts (GitHub users, found
 * by login, id or verified email), one organization's members, pending and
 * failed invitations, teams and team memberships. Tests change it directly
 * to play the people on the other side: accept an invitation, let one
 * expire, remove a member by hand.
 */

export interface Account {
  id: number
  login: string
  /** Verified emails: an invitation to one of them is tied to this account. */
  emails: string[]
}

export interface FakeInvitation {
  id: number
  login: string | null
  email: string | null
  role: 'admin' | 'direct_member' | 'billing_manager' | 'reinstate'
  teamIds: number[]
  createdAt: string
  failedAt?: string
  failedReason?: string
}

export interface FakeTeam {
  id: number
  slug: string
  name: string
  description: string | null
  privacy: 'closed' | 'secret'
  /** Login (lower case) → team role. */
  members: Map<string, 'member' | 'maintainer'>
  createdAt: string
  updatedAt: string
}

export type OrgRole = 'admin' | 'member'

const key = (login: string) => login.toLowerCase()

export class GithubState {
  readonly org = { login: 'acme', id: 9000 }
  /** Lower-case login → account. */
  readonly accounts = new Map<string, Account>()
  /** Lower-case login → organization role. */
  readonly members = new Map<string, OrgRole>()
  readonly invitations = new Map<number, FakeInvitation>()
  readonly failedInvitations: FakeInvitation[] = []
  readonly teams = new Map<number, FakeTeam>()
  /** Invitations sent so far (the daily cap counts them). */
  invitationsSent = 0
  /** GitHub's cap on invitations per day (50 for new free orgs, else 500). */
  invitationCap = 500
  private nextId = 1000
  readonly inviter: Account

  constructor(private readonly now: () => Date = () => new Date()) {
    this.inviter = this.addAccount('scimify-bot')
  }

  addAccount(login: string, emails: string[] = []): Account {
    const account = { id: this.nextId++, login, emails: emails.map((e) => e.toLowerCase()) }
    this.accounts.set(key(login), account)
    return account
  }

  account(login: string): Account | undefined {
    return this.accounts.get(key(login))
  }

  accountById(id: number): Account | undefined {
    return [...this.accounts.values()].find((account) => account.id === id)
  }

  accountByEmail(email: string): Account | undefined {
    return [...this.accounts.values()].find((account) => account.emails.includes(email.toLowerCase()))
  }

  isMember(login: string): boolean {
    return this.members.has(key(login))
  }

  /** Adds a member directly, as an owner could by hand (or as an existing member before scimify). */
  addMember(login: string, role: OrgRole = 'member', emails: string[] = []): Account {
    const account = this.account(login) ?? this.addAccount(login, emails)
    this.members.set(key(login), role)
    return account
  }

  /** Removes a member and their team memberships, as GitHub does. */
  removeMember(login: string): boolean {
    const removed = this.members.delete(key(login))
    for (const team of this.teams.values()) team.members.delete(key(login))
    return removed
  }

  pendingFor(login: string): FakeInvitation | undefined {
    return [...this.invitations.values()].find((invitation) => invitation.login && key(invitation.login) === key(login))
  }

  createInvitation(to: { account?: Account; email?: string }, role: FakeInvitation['role'], teamIds: number[] = []): FakeInvitation {
    const account = to.account ?? (to.email ? this.accountByEmail(to.email) : undefined)
    const invitation: FakeInvitation = {
      id: this.nextId++,
      login: account?.login ?? null,
      email: to.email?.toLowerCase() ?? null,
      role,
      teamIds,
      createdAt: this.now().toISOString(),
    }
    this.invitations.set(invitation.id, invitation)
    this.invitationsSent++
    return invitation
  }

  /**
   * The invitee accepts: with the account the invitation names, or with
   * `login` (an account GitHub had not tied to the email, made if need be).
   */
  accept(invitationId: number, login?: string): Account {
    const invitation = this.invitations.get(invitationId)
    if (!invitation) throw new Error(`no pending invitation ${invitationId}`)
    const name = invitation.login ?? login
    if (!name) throw new Error(`invitation ${invitationId} names no account: say which login accepts it`)
    const account = this.account(name) ?? this.addAccount(name, invitation.email ? [invitation.email] : [])
    this.invitations.delete(invitationId)
    this.members.set(key(account.login), invitation.role === 'admin' ? 'admin' : 'member')
    for (const teamId of invitation.teamIds) this.teams.get(teamId)?.members.set(key(account.login), 'member')
    return account
  }

  /** Accepts every pending invitation; `loginFor` names the account of those GitHub did not tie to one. */
  acceptAll(loginFor: (invitation: FakeInvitation) => string | undefined = () => undefined): void {
    for (const invitation of [...this.invitations.values()]) this.accept(invitation.id, invitation.login ?? loginFor(invitation))
  }

  /** The invitation fails (expires, by default), as GitHub's failed_invitations shows it. */
  fail(invitationId: number, reason = 'Invitation expired', at = this.now()): void {
    const invitation = this.invitations.get(invitationId)
    if (!invitation) throw new Error(`no pending invitation ${invitationId}`)
    this.invitations.delete(invitationId)
    this.failedInvitations.push({ ...invitation, failedAt: at.toISOString(), failedReason: reason })
  }

  createTeam(name: string, options: { description?: string | null; privacy?: FakeTeam['privacy']; members?: string[] } = {}): FakeTeam {
    const at = this.now().toISOString()
    const team: FakeTeam = {
      id: this.nextId++,
      slug: slugOf(name),
      name,
      description: options.description ?? null,
      privacy: options.privacy ?? 'secret',
      members: new Map((options.members ?? []).map((login) => [key(login), 'member' as const])),
      createdAt: at,
      updatedAt: at,
    }
    this.teams.set(team.id, team)
    return team
  }

  teamBySlug(slug: string): FakeTeam | undefined {
    return [...this.teams.values()].find((team) => team.slug === slug.toLowerCase())
  }

  teamNamed(name: string): FakeTeam | undefined {
    return [...this.teams.values()].find((team) => team.name.toLowerCase() === name.toLowerCase() || team.slug === slugOf(name))
  }

  renameTeam(team: FakeTeam, name: string): void {
    team.name = name
    team.slug = slugOf(name)
    team.updatedAt = this.now().toISOString()
  }

  /** Members, teams and team members, with display logins, sorted: what a test compares with the desired state. */
  snapshot() {
    const login = (lower: string) => this.accounts.get(lower)?.login ?? lower
    return {
      members: [...this.members.keys()].map(login).sort(),
      teams: Object.fromEntries(
        [...this.teams.values()].sort((a, b) => a.name.localeCompare(b.name)).map((team) => [team.name, [...team.members.keys()].map(login).sort()]),
      ),
    }
  }
}

/** Like GitHub: lower case, every run of other characters one hyphen. */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}
