import { afterEach, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectors } from '../../connectors'
import { createApp } from '../app'
import { ConnectorRegistry } from '../connector/registry'
import { memoryLogger } from '../log'
import { fakeDownstreamApp } from '../../test/support/fake-app'
import { makeImportCommand } from './import'
import { runCommand } from './test-harness'

let dir: string | undefined
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }))

function setup(connectorType: string) {
  dir = mkdtempSync(join(tmpdir(), 'scimify-import-'))
  const configPath = join(dir, 'config.yaml')
  writeFileSync(configPath, `server:\n  database: ./scimify.db\ninstances:\n  - id: app\n    connector:\n      type: ${connectorType}\n`)
  return { configPath, databasePath: join(dir, 'scimify.db') }
}

test('import reports what it linked and created; a second run finds everything linked', async () => {
  const fake = fakeDownstreamApp()
  fake.addUserByHand({ userName: 'ann-gh', emails: ['ann@example.com'], active: true })
  const registry = new ConnectorRegistry([...connectors, fake.definition])
  const { configPath, databasePath } = setup('fake-app')
  const config = (await import('../config/load')).loadConfigFile(configPath, registry)
  if (!config.ok) throw new Error('bad test config')
  await createApp(config.config, { databasePath, logger: memoryLogger(), registry }).close()

  const first = await runCommand(makeImportCommand, ['import', 'app', '--config', configPath], { registry })
  expect(first.exitCode).toBe(0)
  expect(first.stdout).toBe('users: 0 linked, 1 created, 0 already linked\ngroups: 0 linked, 0 created, 0 already linked\n')
  expect(first.stderr).toContain('importing: 1/1')
  const second = await runCommand(makeImportCommand, ['import', 'app', '--config', configPath], { registry })
  expect(second.stdout).toStartWith('users: 0 linked, 0 created, 1 already linked\n')
})

test('a connector that cannot list the app has nothing to import', async () => {
  const { configPath } = setup('directory')
  const result = await runCommand(makeImportCommand, ['import', 'app', '--config', configPath])
  expect(result.exitCode).toBe(1)
  expect(result.stderr).toContain('cannot read the app')
})
