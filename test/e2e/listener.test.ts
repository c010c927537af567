/**
 * End-to-end tests of the listener settings on the real executable: the body
 * limit (scimify's SCIM 413, and Bun's maxRequestBodySize behind it), Bun's
 * header-size limit, and TLS with a self-signed certificate.
 */
import { connect as connectTls } from 'node:tls'
import { afterEach, describe, expect, test } from 'bun:test'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runScimify, startServer, tempDir, writeConfig, type RunningServer } from './support'

const running: RunningServer[] = []

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop('SIGKILL')
})

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

describe('listener limits', () => {
  test('a body over server.limits.max_body_bytes is a SCIM 413; far over it, Bun refuses it; the server keeps serving', async () => {
    const dir = tempDir()
    const config = writeConfig(dir, '  limits:\n    max_body_bytes: 4096\n')
    const server = await startServer(['--config', config])
    running.push(server)
    const post = (size: number) =>
      fetch(`${server.url}/scim/v2/demo/Users`, { method: 'POST', headers: { 'content-type': 'application/scim+json' }, body: 'x'.repeat(size) })

    const over = await post(5000)
    expect(over.status).toBe(413)
    expect(await over.json()).toMatchObject({ schemas: [ERROR], status: '413' })
    // Past Bun's maxRequestBodySize (twice the limit) Bun answers before scimify sees the request.
    expect((await post(9000)).status).toBe(413)
    expect((await post(100)).status).toBe(401) // within the limit: on to authentication
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  test('a header over Bun’s 16 KiB limit is refused with 431, without a crash', async () => {
    const dir = tempDir()
    const server = await startServer(['--config', writeConfig(dir)])
    running.push(server)
    expect((await fetch(`${server.url}/healthz`, { headers: { 'x-filler': 'y'.repeat(8 * 1024) } })).status).toBe(200)
    expect((await fetch(`${server.url}/healthz`, { headers: { 'x-filler': 'y'.repeat(20 * 1024) } })).status).toBe(431)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    expect(server.process.exitCode).toBeNull()
  })
})

const openssl = Bun.which('openssl')

describe('TLS', () => {
  test.skipIf(!openssl)('server.tls serves HTTPS with the configured certificate (needs openssl; skipped without it)', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'tls'))
    const made = Bun.spawnSync(
      [openssl!, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=scimify-test', '-addext', 'subjectAltName=IP:127.0.0.1',
        '-keyout', join(dir, 'tls/key.pem'), '-out', join(dir, 'tls/cert.pem')],
      { stderr: 'pipe' },
    )
    expect(made.exitCode).toBe(0)
    // Relative to the config file, like server.database.
    const config = writeConfig(dir, '  tls:\n    cert: ./tls/cert.pem\n    key: ./tls/key.pem\n')
    const server = await startServer(['--config', config])
    running.push(server)
    expect(server.url).toStartWith('https://127.0.0.1:')
    expect(server.banner).toContain(`${server.url}/scim/v2/demo`)
    const ca = readFileSync(join(dir, 'tls/cert.pem'), 'utf8')
    const response = await fetch(`${server.url}/healthz`, { tls: { ca } } as RequestInit)
    expect(response.status).toBe(200)
    await expect(fetch(server.url.replace('https:', 'http:') + '/healthz')).rejects.toThrow()
  })

  test.skipIf(!openssl)('SIGHUP serves renewed TLS files without a restart (needs openssl)', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'tls'))
    const makeCertificate = (name: string) => {
      const made = Bun.spawnSync(
        [openssl!, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1',
          '-keyout', join(dir, 'tls/key.pem'), '-out', join(dir, 'tls/cert.pem')],
        { stderr: 'pipe' },
      )
      expect(made.exitCode).toBe(0)
    }
    const servedName = (port: number) =>
      new Promise<string>((done, fail) => {
        const socket = connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
          done(String(socket.getPeerCertificate().subject.CN))
          socket.end()
        })
        socket.on('error', fail)
      })
    makeCertificate('first')
    const config = writeConfig(dir, '  tls:\n    cert: ./tls/cert.pem\n    key: ./tls/key.pem\n')
    const server = await startServer(['--config', config])
    running.push(server)
    const port = Number(new URL(server.url).port)
    expect(await servedName(port)).toBe('first')

    makeCertificate('renewed')
    server.process.kill('SIGHUP')
    // A connection caught in the old listener's queue as it closes may be reset (SO_REUSEPORT): look again.
    const nameNow = () => servedName(port).catch(() => 'reset')
    const deadline = Date.now() + 5_000
    while ((await nameNow()) !== 'renewed' && Date.now() < deadline) await Bun.sleep(50)
    expect(await servedName(port)).toBe('renewed')
    expect(server.log()).toContain('listener renewed')
  })

  test('a TLS file that cannot be read stops serve with the setting and the path', async () => {
    const dir = tempDir()
    const config = writeConfig(dir, '  tls:\n    cert: ./missing.pem\n    key: ./missing.key\n')
    const result = await runScimify(['serve', '--config', config])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(`cannot read server.tls.cert ${join(dir, 'missing.pem')}: ENOENT`)
  })
})
