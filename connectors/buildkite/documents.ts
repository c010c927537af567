/**
 * @module Every GraphQL document the connector sends, as plain strings
 * written against Buildkite's schema (../shared/reference/apis/
 * buildkite-schema.graphql); the tests' fake validates each against it.
 */

const MEMBER = 'id role user { id email name }'
/** An invitation's teams (at most 25 are read: `teams` takes no cursor; more only delays a membership). */
const INVITATION = `id email state role teams(first: 25) { edges { node { role team { id } } } }`
const TEAM = 'id slug name privacy defaultMemberRole isDefaultTeam'
const PAGE_INFO = 'pageInfo { hasNextPage endCursor }'

// ---- lookups ----

export const ORGANIZATION = `query Organization($slug: ID!) {
  organization(slug: $slug) { id }
}`

export const MEMBER_BY_EMAIL = `query MemberByEmail($slug: ID!, $email: String!) {
  organization(slug: $slug) { members(email: $email, first: 10) { edges { node { ${MEMBER} } } } }
}`

export const MEMBER_BY_ID = `query MemberById($id: ID!) {
  node(id: $id) { ... on OrganizationMember { ${MEMBER} } }
}`

/** An invitation and, in the same request, a member with its email (the invitation may have been accepted). */
export const INVITED_USER = `query InvitedUser($slug: ID!, $email: String!, $invitation: ID!) {
  organization(slug: $slug) { members(email: $email, first: 10) { edges { node { ${MEMBER} } } } }
  node(id: $invitation) { ... on OrganizationInvitation { ${INVITATION} } }
}`

export const PENDING_INVITATIONS = `query PendingInvitations($slug: ID!, $first: Int!, $after: String) {
  organization(slug: $slug) {
    invitations(first: $first, after: $after, state: [PENDING]) { edges { node { ${INVITATION} } } ${PAGE_INFO} }
  }
}`

export const MEMBER_TEAMS = `query MemberTeams($id: ID!, $first: Int!, $after: String) {
  node(id: $id) { ... on OrganizationMember { teams(first: $first, after: $after) { edges { node { id role team { id } } } ${PAGE_INFO} } } }
}`

export const TEAM_BY_ID = `query TeamById($id: ID!) {
  node(id: $id) { ... on Team { ${TEAM} } }
}`

export const TEAM_BY_SLUG = `query TeamBySlug($slug: ID!) {
  team(slug: $slug) { ${TEAM} }
}`

export const TEAMS_NAMED = `query TeamsNamed($slug: ID!, $name: String!, $first: Int!, $after: String) {
  organization(slug: $slug) { teams(first: $first, after: $after, search: $name) { edges { node { ${TEAM} } } ${PAGE_INFO} } }
}`

// ---- listing (import and drift) ----

export const VIEWER = `query Viewer {
  viewer { user { id email name } }
}`

export const MEMBERS = `query Members($slug: ID!, $first: Int!, $after: String) {
  organization(slug: $slug) { members(first: $first, after: $after) { edges { node { ${MEMBER} } } ${PAGE_INFO} } }
}`

export const TEAMS = `query Teams($slug: ID!, $first: Int!, $after: String) {
  organization(slug: $slug) { teams(first: $first, after: $after) { edges { node { ${TEAM} } } ${PAGE_INFO} } }
}`

export const TEAM_MEMBERS = `query TeamMembers($id: ID!, $first: Int!, $after: String) {
  node(id: $id) { ... on Team { members(first: $first, after: $after) { edges { node { id role organizationMember { id } } } ${PAGE_INFO} } } }
}`

export const ACCESS = `query Access($slug: ID!) {
  viewer { user { id email name } }
  organization(slug: $slug) {
    id slug name
    permissions {
      organizationInvitationCreate { allowed code message }
      organizationMemberUpdate { allowed code message }
      organizationMemberView { allowed code message }
      organizationMemberViewSensitive { allowed code message }
      teamCreate { allowed code message }
      teamAdmin { allowed code message }
      teamView { allowed code message }
    }
  }
}`

// ---- members and invitations ----

export const INVITE = `mutation Invite($input: OrganizationInvitationCreateInput!) {
  organizationInvitationCreate(input: $input) { invitationEdges { node { ${INVITATION} } } }
}`

export const REVOKE_INVITATION = `mutation RevokeInvitation($id: ID!) {
  organizationInvitationRevoke(input: { id: $id }) { organizationInvitation { id state } }
}`

export const REMOVE_MEMBER = `mutation RemoveMember($id: ID!) {
  organizationMemberDelete(input: { id: $id }) { deletedOrganizationMemberID }
}`

export const UPDATE_MEMBER_ROLE = `mutation UpdateMemberRole($id: ID!, $role: OrganizationMemberRole!) {
  organizationMemberUpdate(input: { id: $id, role: $role }) { organizationMember { id role } }
}`

// ---- teams ----

export const CREATE_TEAM = `mutation CreateTeam($input: TeamCreateInput!) {
  teamCreate(input: $input) { teamEdge { node { ${TEAM} } } }
}`

export const UPDATE_TEAM = `mutation UpdateTeam($input: TeamUpdateInput!) {
  teamUpdate(input: $input) { team { id name } }
}`

export const DELETE_TEAM = `mutation DeleteTeam($id: ID!) {
  teamDelete(input: { id: $id }) { deletedTeamID }
}`

export const ADD_TEAM_MEMBER = `mutation AddTeamMember($teamID: ID!, $userID: ID!, $role: TeamMemberRole) {
  teamMemberCreate(input: { teamID: $teamID, userID: $userID, role: $role }) { teamMemberEdge { node { id role } } }
}`

export const UPDATE_TEAM_MEMBER = `mutation UpdateTeamMember($id: ID!, $role: TeamMemberRole!) {
  teamMemberUpdate(input: { id: $id, role: $role }) { teamMember { id role } }
}`

export const REMOVE_TEAM_MEMBER = `mutation RemoveTeamMember($id: ID!) {
  teamMemberDelete(input: { id: $id }) { deletedTeamMemberID }
}`
