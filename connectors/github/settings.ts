/**
 * @module The `connector:` settings of a GitHub instance, checked when the
 * config is loaded: the organization, the API URL, and either a token or a
 * GitHub App (app id, private key, installation id).
 */
import { createPrivateKey } from 'node:crypto'
import * as v from 'valibot'
import { secretReference, type Secret } from '../../src/config/references'

const ORG_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/

const positiveId = (what: string) =>
  v.pipe(v.number(`must be the ${what}, a number`), v.integer(`must be the ${what}, a whole number`), v.minValue(1, `must be the ${what}, a positive number`))

const apiUrl = v.pipe(
  v.string('must be a string'),
  v.check((text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol), 'must be an absolute http:// or https:// URL, e.g. "https://github.example.com/api/v3"'),
  v.transform((text) => text.replace(/\/+$/, '')),
)

const privateKey = v.pipe(
  secretReference(),
  v.check((secret: Secret) => isPrivateKey(secret.reveal()), "must be the GitHub App's private key (the .pem file GitHub gives), as a ${file:…} or ${env:…} reference"),
)

const AUTH = 'set either `token`, or `app_id`, `private_key` and `installation_id` (a GitHub App), not both'

export const githubSettings = v.pipe(
  v.strictObject({
    org: v.pipe(v.string('must be a string'), v.regex(ORG_LOGIN, 'must be the organization login, e.g. "acme"')),
    api_url: v.optional(apiUrl, 'https://api.github.com'),
    token: v.optional(secretReference()),
    app_id: v.optional(positiveId('GitHub App id')),
    private_key: v.optional(privateKey),
    installation_id: v.optional(positiveId('installation id')),
  }),
  v.check((settings) => {
    const app = [settings.app_id, settings.private_key, settings.installation_id].filter((value) => value !== undefined).length
    return settings.token !== undefined ? app === 0 : app === 3
  }, AUTH),
)

export type GithubSettings = v.InferOutput<typeof githubSettings>

function isPrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa'
  } catch {
    return false
  }
}
