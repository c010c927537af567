import { describe, expect, test } from 'bun:test'
import { memoryLogger } from '../../../log'
import { builtInSchemas } from '../../../scim/schemas/instance'
import type { ResourceStore } from '../../../store/resources'
import { FAILING_AFTER } from '../../../sync/health'
import { newUser, testApp } from '../../../../test/support/app'
import { appWithConnector, fakeDownstreamApp } from '../../../../test/support/fake-app'
import type { HttpDeps } from '../../deps'
import { createHttpApp } from '../../server'

const get = async (handle: (request: Request) => Promise<Response> | Response, path: string) => {
  const response = await handle(new Request(`http://localhost${path}`))
  return { status: response.status, body: (await response.json()) as any }
}

function unwritableStoreDeps(): HttpDeps {
  return {
    store: { isWritable: () => false } as ResourceStore,
    logger: memoryLogger(),
    keyring: () => {
      throw new Error('not used')
    },
    publicUrl: () => undefined,
    schemas: () => builtInSchemas,
  }
}

describe('/healthz', () => {
  test('answers 200 without auth while the store takes writes', async () => {
    const { app } = testApp()
    expect(await get(app.handle, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } })
  })

  test('answers 503 when the store does not take writes', async () => {
    const app = createHttpApp(unwritableStoreDeps())
    expect((await get((r) => app.handle(r), '/healthz')).status).toBe(503)
  })
})

describe('/readyz', () => {
  test('answers 200 without auth, listing each enabled instance; a store-only instance is always ok', async () => {
    const { app } = testApp()
    expect(await get(app.handle, '/readyz')).toEqual({
      status: 200,
      body: {
        status: 'ready',
        store: 'writable',
        instances: [
          { instance: 'alpha', connector: 'directory', state: 'ok', consecutive_failures: 0, last_success: null, last_failure: null },
          { instance: 'beta', connector: 'directory', state: 'ok', consecutive_failures: 0, last_success: null, last_failure: null },
        ],
      },
    })
  })

  test(`answers 503 once an instance's last ${FAILING_AFTER} downstream operations failed, and 200 again after a success`, async () => {
    const fake = fakeDownstreamApp()
    // A retry waits at least 20 ms: one runDue sees exactly one failure.
    const { app, scim, settle } = appWithConnector(fake.definition, {}, { baseMs: 40, capMs: 80, failedAfter: 10 })
    fake.control.failWhen = () => true
    expect((await scim.post('/Users', newUser('ann'))).status).toBe(201)

    await app.sync.runDue('alpha')
    const degraded = await get(app.handle, '/readyz')
    expect(degraded.status).toBe(200)
    expect(degraded.body.instances).toEqual([
      { instance: 'alpha', connector: 'fake-app', state: 'degraded', consecutive_failures: 1, last_success: null, last_failure: expect.any(String) },
    ])

    // The engine retries with a (test-short) backoff; each retry fails again.
    for (let i = 0; i < 200 && (await get(app.handle, '/readyz')).status === 200; i++) {
      await Bun.sleep(20)
      await app.sync.runDue('alpha')
    }
    const failing = await get(app.handle, '/readyz')
    expect(failing.status).toBe(503)
    expect(failing.body).toMatchObject({ status: 'unavailable', store: 'writable', instances: [{ instance: 'alpha', state: 'failing', consecutive_failures: FAILING_AFTER }] })
    // No error text in an answer that needs no key: it could name internal hosts.
    expect(JSON.stringify(failing.body)).not.toContain('the app is down')

    fake.control.failWhen = () => false
    await settle()
    const recovered = await get(app.handle, '/readyz')
    expect(recovered.status).toBe(200)
    expect(recovered.body.instances[0]).toMatchObject({ state: 'ok', consecutive_failures: 0, last_success: expect.any(String) })
  })

  test('answers 503 when the store does not take writes', async () => {
    const app = createHttpApp(unwritableStoreDeps())
    expect(await get((r) => app.handle(r), '/readyz')).toEqual({ status: 503, body: { status: 'unavailable', store: 'not_writable', instances: [] } })
  })
})
