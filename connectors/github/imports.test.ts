/** The connector imports only the SDK (src/connector, src/scim, secret settings), its own modules and Node built-ins: no sibling connector, no store or HTTP layer. */
import { expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const ALLOWED = [/^\.\/[a-z-]+$/, /^\.\.\/\.\.\/src\/(connector|scim)\//, /^\.\.\/\.\.\/src\/config\/references$/, /^node:/, /^valibot$/]

test('github connector modules import only what a connector may', () => {
  const sources = readdirSync(import.meta.dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  const imports = sources.flatMap((file) =>
    [...readFileSync(join(import.meta.dir, file), 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map((match) => `${file}: ${match[1]}`),
  )
  expect(imports.length).toBeGreaterThan(20)
  expect(imports.filter((line) => !ALLOWED.some((pattern) => pattern.test(line.split(': ')[1])))).toEqual([])
})
