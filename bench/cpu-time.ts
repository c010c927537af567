/** @module CPU time of another process (user + system, all its threads), from Linux's /proc; undefined elsewhere. */
import { readFileSync } from 'node:fs'

let ticksPerSecond: number | undefined

/** Seconds of CPU the process `pid` has used so far, or undefined where /proc cannot tell. */
export function cpuSeconds(pid: number): number | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  ticksPerSecond ??= Number(Bun.spawnSync(['getconf', 'CLK_TCK'], { stdout: 'pipe', stderr: 'ignore' }).stdout.toString().trim()) || 100
  // After the command name in parentheses (which may hold spaces): state, then 10 fields, then utime and stime.
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
}
