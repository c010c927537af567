/**
 * @module The `connector:` settings of a Buildkite instance (valibot), with
 * their defaults. Documented in README.md.
 */
import * as v from 'valibot'
import { parseDuration } from '../../src/config/duration'
import { secretReference } from '../../src/config/references'

const SLUG = /^[a-z0-9][a-z0-9-]*$/

const slug = (what: string) => v.pipe(v.string(`must be ${what}`), v.regex(SLUG, `must be ${what}: lowercase letters, digits and dashes`))

const httpUrl = v.pipe(
  v.string('must be a string'),
  v.check((text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol), 'must be an absolute http:// or https:// URL'),
)

const duration = v.pipe(
  v.string('must be a duration such as "15m"'),
  v.check((text) => {
    try {
      return parseDuration(text) > 0
    } catch {
      return false
    }
  }, 'must be a duration such as "15m" or "1h" (a whole number and one unit of s, m, h, d or w)'),
  v.transform(parseDuration),
)

export const settingsSchema = v.strictObject({
  /** The organization's slug, as in https://buildkite.com/<org>. */
  org: slug('the organization slug, e.g. "acme"'),
  graphql_url: v.optional(httpUrl, 'https://graphql.buildkite.com/v1'),
  /** An API access token with GraphQL access (full access: the connector runs mutations). */
  token: secretReference(),
  /** SSO mode of invitations; absent: not sent, Buildkite applies the organization's default. */
  sso_mode: v.optional(v.picklist(['optional', 'required'], 'must be optional or required')),
  /** Privacy of the teams scimify creates. */
  team_privacy: v.optional(v.picklist(['visible', 'secret'], 'must be visible or secret'), 'visible'),
  /** Default member role of the teams scimify creates, and the role of the team members it adds. */
  team_member_role: v.optional(v.picklist(['member', 'maintainer'], 'must be member or maintainer'), 'member'),
  /** Groups (by displayName) linked to existing teams (by slug) instead of creating a team. */
  team_slugs: v.optional(v.record(v.string(), slug('a team slug, e.g. "platform"')), {}),
  /** How often a team membership waiting for an invitation to be accepted is tried again. */
  invitation_recheck: v.optional(duration, '15m'),
})

export type BuildkiteSettings = v.InferOutput<typeof settingsSchema>
