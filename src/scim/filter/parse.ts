/**
 * @module Parser for SCIM filters, RFC 7644 §3.4.2.2 (Figure 1).
 * Precedence is not > and > or; and/or associate to the left.
 */
import { ScimError } from '../errors'
import type { AttributePath, CompareOperator, Filter, FilterValue } from './ast'
import { readAttributePath } from './attribute-path'
import { tokenize, type Token } from './lexer'

export const MAX_FILTER_DEPTH = 50

const LOGICAL_OPERATORS = new Set(['and', 'or'])
const COMPARE_OPERATORS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'])
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/

/** Parses a `filter` query parameter (or SearchRequest `filter`); malformed input throws invalidFilter. */
export function parseFilter(text: string): Filter {
  return new FilterParser(text).parse()
}

/** Parses a single attribute path, as in `sortBy`; malformed input throws invalidFilter. */
export function parseAttributePath(text: string): AttributePath {
  const path = readAttributePath(text.trim())
  if (!path) throw ScimError.of('invalidFilter', `Invalid attribute path "${text}"`)
  return path
}

class FilterParser {
  private readonly tokens: Token[]
  private index = 0
  private depth = 0
  private insideValuePath = false

  constructor(private readonly text: string) {
    this.tokens = tokenize(text)
  }

  parse(): Filter {
    if (this.tokens.length === 0) throw ScimError.of('invalidFilter', 'Filter is empty')
    const filter = this.parseOr()
    const extra = this.peek()
    if (extra) throw this.error(`Unexpected ${describe(extra)}`, extra)
    return filter
  }

  private parseOr(): Filter {
    let left = this.parseAnd()
    while (this.acceptKeyword('or')) left = { kind: 'or', left, right: this.parseAnd() }
    return left
  }

  private parseAnd(): Filter {
    let left = this.parseUnary()
    while (this.acceptKeyword('and')) left = { kind: 'and', left, right: this.parseUnary() }
    return left
  }

  private parseUnary(): Filter {
    const token = this.peek()
    if (!token) throw this.error('Expected an attribute path, "not" or "(" but the filter ended')
    if (token.kind === '(') {
      this.index++
      const filter = this.nested(() => this.parseOr())
      this.expect(')', 'to close the "(" at position ' + (token.position + 1))
      return filter
    }
    // The RFC writes `not (…)`; `not` before a bare expression is accepted too.
    if (this.acceptKeyword('not')) return { kind: 'not', filter: this.nested(() => this.parseUnary()) }
    if (token.kind !== 'word' || LOGICAL_OPERATORS.has(token.text.toLowerCase())) {
      throw this.error(`Expected an attribute path, "not" or "(" but found ${describe(token)}`, token)
    }
    return this.parseAttributeExpression()
  }

  /** `attrPath pr`, `attrPath op value` or `attrPath [ valFilter ]`. */
  private parseAttributeExpression(): Filter {
    const pathToken = this.next() as Extract<Token, { kind: 'word' }>
    const path = readAttributePath(pathToken.text)
    if (!path) throw this.error(`Invalid attribute path "${pathToken.text}"`, pathToken)

    const token = this.peek()
    if (token?.kind === '[') return this.parseValuePath(path, token)
    return this.parseOperation(path, pathToken.text)
  }

  /** `pr`, or a comparison operator and its value, after the path `path` (written as `written`). */
  private parseOperation(path: AttributePath, written: string): Filter {
    const token = this.peek()
    if (token?.kind !== 'word') {
      throw this.error(`Expected an operator after "${written}" but ${token ? `found ${describe(token)}` : 'the filter ended'}`, token)
    }
    const operator = token.text.toLowerCase()
    this.index++
    if (operator === 'pr') return { kind: 'present', path }
    if (!COMPARE_OPERATORS.has(operator)) throw this.error(`Unknown operator "${token.text}"`, token)
    return { kind: 'compare', op: operator as CompareOperator, path, value: this.parseValue(token.text) }
  }

  private parseValuePath(path: AttributePath, open: Token): Filter {
    if (this.insideValuePath) throw this.error('Value filters cannot be nested', open)
    this.index++
    this.insideValuePath = true
    const filter = this.nested(() => this.parseOr())
    this.insideValuePath = false
    this.expect(']', `to close the "[" at position ${open.position + 1}`)
    const next = this.peek()
    if (next?.kind === 'word' && next.text.startsWith('.')) return this.parseValuePathComparison(path, filter)
    return { kind: 'valuePath', path, filter }
  }

  /**
   * `emails[type eq "work"].value eq "a@x"`: not RFC 7644 filter grammar (it is
   * PATCH path syntax), but Entra sends it. It means an element matching the
   * bracket filter whose sub-attribute compares true.
   */
  private parseValuePathComparison(path: AttributePath, filter: Filter): Filter {
    const subToken = this.next() as Extract<Token, { kind: 'word' }>
    const subAttribute = subToken.text.slice(1)
    if (!/^[A-Za-z$][\w$-]*$/.test(subAttribute)) throw this.error(`Invalid sub-attribute "${subToken.text}"`, subToken)
    const comparison = this.parseOperation({ attribute: subAttribute }, subToken.text)
    return { kind: 'valuePath', path, filter: { kind: 'and', left: filter, right: comparison } }
  }

  /** A JSON literal, or (leniently) an unquoted word, which is a string unless it is a number, true, false or null. */
  private parseValue(operator: string): FilterValue {
    const token = this.next()
    if (token?.kind === 'string') return token.value
    if (token?.kind !== 'word') {
      throw this.error(`Expected a value after "${operator}" but ${token ? `found ${describe(token)}` : 'the filter ended'}`, token)
    }
    const text = token.text
    if (text === 'true') return true
    if (text === 'false') return false
    if (text === 'null') return null
    if (JSON_NUMBER.test(text)) return Number(text)
    return text
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_FILTER_DEPTH) {
      throw this.error(`Filter is nested deeper than ${MAX_FILTER_DEPTH} levels`, this.peek())
    }
    const result = parse()
    this.depth--
    return result
  }

  private acceptKeyword(keyword: string): boolean {
    const token = this.peek()
    if (token?.kind !== 'word' || token.text.toLowerCase() !== keyword) return false
    this.index++
    return true
  }

  private expect(kind: ')' | ']', purpose: string): void {
    const token = this.next()
    if (token?.kind !== kind) {
      throw this.error(`Expected "${kind}" ${purpose} but ${token ? `found ${describe(token)}` : 'the filter ended'}`, token)
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.index]
  }

  private next(): Token | undefined {
    return this.tokens[this.index++]
  }

  private error(message: string, token?: Token): ScimError {
    const where = token ? ` at position ${token.position + 1}` : ` at position ${this.text.length + 1} (end)`
    return ScimError.of('invalidFilter', message + where)
  }
}

function describe(token: Token): string {
  if (token.kind === 'word') return `"${token.text}"`
  if (token.kind === 'string') return `string ${JSON.stringify(token.value)}`
  return `"${token.kind}"`
}
