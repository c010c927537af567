/**
 * The GitHub client against the fake: rate limits become RetryableError with
 * GitHub's wait, other refusals a GithubError, and lists follow their Link
 * pages (only on GitHub's own origin).
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { Secret } from '../../src/config/references'
import { RetryableError } from '../../src/connector/errors'
import { createHttpClient } from '../../src/connector/http-client'
import { basicError } from '../../test/github/representations'
import { primaryRateLimit, secondaryRateLimit, startFakeGithub, type FakeGithub } from '../../test/github/fake-github'
import { connectorFor } from '../../test/github/github-app'
import { staticToken } from './auth'
import { createGithubClient, GithubError, nextPage } from './client'

let github: FakeGithub
afterEach(() => github?.stop())

const NOW = Date.parse('2030-01-01T00:00:00Z')
const clientFor = (token = github.token) =>
  createGithubClient({ apiUrl: github.url, http: createHttpClient({ timeoutMs: 2_000 }), auth: staticToken(new Secret(token)), now: () => NOW })

describe('github client', () => {
  test('a secondary rate limit (403 + retry-after) is retryable after the wait GitHub asks; without one, after a minute', async () => {
    github = await startFakeGithub()
    github.interpose({ respond: secondaryRateLimit(7) })
    const limited = await clientFor().request('GET', '/orgs/acme/teams').catch((error) => error)
    expect(limited).toBeInstanceOf(RetryableError)
    expect(limited.retryAfterMs).toBe(7_000)
    expect(limited.message).toBe('GitHub secondary rate limit reached (403): You have exceeded a secondary rate limit. Please wait a few minutes before you try again.')

    github.interpose({ respond: () => ({ status: 403, body: basicError('You have exceeded a secondary rate limit.') }) })
    expect((await clientFor().request('GET', '/orgs/acme/teams').catch((error) => error)).retryAfterMs).toBe(60_000)
    github.assertClean()
  })

  test('the primary rate limit (x-ratelimit-remaining: 0) waits until x-ratelimit-reset; a 429 too', async () => {
    github = await startFakeGithub()
    github.interpose({ respond: primaryRateLimit(NOW / 1000 + 120) })
    const limited = await clientFor().request('GET', '/orgs/acme/teams').catch((error) => error)
    expect(limited).toBeInstanceOf(RetryableError)
    expect(limited.retryAfterMs).toBe(120_000)

    github.interpose({ respond: () => ({ status: 429, headers: { 'retry-after': '3' }, body: basicError('Too many requests') }) })
    expect((await clientFor().request('GET', '/orgs/acme/teams').catch((error) => error)).retryAfterMs).toBe(3_000)
    github.assertClean()
  })

  test('a refusal that is not a rate limit is a GithubError naming the call, the status and what GitHub said', async () => {
    github = await startFakeGithub()
    github.interpose({ respond: () => ({ status: 403, body: basicError('Must have admin rights to Repository.') }) })
    const forbidden = await clientFor().request('GET', '/orgs/acme/teams').catch((error) => error)
    expect(forbidden).toBeInstanceOf(GithubError)
    expect(forbidden.message).toBe(
      'GET /orgs/acme/teams answered 403: Must have admin rights to Repository. (does the token or App have the organization permissions in connectors/github/README.md?)',
    )
    const denied = await clientFor('ghp_wrong').request('GET', '/orgs/acme/teams').catch((error) => error)
    expect(denied.message).toBe('GET /orgs/acme/teams answered 401: Bad credentials (the token is invalid or expired)')
    github.assertClean()
  })

  test('listUsers pages through 250 members (100 a page, by the Link header) and adds the pending invitations', async () => {
    github = await startFakeGithub()
    for (let i = 0; i < 250; i++) github.state.addMember(`member-${String(i).padStart(3, '0')}`)
    github.state.addAccount('tied-gh', ['tied@example.com'])
    const byEmail = github.state.createInvitation({ email: 'new@example.com' }, 'direct_member')
    const tied = github.state.createInvitation({ email: 'tied@example.com' }, 'direct_member')

    const users = await connectorFor(github).listUsers!()
    expect(users).toHaveLength(252)
    expect(users[0]).toEqual({ link: { id: 'member-000', data: { login: 'member-000' } }, userName: 'member-000' })
    expect(users.at(-2)).toEqual({ link: { id: `invitation:${byEmail.id}`, data: { invitationId: byEmail.id, email: 'new@example.com' } }, emails: ['new@example.com'] })
    expect(users.at(-1)).toEqual({
      link: { id: 'tied-gh', data: { invitationId: tied.id, login: 'tied-gh', email: 'tied@example.com' } },
      userName: 'tied-gh',
      emails: ['tied@example.com'],
    })
    expect(github.calls('orgs/list-members').map((call) => call.path)).toEqual([
      '/orgs/acme/members?per_page=100',
      '/orgs/acme/members?per_page=100&page=2',
      '/orgs/acme/members?per_page=100&page=3',
    ])
    github.assertClean()
  })

  test('a next page on another origin is not followed: the token goes to GitHub only', () => {
    const origin = 'https://api.github.com'
    expect(nextPage('<https://api.github.com/orgs/acme/members?page=2>; rel="next", <https://api.github.com/orgs/acme/members?page=3>; rel="last"', origin)).toBe(
      'https://api.github.com/orgs/acme/members?page=2',
    )
    expect(nextPage('<https://api.github.com/orgs/acme/members?page=1>; rel="prev"', origin)).toBeUndefined()
    expect(nextPage(null, origin)).toBeUndefined()
    expect(() => nextPage('<https://evil.example.com/steal>; rel="next"', origin)).toThrow('another origin (https://evil.example.com); not followed')
  })
})
