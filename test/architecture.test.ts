/**
 * The folders' boundaries (STYLE.md): connectors know the SDK, the SCIM
 * library and the config helpers for their settings, never each other, HTTP
 * routing or SQLite; src/scim is a pure library.
 */
import { describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dir, '..')

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
}

function importsOf(file: string): string[] {
  return [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!)
}

describe('module boundaries', () => {
  test('a connector imports only its own folder, the SDK, the SCIM library, config helpers and packages', () => {
    const allowed = [/^\.\//, /^\.\.\/\.\.\/src\/connector\//, /^\.\.\/\.\.\/src\/scim\//, /^\.\.\/\.\.\/src\/config\/(references|duration)$/, /^[a-z@][^.]/, /^node:/]
    const offending = sourceFiles('connectors')
      .filter((file) => file !== 'connectors/index.ts')
      .flatMap((file) => importsOf(file).filter((spec) => !allowed.some((pattern) => pattern.test(spec))).map((spec) => `${file}: ${spec}`))
    expect(offending).toEqual([])
  })

  test('src/scim is pure: no store, HTTP, sync, config or runtime I/O modules', () => {
    const offending = sourceFiles('src/scim').flatMap((file) =>
      importsOf(file)
        .filter((spec) => /\/(store|http|sync|config|cli|connector)\//.test(spec) || /^(node:fs|node:net|bun:sqlite)$/.test(spec))
        .map((spec) => `${file}: ${spec}`),
    )
    expect(offending).toEqual([])
  })

  test('only src/store speaks SQL', () => {
    const offending = [...sourceFiles('src/http'), ...sourceFiles('src/scim'), ...sourceFiles('src/sync'), ...sourceFiles('connectors')].filter((file) =>
      importsOf(file).includes('bun:sqlite'),
    )
    expect(offending).toEqual([])
  })
})
