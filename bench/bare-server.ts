/** @module The ceiling: a bare Bun.serve answering a fixed SCIM-sized JSON body, `bun bench/bare-server.ts <port>`. */
const body = JSON.stringify({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
  totalResults: 1,
  Resources: [{ id: '00000000-0000-0000-0000-000000000000', userName: 'bench-0@example.com', active: true }],
})
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.argv[2]),
  fetch: () => new Response(body, { headers: { 'content-type': 'application/scim+json' } }),
})
process.once('SIGTERM', () => {
  void server.stop().then(() => process.exit(0))
})
