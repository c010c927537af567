/**
 * @module Progress of long CLI runs (import, full sync): a bar redrawn in
 * place on a terminal, plain lines (every 10%) in a log or a pipe.
 */
import type { Output } from './context'

export interface Progress {
  update(done: number, total: number): void
  finish(): void
}

export function progressReporter(output: Output & { isTTY?: boolean }, label: string): Progress {
  let lastDecile = -1
  let drawn = false
  return {
    update(done, total) {
      if (total <= 0) return
      if (output.isTTY) {
        const width = 30
        const filled = Math.round((done / total) * width)
        output.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`)
        drawn = true
        return
      }
      const decile = Math.floor((done / total) * 10)
      if (decile === lastDecile && done !== total) return
      lastDecile = decile
      output.write(`${label}: ${done}/${total}\n`)
    },
    finish() {
      if (drawn) output.write('\n')
    },
  }
}
