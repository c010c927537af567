/**
 * @module Runs a connector's own access check (`checkAccess` of the SDK), for
 * connectors whose definition has one, and turns its report into doctor
 * checks. The report is read defensively: a connector's bug must not crash doctor.
 */
import type { InstanceConfig } from '../../config/schema'
import type { ConnectorDefinition, ConnectorDeps } from '../../connector/types'
import { failed, ok, type Check } from './check'

export type AccessChecker = (settings: unknown, deps: ConnectorDeps) => Promise<unknown>

/** The definition's `checkAccess`, when it has one. */
export function accessCheckerOf(definition: ConnectorDefinition): AccessChecker | undefined {
  const candidate = (definition as { checkAccess?: unknown }).checkAccess
  return typeof candidate === 'function' ? (candidate as AccessChecker) : undefined
}

export async function accessChecks(instance: InstanceConfig, checker: AccessChecker, deps: ConnectorDeps): Promise<Check[]> {
  const what = `instance ${instance.id}: ${instance.connector.type} access`
  const fix = `check the connector settings and the credentials they reference (\`scimify config check\`), and what the app grants them`
  let report: unknown
  try {
    report = await checker(instance.connector.settings, deps)
  } catch (error) {
    return [failed(what, (error as Error).message, fix)]
  }
  const { checks, problems, ok: allOk } = (report ?? {}) as { checks?: unknown; problems?: unknown; ok?: unknown }
  if (Array.isArray(checks)) {
    return checks.map((check: { name?: unknown; ok?: unknown; detail?: unknown; fix?: unknown }) => {
      const line = `${what} (${String(check.name ?? 'check')})`
      const detail = String(check.detail ?? '')
      return check.ok === true ? ok(line, detail) : failed(line, detail, typeof check.fix === 'string' ? check.fix : fix)
    })
  }
  if (Array.isArray(problems)) {
    return problems.length === 0 && allOk !== false ? [ok(what, 'granted')] : problems.map((problem) => failed(what, String(problem), fix))
  }
  if (typeof allOk === 'boolean') return [allOk ? ok(what, 'granted') : failed(what, 'refused', fix)]
  return [failed(what, 'checkAccess answered something doctor does not understand', 'report this as a connector bug')]
}
