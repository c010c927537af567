/** @module A tiny webhook receiver for the downstream scenario: counts POSTs (by event type) and answers 204. */

export interface Receiver {
  url: string
  count(): number
  byType: Map<string, number>
  stop(): Promise<void>
}

export function startReceiver(): Receiver {
  let posts = 0
  const byType = new Map<string, number>()
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      if (request.method !== 'POST') return new Response('only POST', { status: 405 })
      posts++
      const type = String((JSON.parse(await request.text()) as { type?: unknown }).type)
      byType.set(type, (byType.get(type) ?? 0) + 1)
      return new Response(null, { status: 204 })
    },
  })
  return { url: `http://127.0.0.1:${server.port}/events`, count: () => posts, byType, stop: () => server.stop(true) }
}
