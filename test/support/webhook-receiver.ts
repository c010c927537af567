/**
 * @module A webhook receiver for tests: records every delivery, verifies its
 * signature, processes each event id once (as a real receiver should), and
 * misbehaves on request: failures, 429s, hangs, lost acknowledgements.
 *
 * @example
 *   const receiver = startWebhookReceiver(SECRET)
 *   receiver.misbehave({ kind: 'fail' }, { times: 2 })
 *   // … point a webhook connector at receiver.url, sync …
 *   expect(receiver.events.map((e) => e.type)).toEqual(['user.created'])
 *   await receiver.stop()
 */
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature, type WebhookEvent } from '../../connectors/webhook'

export type Misbehaviour =
  /** Answer `status` (default 500) without processing. */
  | { kind: 'fail'; status?: number }
  /** Answer 429 with `retry-after`, without processing. */
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  /** Answer nothing for `ms` (longer than the sender's timeout), without processing. */
  | { kind: 'hang'; ms: number }
  /** Process, then answer 500: the acknowledgement is lost and the sender must redeliver. */
  | { kind: 'drop-ack' }
  /** Process, then answer 200 only after `ms`. */
  | { kind: 'slow-ack'; ms: number }

export type Outcome = 'processed' | 'duplicate' | 'rejected' | Misbehaviour['kind']

export interface Delivery {
  /** Arrival, ms since the epoch. */
  at: number
  body: string
  event?: WebhookEvent
  timestamp: string | null
  signature: string | null
  verified: boolean
  /** An earlier delivery carried the same event id. */
  redelivery: boolean
  outcome: Outcome
}

interface Rule {
  behaviour: Misbehaviour
  remaining: number
  when?: (event: WebhookEvent) => boolean
}

export interface WebhookReceiver {
  readonly url: string
  /** Every request, in arrival order. */
  readonly deliveries: Delivery[]
  /** Each event id processed once, in processing order: the receiver's effective history. */
  readonly events: WebhookEvent[]
  /** Event ids that came again with a body different from their first delivery (must stay empty). */
  readonly bodyMismatches: string[]
  /** Requests received and not answered yet. */
  inFlight(): number
  /** The next `times` deliveries (of events matching `when`) misbehave; `times: Infinity` until `recover()`. */
  misbehave(behaviour: Misbehaviour, options?: { times?: number; when?: (event: WebhookEvent) => boolean }): void
  /** Back to normal: every rule is dropped. */
  recover(): void
  /** Where the receiver answers with its state (users and groups), for import and drift checks. */
  readonly stateUrl: string
  /** Changes the receiver's state by hand, as an admin of the app would (applied after the events). */
  editState(edit: (state: DownstreamState) => void): void
  /** The state: the processed events applied in order, then the edits by hand. */
  state(): DownstreamState
  stop(): Promise<void>
}

export function startWebhookReceiver(secret: string): WebhookReceiver {
  const deliveries: Delivery[] = []
  const events: WebhookEvent[] = []
  const bodyMismatches: string[] = []
  const firstBody = new Map<string, string>()
  const processed = new Set<string>()
  let rules: Rule[] = []
  let inFlight = 0
  const edits: ((state: DownstreamState) => void)[] = []
  const currentState = () => {
    const { state } = replayEvents(events)
    for (const edit of edits) edit(state)
    return state
  }

  /** GET /state: the documented state format of connectors/webhook/state.ts. */
  const stateResponse = (request: Request): Response => {
    if (!verifyWebhookSignature(secret, request.headers.get(TIMESTAMP_HEADER), '', request.headers.get(SIGNATURE_HEADER))) {
      return new Response('bad signature', { status: 401 })
    }
    const state = currentState()
    return Response.json({
      users: [...state.users].map(([id, user]) => ({
        id,
        userName: user.resource.userName,
        emails: Array.isArray(user.resource.emails) ? user.resource.emails.map((e: { value: string }) => e.value) : [],
      })),
      groups: [...state.groups].map(([id, group]) => ({ id, displayName: group.displayName, members: [...group.members] })),
    })
  }

  const processOnce = (event: WebhookEvent) => {
    if (processed.has(event.id)) return
    processed.add(event.id)
    events.push(event)
  }

  const ruleFor = (event: WebhookEvent): Misbehaviour | undefined => {
    const rule = rules.find((r) => r.remaining > 0 && (!r.when || r.when(event)))
    if (!rule) return undefined
    rule.remaining--
    return rule.behaviour
  }

  async function handle(request: Request): Promise<Response> {
    const body = await request.text()
    const timestamp = request.headers.get(TIMESTAMP_HEADER)
    const signature = request.headers.get(SIGNATURE_HEADER)
    const delivery: Delivery = {
      at: Date.now(),
      body,
      timestamp,
      signature,
      verified: verifyWebhookSignature(secret, timestamp, body, signature),
      redelivery: false,
      outcome: 'rejected',
    }
    deliveries.push(delivery)
    if (!delivery.verified) return new Response('bad signature', { status: 401 })

    const event = JSON.parse(body) as WebhookEvent
    delivery.event = event
    const first = firstBody.get(event.id)
    delivery.redelivery = first !== undefined
    if (first === undefined) firstBody.set(event.id, body)
    else if (first !== body) bodyMismatches.push(event.id)

    const behaviour = ruleFor(event)
    delivery.outcome = behaviour?.kind ?? (processed.has(event.id) ? 'duplicate' : 'processed')
    switch (behaviour?.kind) {
      case undefined:
        processOnce(event)
        return new Response(null, { status: 204 })
      case 'fail':
        return new Response('failing on purpose', { status: behaviour.status ?? 500 })
      case 'rate-limit':
        return new Response('slow down', { status: 429, headers: { 'retry-after': String(behaviour.retryAfterSeconds) } })
      case 'hang':
        await Bun.sleep(behaviour.ms)
        return new Response('too late', { status: 503 })
      case 'drop-ack':
        processOnce(event)
        return new Response('processed, but this answer says otherwise', { status: 500 })
      case 'slow-ack':
        processOnce(event)
        await Bun.sleep(behaviour.ms)
        return new Response(null, { status: 204 })
    }
  }

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      if (request.method === 'GET' && new URL(request.url).pathname === '/state') return stateResponse(request)
      inFlight++
      try {
        return await handle(request)
      } finally {
        inFlight--
      }
    },
  })

  return {
    url: `http://127.0.0.1:${server.port}/events`,
    deliveries,
    events,
    bodyMismatches,
    inFlight: () => inFlight,
    misbehave(behaviour, { times = 1, when } = {}) {
      rules.push({ behaviour, remaining: times, when })
    },
    recover() {
      rules = []
    },
    stateUrl: `http://127.0.0.1:${server.port}/state`,
    editState(edit) {
      edits.push(edit)
    },
    state: currentState,
    async stop() {
      await server.stop(true)
    },
  }
}

/** The deliveries of one event id, in arrival order. */
export function deliveriesOf(receiver: WebhookReceiver, eventId: string): Delivery[] {
  return receiver.deliveries.filter((d) => d.event?.id === eventId)
}

/** What a receiver holds after applying events in order: users (and whether active), groups and their members. */
export interface DownstreamState {
  users: Map<string, { resource: WebhookEvent['resource']; active: boolean }>
  groups: Map<string, { displayName?: unknown; members: Set<string> }>
}

/**
 * Applies events in order as a strict receiver would. Every event that makes
 * no sense where it comes (a second user.created, a change to something not
 * there, a member added twice or before its user.created) is a problem: a
 * change applied twice, or out of order.
 */
export function replayEvents(events: readonly WebhookEvent[]): { state: DownstreamState; problems: string[] } {
  const state: DownstreamState = { users: new Map(), groups: new Map() }
  const problems: string[] = []
  for (const event of events) {
    const id = event.resource.id
    const problem = (why: string) => problems.push(`${event.type} ${id}${event.member ? ` ${event.member.value}` : ''}: ${why}`)
    const user = state.users.get(id)
    const group = state.groups.get(id)
    switch (event.type) {
      case 'user.created':
        if (user) problem('the user exists already')
        state.users.set(id, { resource: event.resource, active: event.resource.active !== false })
        break
      case 'user.updated':
      case 'user.deactivated':
      case 'user.reactivated':
        if (!user) problem('no such user')
        else if (event.type === 'user.deactivated' && !user.active) problem('already inactive')
        else if (event.type === 'user.reactivated' && user.active) problem('already active')
        else state.users.set(id, { resource: event.resource, active: event.type === 'user.updated' ? user.active : event.type === 'user.reactivated' })
        break
      case 'user.deleted':
        if (!state.users.delete(id)) problem('no such user')
        break
      case 'group.created':
        if (group) problem('the group exists already')
        // Members arrive as group.member_added, each once its user is there.
        state.groups.set(id, { displayName: event.resource.displayName, members: new Set() })
        break
      case 'group.updated':
        if (!group) problem('no such group')
        else group.displayName = event.resource.displayName
        break
      case 'group.deleted':
        if (!state.groups.delete(id)) problem('no such group')
        break
      case 'group.member_added':
        if (!group) problem('no such group')
        else if (!state.users.has(event.member!.value)) problem('the member has no user.created yet')
        else if (group.members.has(event.member!.value)) problem('already a member')
        else group.members.add(event.member!.value)
        break
      case 'group.member_removed':
        if (!group) problem('no such group')
        else if (!group.members.delete(event.member!.value)) problem('not a member')
        break
    }
  }
  return { state, problems }
}
