/**
 * The fake GitHub itself: it routes by GitHub's description, refuses what
 * GitHub would refuse, and its own answers fit the description.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { startFakeGithub, type FakeGithub } from './fake-github'

let github: FakeGithub | undefined
afterEach(() => github?.stop())

const headers = (token: string) => ({
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
})

describe('the fake GitHub', () => {
  test('refuses an invitation with role "member" (the invitation role is direct_member), as GitHub does', async () => {
    github = await startFakeGithub()
    const post = (role: string) =>
      fetch(`${github!.url}/orgs/acme/invitations`, { method: 'POST', headers: headers(github!.token), body: JSON.stringify({ email: 'ann@example.com', role }) })

    const refused = await post('member')
    expect(refused.status).toBe(422)
    expect(((await refused.json()) as { message: string }).message).toContain('must be equal to one of the allowed values')
    expect(github.takeRejected()).toEqual([expect.stringContaining('POST /orgs/acme/invitations: /requestBody/role must be equal to one of the allowed values')])
    expect(github.state.invitations.size).toBe(0)

    const accepted = await post('direct_member')
    expect(accepted.status).toBe(201)
    expect(await accepted.json()).toMatchObject({ email: 'ann@example.com', login: null, role: 'direct_member' })
    github.assertClean()
  })

  test('an endpoint outside the description, a missing version header and a bad token are caught', async () => {
    github = await startFakeGithub()
    const outside = await fetch(`${github.url}/orgs/acme/repos`, { headers: headers(github.token) })
    expect(outside.status).toBe(404)
    const unversioned = await fetch(`${github.url}/orgs/acme/members`, { headers: { authorization: `Bearer ${github.token}` } })
    expect(unversioned.status).toBe(200)
    expect(github.problems).toEqual([
      'GET /orgs/acme/repos: not an endpoint of the description',
      'GET /orgs/acme/members: X-GitHub-Api-Version is not 2022-11-28',
      'GET /orgs/acme/members: Accept is not application/vnd.github+json',
    ])
    github.problems.length = 0
    const denied = await fetch(`${github.url}/orgs/acme/members`, { headers: headers('ghp_wrong') })
    expect(denied.status).toBe(401)
    github.assertClean()
  })

  test('its answers are validated too: an answer GitHub could not give is a problem, sent as a 500', async () => {
    github = await startFakeGithub()
    github.interpose({ respond: () => ({ status: 200, body: [{ login: 'ann' }] }) })
    const response = await fetch(`${github.url}/orgs/acme/members`, { headers: headers(github.token) })
    expect(response.status).toBe(500)
    expect(github.problems).toEqual([expect.stringContaining("must have required property")])
  })

  test('lists are paged with Link headers (per_page at most 100)', async () => {
    github = await startFakeGithub()
    for (let i = 0; i < 250; i++) github.state.addMember(`user${i}`)
    const first = await fetch(`${github.url}/orgs/acme/members?per_page=100`, { headers: headers(github.token) })
    expect(await first.json()).toHaveLength(100)
    expect(first.headers.get('link')).toBe(
      `<${github.url}/orgs/acme/members?per_page=100&page=2>; rel="next", <${github.url}/orgs/acme/members?per_page=100&page=3>; rel="last"`,
    )
    const last = await fetch(`${github.url}/orgs/acme/members?per_page=100&page=3`, { headers: headers(github.token) })
    expect(await last.json()).toHaveLength(50)
    github.assertClean()
  })
})
