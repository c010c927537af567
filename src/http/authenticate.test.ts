import { describe, expect, test } from 'bun:test'
import { generateApiKey } from '../auth/api-key'
import { ERROR, testApp, testInstanceConfig } from '../../test/support/app'

async function status(app: ReturnType<typeof testApp>['app'], instance: string, authorization?: string) {
  const response = await app.handle(
    new Request(`http://localhost/scim/v2/${instance}/Users`, { headers: authorization ? { authorization } : {} }),
  )
  return { status: response.status, body: (await response.json()) as any, headers: response.headers }
}

describe('bearer key authentication', () => {
  test('a valid key of the instance is accepted', async () => {
    const { app, alpha } = testApp()
    expect((await status(app, 'alpha', `Bearer ${alpha.key}`)).status).toBe(200)
    expect((await status(app, 'alpha', `bearer   ${alpha.key}`)).status).toBe(200)
  })

  test('every kind of bad credential gets the same 401 SCIM error', async () => {
    const { app, alpha, beta, config } = testApp()
    const sameShapeWrongSecret = `scimify_${alpha.keyId}_${'A'.repeat(43)}`
    const expired = generateApiKey()
    config.instances[0]!.keys.push({ id: expired.id, hash: expired.hash, created: '2020-01-01T00:00:00Z', expires: '2021-01-01T00:00:00Z' })
    app.applyConfig(config)

    const cases: [string, string, string | undefined][] = [
      ['missing header', 'alpha', undefined],
      ['not a bearer token', 'alpha', 'Basic dXNlcjpwYXNz'],
      ['Okta non-token', 'alpha', 'non-token'],
      ['empty bearer', 'alpha', 'Bearer '],
      ['garbage token', 'alpha', 'Bearer not-a-key'],
      ['right key id, wrong secret', 'alpha', `Bearer ${sameShapeWrongSecret}`],
      ['expired key', 'alpha', `Bearer ${expired.secret}`],
      ['key of another instance', 'alpha', `Bearer ${beta.key}`],
      ['unknown instance', 'gamma', `Bearer ${alpha.key}`],
    ]
    const bodies = new Set<string>()
    for (const [name, instance, header] of cases) {
      const result = await status(app, instance, header)
      expect({ name, status: result.status }).toEqual({ name, status: 401 })
      expect(result.body.schemas).toEqual([ERROR])
      expect(result.body.status).toBe('401')
      expect(result.headers.get('content-type')).toContain('application/scim+json')
      bodies.add(JSON.stringify(result.body))
    }
    expect(bodies.size).toBe(1)
  })

  test('a revoked key stops working as soon as the new config is applied', async () => {
    const { app, alpha, config } = testApp()
    expect((await status(app, 'alpha', `Bearer ${alpha.key}`)).status).toBe(200)
    app.applyConfig({ ...config, instances: [{ ...config.instances[0]!, keys: [] }, config.instances[1]!] })
    expect((await status(app, 'alpha', `Bearer ${alpha.key}`)).status).toBe(401)
  })

  test('a disabled instance answers a valid key with 403 and a wrong one with 401', async () => {
    const { app, alpha, config } = testApp()
    app.applyConfig({ ...config, instances: [{ ...config.instances[0]!, enabled: false }, config.instances[1]!] })
    const disabled = await status(app, 'alpha', `Bearer ${alpha.key}`)
    expect(disabled.status).toBe(403)
    expect(disabled.body).toMatchObject({ schemas: [ERROR], status: '403' })
    expect(disabled.body.detail).toContain('disabled')
    expect((await status(app, 'alpha', 'Bearer nope')).status).toBe(401)
  })

  test('a new instance added to the config is served with its key', async () => {
    const { app, config } = testApp()
    const key = generateApiKey()
    expect((await status(app, 'gamma', `Bearer ${key.secret}`)).status).toBe(401)
    app.applyConfig({ ...config, instances: [...config.instances, testInstanceConfig('gamma', key)] })
    expect((await status(app, 'gamma', `Bearer ${key.secret}`)).status).toBe(200)
  })

  test('the access log names the instance and key id, never the key', async () => {
    const { app, alpha, logger } = testApp()
    await status(app, 'alpha', `Bearer ${alpha.key}`)
    await status(app, 'alpha', 'Bearer wrong')
    const lines = logger.lines.join('')
    expect(lines).toContain(`instance=alpha key_id=${alpha.keyId}`)
    expect(lines).toContain('method=GET path=/scim/v2/alpha/Users status=401')
    expect(lines).not.toContain(alpha.key)
    expect(lines).not.toContain(alpha.key.slice('scimify_'.length + 13)) // the secret part alone
  })
})
