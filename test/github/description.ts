/**
 * @module The GitHub REST description the fake routes and validates by:
 * GitHub's own, from the `@octokit/openapi` package, cut down to the paths
 * the connector may call (the 17 of `../shared/reference/apis/github-connector-subset.json`,
 * checked to be the same there, and `GET /orgs/{org}` for checkAccess) and
 * the components they reference.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { isDeepStrictEqual } from 'node:util'

const REPO_ROOT = resolve(import.meta.dir, '../..')
const PACKAGE_FILE = join(REPO_ROOT, 'node_modules/@octokit/openapi/generated/api.github.com.json')
const SUBSET_FILE = join(REPO_ROOT, '../shared/reference/apis/github-connector-subset.json')

/** The paths of the reference subset, which the connector may call. */
export const SUBSET_PATHS = [
  '/orgs/{org}/invitations',
  '/orgs/{org}/invitations/{invitation_id}',
  '/orgs/{org}/invitations/{invitation_id}/teams',
  '/orgs/{org}/failed_invitations',
  '/orgs/{org}/members',
  '/orgs/{org}/members/{username}',
  '/orgs/{org}/memberships/{username}',
  '/orgs/{org}/teams',
  '/orgs/{org}/teams/{team_slug}',
  '/orgs/{org}/teams/{team_slug}/members',
  '/orgs/{org}/teams/{team_slug}/memberships/{username}',
  '/orgs/{org}/teams/{team_slug}/invitations',
  '/users/{username}',
  '/user/{account_id}',
  '/rate_limit',
  '/orgs/{org}/installation',
  '/app/installations/{installation_id}/access_tokens',
] as const

/** Outside the subset, taken from the full description: checkAccess reads the organization. */
export const EXTRA_PATHS = ['/orgs/{org}'] as const

type Json = Record<string, any>

let loaded: Promise<Json> | undefined

/** The cut-down description (a fresh copy each call: openapi-backend dereferences it in place). */
export async function githubDescription(): Promise<Json> {
  loaded ??= load()
  return structuredClone(await loaded)
}

async function load(): Promise<Json> {
  const full: Json = await Bun.file(PACKAGE_FILE).json()
  if (existsSync(SUBSET_FILE)) {
    const subset: Json = await Bun.file(SUBSET_FILE).json()
    const subsetPaths = Object.keys(subset.paths).sort()
    if (!isDeepStrictEqual(subsetPaths, [...SUBSET_PATHS].sort())) throw new Error(`the reference subset's paths changed: ${subsetPaths.join(', ')}`)
    for (const path of subsetPaths) {
      if (!isDeepStrictEqual(full.paths[path], subset.paths[path])) throw new Error(`${path} differs between @octokit/openapi and the reference subset`)
    }
  }
  const paths: Json = {}
  for (const path of [...SUBSET_PATHS, ...EXTRA_PATHS]) {
    if (!full.paths[path]) throw new Error(`@octokit/openapi has no ${path}`)
    paths[path] = full.paths[path]
  }
  const document = { openapi: full.openapi, info: full.info, servers: full.servers, paths, components: reachableComponents(full, paths) }
  return fixNullableWithoutType(document)
}

/** The components `root` refers to, transitively: the rest of GitHub's 13 MB stays out. */
function reachableComponents(full: Json, root: unknown): Json {
  const components: Json = {}
  const pending = [root]
  while (pending.length > 0) {
    const node = pending.pop()
    if (Array.isArray(node)) pending.push(...node)
    else if (node && typeof node === 'object') {
      const ref = (node as Json).$ref
      if (typeof ref === 'string') {
        const [, , section, name] = ref.split('/')
        components[section] ??= {}
        if (!components[section][name]) {
          components[section][name] = full.components[section][name]
          pending.push(full.components[section][name])
        }
      }
      pending.push(...Object.values(node))
    }
  }
  return components
}

/**
 * OpenAPI 3.0 lets `nullable` stand beside `anyOf` without a `type` (GitHub's
 * `installation.account` does); Ajv refuses that, so it is spelled out as
 * "one of these, or null".
 */
function fixNullableWithoutType<T>(node: T): T {
  if (Array.isArray(node)) return node.map(fixNullableWithoutType) as T
  if (!node || typeof node !== 'object') return node
  const entries = Object.entries(node).map(([key, value]) => [key, fixNullableWithoutType(value)])
  const object: Json = Object.fromEntries(entries)
  if (object.nullable === true && object.type === undefined) {
    const { nullable: _nullable, ...rest } = object
    return { anyOf: [rest, { enum: [null] }] } as T
  }
  return object as T
}
