import { expect, test } from 'bun:test'
import { memoryLogger } from '../../../log'
import { builtInSchemas } from '../../../scim/schemas/instance'
import type { ResourceStore } from '../../../store/resources'
import { testApp } from '../../../../test/support/app'
import type { HttpDeps } from '../../deps'
import { createHttpApp } from '../../server'

test('/healthz answers 200 without auth while the store takes writes', async () => {
  const { app } = testApp()
  const healthy = await app.handle(new Request('http://localhost/healthz'))
  expect(healthy.status).toBe(200)
  expect(await healthy.json()).toEqual({ status: 'ok' })
})

test('/healthz answers 503 when the store does not take writes', async () => {
  const deps: HttpDeps = {
    store: { isWritable: () => false } as ResourceStore,
    logger: memoryLogger(),
    keyring: () => { throw new Error("not used") },
    publicUrl: () => undefined,
    schemas: () => builtInSchemas,
  }
  const response = await createHttpApp(deps).handle(new Request('http://localhost/healthz'))
  expect(response.status).toBe(503)
})
