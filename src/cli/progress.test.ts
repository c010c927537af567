import { expect, test } from 'bun:test'
import { progressReporter } from './progress'

function capture(isTTY: boolean) {
  let text = ''
  return { output: { isTTY, write: (chunk: string) => void (text += chunk) }, text: () => text }
}

test('off a terminal: one plain line per tenth, and the last one', () => {
  const sink = capture(false)
  const progress = progressReporter(sink.output, 'importing')
  for (let done = 1; done <= 25; done++) progress.update(done, 25)
  progress.finish()
  const lines = sink.text().trimEnd().split('\n')
  expect(lines.length).toBeLessThanOrEqual(11)
  expect(lines.at(-1)).toBe('importing: 25/25')
  expect(sink.text()).not.toContain('\r')
})

test('on a terminal: a bar redrawn in place, ended with a newline', () => {
  const sink = capture(true)
  const progress = progressReporter(sink.output, 'importing')
  progress.update(1, 2)
  progress.update(2, 2)
  progress.finish()
  expect(sink.text()).toBe(`\rimporting [${'#'.repeat(15)}${' '.repeat(15)}] 1/2\rimporting [${'#'.repeat(30)}] 2/2\n`)
})
