/** @module The contract between the orchestrator and the load-generator process: what to send, and what was measured. */

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

/** What each request of a run does; see ops.ts. */
export type OpKind =
  | 'bare' // GET the bare Bun.serve ceiling server
  | 'create-users' // POST /Users, userName bench-<start+i>@example.com
  | 'get-id' // GET /Users/{random existing id}
  | 'filter' // GET /Users?filter=userName eq "<random existing>"
  | 'patch-title' // PATCH Replace title with a new value on a random user (an effective change)
  | 'patch-title-fixed' // PATCH Replace title with "title-<id>" on user i (a no-op when repeated)
  | 'page-index' // GET /Users?startIndex=1+100i&count=100
  | 'page-cursor' // GET /Users?cursor=…&count=100, following nextCursor
  | 'create-groups' // POST /Groups, displayName bench-group-<start+i>
  | 'group-add' // PATCH /Groups/{group i/M} add one member

export interface LoadSpec {
  kind: OpKind
  /** The SCIM base URL (…/scim/v2/<instance>) or, for `bare`, the URL to GET. */
  base: string
  key: string
  concurrency: number
  maxRequests: number
  maxSeconds: number
  /** create-*: the first index in names. */
  start?: number
  /** A JSON file of existing users ({id, userName}[]) for the read and patch kinds. */
  usersFile?: string
  /** A JSON file of group ids for group-add. */
  groupsFile?: string
  /** group-add: members per group. */
  membersPerGroup?: number
  /** create-*: where to write what was created ({id, userName}[] or string[]). */
  outFile?: string
}

export interface LoadResult {
  kind: OpKind
  concurrency: number
  requests: number
  errors: number
  firstError?: string
  seconds: number
  perSecond: number
  p50Ms: number
  p99Ms: number
  /** The load generator's own CPU time (user + system) per request. */
  clientCpuMicros: number
  /** The server's CPU time (all its threads) per request over the run, where the driver could read it (Linux). */
  serverCpuMicros?: number
}

export interface UserRef {
  id: string
  userName: string
}
