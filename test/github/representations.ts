/**
 * @module The JSON bodies the fake GitHub answers with, shaped as GitHub's
 * description requires (every response is validated against it).
 */
import type { Account, FakeInvitation, FakeTeam } from './state'

const CREATED = '2020-01-01T00:00:00Z'

export interface Site {
  /** The fake's origin, for the URLs GitHub puts in every object. */
  origin: string
  org: { login: string; id: number }
}

export function simpleUser(site: Site, account: Account) {
  const url = `${site.origin}/users/${account.login}`
  return {
    login: account.login,
    id: account.id,
    node_id: `U_${account.id}`,
    avatar_url: `https://avatars.example.com/u/${account.id}`,
    gravatar_id: '',
    url,
    html_url: `https://github.example.com/${account.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: 'User',
    site_admin: false,
  }
}

export function publicUser(site: Site, account: Account) {
  return {
    ...simpleUser(site, account),
    user_view_type: 'public',
    name: null,
    company: null,
    blog: null,
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: CREATED,
    updated_at: CREATED,
  }
}

export function organizationSimple(site: Site) {
  const url = `${site.origin}/orgs/${site.org.login}`
  return {
    login: site.org.login,
    id: site.org.id,
    node_id: `O_${site.org.id}`,
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `https://avatars.example.com/o/${site.org.id}`,
    description: null,
  }
}

export function organizationFull(site: Site) {
  return {
    ...organizationSimple(site),
    html_url: `https://github.example.com/${site.org.login}`,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    type: 'Organization',
    created_at: CREATED,
    updated_at: CREATED,
    archived_at: null,
  }
}

export function orgInvitation(site: Site, invitation: FakeInvitation, inviter: Account) {
  return {
    id: invitation.id,
    login: invitation.login,
    email: invitation.email,
    role: invitation.role,
    created_at: invitation.createdAt,
    failed_at: invitation.failedAt ?? null,
    failed_reason: invitation.failedReason ?? null,
    inviter: simpleUser(site, inviter),
    team_count: invitation.teamIds.length,
    node_id: `OI_${invitation.id}`,
    invitation_teams_url: `${site.origin}/organizations/${site.org.id}/invitations/${invitation.id}/teams`,
    invitation_source: 'member',
  }
}

export function orgMembership(site: Site, account: Account, state: 'active' | 'pending', role: 'admin' | 'member') {
  return {
    url: `${site.origin}/orgs/${site.org.login}/memberships/${account.login}`,
    state,
    role,
    organization_url: `${site.origin}/orgs/${site.org.login}`,
    organization: organizationSimple(site),
    user: simpleUser(site, account),
  }
}

export function team(site: Site, fake: FakeTeam) {
  const url = `${site.origin}/organizations/${site.org.id}/team/${fake.id}`
  return {
    id: fake.id,
    node_id: `T_${fake.id}`,
    url,
    html_url: `https://github.example.com/orgs/${site.org.login}/teams/${fake.slug}`,
    name: fake.name,
    slug: fake.slug,
    description: fake.description,
    privacy: fake.privacy,
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    type: 'organization',
    organization_id: site.org.id,
    parent: null,
  }
}

export function teamFull(site: Site, fake: FakeTeam) {
  return {
    ...team(site, fake),
    members_count: fake.members.size,
    repos_count: 0,
    created_at: fake.createdAt,
    updated_at: fake.updatedAt,
    organization: organizationFull(site),
  }
}

export function teamMembership(site: Site, fake: FakeTeam, login: string, role: 'member' | 'maintainer', state: 'active' | 'pending') {
  return { url: `${site.origin}/organizations/${site.org.id}/team/${fake.id}/memberships/${login}`, role, state }
}

export function rateLimitOverview(remaining: number, reset: number) {
  const core = { limit: 5000, remaining, reset, used: 5000 - remaining }
  return { resources: { core, search: { limit: 30, remaining: 30, reset, used: 0 } }, rate: core }
}

export function basicError(message: string) {
  return { message, documentation_url: 'https://docs.github.com/rest' }
}

export function validationError(message: string, errors: { resource?: string; field?: string; code: string; message?: string }[] = []) {
  return { message, documentation_url: 'https://docs.github.com/rest', ...(errors.length > 0 ? { errors } : {}) }
}
