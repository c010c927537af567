/** @module What one doctor check reports, and how a list of them is printed and judged. */

/** `skip`: not checked, with the reason; it never fails the run. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip'

export interface Check {
  status: CheckStatus
  /** What was checked, e.g. `config file` or `instance demo: keys`. */
  what: string
  /** What was found, in plain language. */
  detail: string
  /** How to fix it; given with `warn` and `fail`. */
  fix?: string
}

export const ok = (what: string, detail: string): Check => ({ status: 'ok', what, detail })
export const skip = (what: string, detail: string): Check => ({ status: 'skip', what, detail })
export const warn = (what: string, detail: string, fix: string): Check => ({ status: 'warn', what, detail, fix })
export const failed = (what: string, detail: string, fix: string): Check => ({ status: 'fail', what, detail, fix })

/** One line: `warn  config file permissions: mode 0644 … — fix: chmod 0600 …` */
export function formatCheck(check: Check): string {
  const fix = check.fix ? ` — fix: ${check.fix}` : ''
  return `${check.status.padEnd(4)}  ${check.what}: ${check.detail}${fix}\n`
}

/** The closing line: how many checks failed or warned. */
export function summary(checks: readonly Check[]): string {
  const fails = checks.filter((check) => check.status === 'fail').length
  const warns = checks.filter((check) => check.status === 'warn').length
  if (fails === 0 && warns === 0) return 'no problems found\n'
  const parts = [fails > 0 ? `${fails} failed` : '', warns > 0 ? `${warns} warning${warns === 1 ? '' : 's'}` : ''].filter(Boolean)
  return `${parts.join(', ')}${fails > 0 ? '' : ' (nothing failed)'}\n`
}

export function anyFailed(checks: readonly Check[]): boolean {
  return checks.some((check) => check.status === 'fail')
}
