/**
 * @module The Prometheus text exposition format, version 0.0.4: `# HELP`,
 * `# TYPE` and one line per sample, with the escaping the format requires.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */
import { formatNumber, type LabelPairs, type MetricFamily } from './registry'

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export function renderExposition(families: readonly MetricFamily[]): string {
  let text = ''
  for (const family of families) {
    text += `# HELP ${family.name} ${escapeHelp(family.help)}\n`
    text += `# TYPE ${family.name} ${family.type}\n`
    for (const sample of family.samples) text += `${sample.name}${renderLabels(sample.labels)} ${formatNumber(sample.value)}\n`
  }
  return text
}

function renderLabels(labels: LabelPairs): string {
  if (labels.length === 0) return ''
  return `{${labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`
}

/** In HELP text a backslash and a line feed are escaped (`\\`, `\n`). */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

/** In a label value a backslash, a double quote and a line feed are escaped (`\\`, `\"`, `\n`). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
