/** @module The headers every request to GitHub carries: the media type and the pinned REST API version. */
const GITHUB_API_VERSION = '2022-11-28'

export const GITHUB_HEADERS = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': GITHUB_API_VERSION,
} as const
