import { afterAll, describe, expect, test } from 'bun:test'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeConfigCommand } from './config-check'
import { runCommand } from './test-harness'

const dir = mkdtempSync(join(tmpdir(), 'scimify-check-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('scimify config check', () => {
  test('prints one OK line for a valid file', async () => {
    const path = join(dir, 'example.yaml')
    copyFileSync(join(import.meta.dir, '../../config.example.yaml'), path)
    expect(await runCommand(makeConfigCommand, ['config', 'check', '--config', path])).toEqual({
      stdout: `config OK: ${path} (1 instance)\n`,
      stderr: '',
      exitCode: 0,
    })
  })

  test('takes the path from SCIMIFY_CONFIG and counts instances', async () => {
    const path = join(dir, 'two.yaml')
    writeFileSync(path, 'instances:\n  - id: a\n    connector: { type: directory }\n  - id: b\n    connector: { type: directory }\n')
    const run = await runCommand(makeConfigCommand, ['config', 'check'], { env: { SCIMIFY_CONFIG: path } })
    expect(run.stdout).toBe(`config OK: ${path} (2 instances)\n`)
  })

  test('prints every issue on stderr and exits 1', async () => {
    const path = join(dir, 'invalid.yaml')
    writeFileSync(path, 'server:\n  listen: nope\ninstances:\n  - id: a\n    connector:\n      type: gitlab\n')
    expect(await runCommand(makeConfigCommand, ['config', 'check', '--config', path])).toEqual({
      stdout: '',
      stderr:
        'server.listen: must be "host:port", e.g. "127.0.0.1:8080" (line 2)\n' +
        'instances[0].connector.type: unknown connector "gitlab" (line 6)\n',
      exitCode: 1,
    })
  })

  test('a missing file is an issue too', async () => {
    const path = join(dir, 'missing.yaml')
    expect(await runCommand(makeConfigCommand, ['config', 'check', '--config', path])).toEqual({
      stdout: '',
      stderr: `(file): cannot read config file ${path}: no such file\n`,
      exitCode: 1,
    })
  })

  test('help goes through the context and shows an example', async () => {
    const run = await runCommand(makeConfigCommand, ['config', 'check', '--help'])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('--config <path>')
    expect(run.stdout).toContain('$ scimify config check --config /etc/scimify/config.yaml')
  })
})
