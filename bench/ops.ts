/** @module The requests of each load kind, as steps the load generator runs; a step throws on a non-2xx answer. */
import { GROUP, PATCH_OP, USER, type LoadSpec, type UserRef } from './spec'

/** One request; 'done' ends the run early (the last cursor page). */
export type Step = (i: number) => Promise<'done' | void>

export interface Steps {
  step: Step
  /** Called once after the run: writes what was created. */
  finish(): Promise<void>
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]

export async function stepsFor(spec: LoadSpec): Promise<Steps> {
  const headers = { authorization: `Bearer ${spec.key}`, 'content-type': 'application/scim+json' }
  const call = async (method: string, path: string, body?: unknown): Promise<string> => {
    const response = await fetch(`${spec.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await response.text()
    if (response.status >= 300) throw new Error(`${method} ${path.slice(0, 80)}: ${response.status} ${text.slice(0, 200)}`)
    return text
  }
  const users: UserRef[] = spec.usersFile ? await Bun.file(spec.usersFile).json() : []
  const groups: string[] = spec.groupsFile ? await Bun.file(spec.groupsFile).json() : []
  const created: unknown[] = []
  const finish = async () => {
    if (spec.outFile) await Bun.write(spec.outFile, JSON.stringify(created))
  }
  const start = spec.start ?? 0
  let cursor = ''

  const steps: Record<LoadSpec['kind'], Step> = {
    bare: async () => {
      const response = await fetch(spec.base)
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`bare: ${response.status}`)
    },
    'create-users': async (i) => {
      const n = start + i
      const userName = `bench-${n}@example.com`
      const text = await call('POST', '/Users', {
        schemas: [USER],
        userName,
        externalId: `ext-${n}`,
        active: true,
        displayName: `Bench User ${n}`,
        name: { givenName: 'Bench', familyName: `User ${n}` },
        emails: [{ value: userName, type: 'work', primary: true }],
        title: 'Engineer',
      })
      created.push({ id: JSON.parse(text).id, userName })
    },
    'get-id': async () => {
      await call('GET', `/Users/${pick(users).id}`)
    },
    filter: async () => {
      const text = await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "${pick(users).userName}"`)}`)
      if (!text.includes('"totalResults":1')) throw new Error(`filter: not exactly one result: ${text.slice(0, 200)}`)
    },
    'patch-title': async (i) => {
      await call('PATCH', `/Users/${pick(users).id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'title', value: `Title ${i} ${Math.random().toString(36).slice(2, 8)}` }],
      })
    },
    'patch-title-fixed': async (i) => {
      const user = users[i % users.length]
      await call('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'title', value: `title-${user.id}` }] })
    },
    'page-index': async (i) => {
      await call('GET', `/Users?startIndex=${1 + i * 100}&count=100`)
    },
    'page-cursor': async () => {
      const page = JSON.parse(await call('GET', `/Users?cursor=${encodeURIComponent(cursor)}&count=100`)) as { nextCursor?: string }
      if (!page.nextCursor) return 'done'
      cursor = page.nextCursor
    },
    'create-groups': async (i) => {
      const text = await call('POST', '/Groups', { schemas: [GROUP], displayName: `bench-group-${start + i}`, externalId: `grp-${start + i}` })
      created.push(JSON.parse(text).id)
    },
    'group-add': async (i) => {
      const perGroup = spec.membersPerGroup ?? 100
      const g = Math.floor(i / perGroup)
      const user = users[(g * 37 + (i % perGroup)) % users.length]
      await call('PATCH', `/Groups/${groups[g % groups.length]}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Add', path: 'members', value: [{ value: user.id }] }],
      })
    },
  }
  return { step: steps[spec.kind], finish }
}
