/**
 * Property-based tests of the SCIM filter parser (RFC 7644 §3.4.2.2).
 *
 * - Any input, random or grammar-aware and then mangled, either parses or
 *   throws a ScimError with scimType invalidFilter (status 400); nothing else
 *   escapes, and every parse finishes quickly, also at and beyond the length
 *   (10,000) and nesting (50) limits.
 * - A generated valid filter, written with random keyword case, whitespace
 *   and redundant parentheses, parses to the AST it was generated from; that
 *   AST printed back with minimal parentheses parses to the same AST again
 *   (precedence and grouping survive the round trip).
 *
 * Runs: FC_RUNS=<n> raises every property to at least n runs (soak runs).
 */
import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { ScimError } from '../errors'
import type { AttributePath, CompareOperator, Filter, FilterValue } from './ast'
import { parseAttributePath, parseFilter } from './parse'

const SOAK = Number(process.env.FC_RUNS ?? 0) || 0
/**
 * fast-check parameters. In CI each property also stops after a time budget
 * (shrinking included), so the suite stays fast on a slow machine and when a
 * property fails; a failure found within the budget is still reported, with
 * its counterexample. Hangs are caught per call (see the time bounds below).
 */
const params = (ciRuns: number) => ({
  numRuns: Math.max(ciRuns, SOAK),
  // A fixed seed keeps CI reproducible (a red run fails the same way again);
  // FC_RUNS soak runs take random seeds to explore further. FC_SEED overrides.
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : SOAK ? undefined : 20261129,
  plugins: SOAK ? [] : [fc.interruptAfterTimeLimit(4_000, { failOnInterrupt: false })],
})
const TEST_TIMEOUT = SOAK ? 60 * 60_000 : 20_000

const MAX_LENGTH = 10_000
const MAX_DEPTH = 50
/** Generous bound for one parse of an input of at most ~11,000 characters (typical: under 2 ms). */
const PARSE_TIME_BOUND_MS = 200

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const OPERATORS: CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']

// ---------------------------------------------------------------------------
// Outcome checks

type Outcome = { ok: true; filter: Filter } | { ok: false; error: ScimError }

/** Parses `text`; fails the property on anything but an AST or an invalidFilter ScimError, or on a slow parse. */
function parseOutcome(text: string): Outcome {
  const started = performance.now()
  let outcome: Outcome
  try {
    outcome = { ok: true, filter: parseFilter(text) }
  } catch (error) {
    if (!(error instanceof ScimError)) {
      throw new Error(`parseFilter threw a non-ScimError for ${JSON.stringify(text.slice(0, 200))}: ${String((error as Error)?.stack ?? error)}`)
    }
    if (error.scimType !== 'invalidFilter' || error.status !== 400 || !error.message) {
      throw new Error(`parseFilter threw ScimError(${error.status}, ${error.scimType}, ${error.message}); expected 400 invalidFilter`)
    }
    outcome = { ok: false, error }
  }
  const elapsed = performance.now() - started
  if (elapsed > PARSE_TIME_BOUND_MS) {
    throw new Error(`parseFilter took ${elapsed.toFixed(1)} ms for an input of ${text.length} characters`)
  }
  if (outcome.ok && text.length > MAX_LENGTH) throw new Error(`a filter of ${text.length} characters was accepted`)
  return outcome
}

// ---------------------------------------------------------------------------
// A minimal printer: the AST as filter text with only the parentheses precedence needs.

function printPath(path: AttributePath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`
  return path.schema === undefined ? name : `${path.schema}:${name}`
}

function printValue(value: FilterValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}

function isAtom(filter: Filter): boolean {
  return filter.kind === 'present' || filter.kind === 'compare' || filter.kind === 'valuePath'
}

function printFilter(filter: Filter): string {
  switch (filter.kind) {
    case 'present':
      return `${printPath(filter.path)} pr`
    case 'compare':
      return `${printPath(filter.path)} ${filter.op} ${printValue(filter.value)}`
    case 'valuePath':
      return `${printPath(filter.path)}[${printFilter(filter.filter)}]`
    case 'not':
      // `not` binds tighter than and/or: a bare atom or another not needs no parentheses.
      return isAtom(filter.filter) || filter.filter.kind === 'not' ? `not ${printFilter(filter.filter)}` : `not (${printFilter(filter.filter)})`
    case 'and': {
      // and is left-associative and binds tighter than or.
      const left = filter.left.kind === 'or' ? `(${printFilter(filter.left)})` : printFilter(filter.left)
      const right = filter.right.kind === 'or' || filter.right.kind === 'and' ? `(${printFilter(filter.right)})` : printFilter(filter.right)
      return `${left} and ${right}`
    }
    case 'or': {
      const right = filter.right.kind === 'or' ? `(${printFilter(filter.right)})` : printFilter(filter.right)
      return `${printFilter(filter.left)} or ${right}`
    }
  }
}

// ---------------------------------------------------------------------------
// Grammar-aware generator: an AST together with a noisy rendering of it as tokens.

interface Token {
  text: string
  /** A word needs whitespace between it and a neighbouring word; punctuation and string literals do not. */
  word: boolean
}
interface Generated {
  ast: Filter
  tokens: Token[]
}

const word = (text: string): Token => ({ text, word: true })
const punct = (text: string): Token => ({ text, word: false })

/** Whitespace as the lexer sees it (`\s`), including non-ASCII spaces. */
const WHITESPACE = ['\t', '\n', '\r', '\f', '\v', '\u00a0', '\u2003', '\u2028', '\ufeff']
const whitespaceChar = fc.oneof({ weight: 4, arbitrary: fc.constant(' ') }, { weight: 1, arbitrary: fc.constantFrom(...WHITESPACE) })
const someWhitespace = fc.string({ unit: whitespaceChar, minLength: 1, maxLength: 3 })

/** `keyword` in a random mix of upper and lower case. */
const anyCase = (keyword: string) =>
  fc
    .array(fc.boolean(), { minLength: keyword.length, maxLength: keyword.length })
    .map((upper) => [...keyword].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join(''))

const KEYWORDS = new Set(['and', 'or', 'not'])
const randomName = fc
  .stringMatching(/^[A-Za-z$][A-Za-z0-9$_-]{0,11}$/)
  .filter((name) => !KEYWORDS.has(name.toLowerCase()))
const knownName = fc.constantFrom(
  'userName', 'name', 'displayName', 'emails', 'members', 'meta', 'title', 'userType', 'active', 'id', 'externalId', 'groups',
  'manager', 'department', 'addresses', 'x509Certificates', 'schemas', 'phoneNumbers', 'value', 'type', 'primary', 'display',
)
const knownSubName = fc.constantFrom(
  'value', 'type', 'primary', 'display', '$ref', 'familyName', 'givenName', 'lastModified', 'created', 'resourceType', 'locality',
)
const attributeName = fc.oneof(knownName, randomName)
const subAttributeName = fc.oneof(knownSubName, randomName)

const randomUrn = fc
  .tuple(fc.constantFrom('urn', 'URN', 'Urn'), fc.array(fc.stringMatching(/^[A-Za-z0-9._+-]{1,8}$/), { minLength: 1, maxLength: 5 }))
  .map(([prefix, segments]) => `${prefix}:${segments.join(':')}`)
const schemaUrn = fc.oneof(fc.constantFrom(USER, GROUP, ENTERPRISE, USER.toUpperCase(), 'urn:scim:schemas:core:2.0'), randomUrn)

const attributePath: fc.Arbitrary<AttributePath> = fc
  .record({
    schema: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: schemaUrn }),
    attribute: attributeName,
    subAttribute: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: subAttributeName }),
  })
  .map(({ schema, attribute, subAttribute }) => ({
    attribute,
    ...(schema !== undefined && { schema }),
    ...(subAttribute !== undefined && { subAttribute }),
  }))

/** JSON string literal text for `value`, with some characters randomly written as \u escapes. */
const stringLiteral = (value: string) =>
  fc.array(fc.nat({ max: 7 }).map((n) => n === 0), { minLength: value.length, maxLength: value.length }).map((escape) => {
    const json = JSON.stringify(value)
    if (!escape.some(Boolean)) return json
    // Re-encode: escape every char whose flag is set (JSON.stringify already escaped the mandatory ones).
    return '"' + [...value].map((char, i) => {
      if (!escape[i] || char.length !== 1) return JSON.stringify(char).slice(1, -1)
      return '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0')
    }).join('') + '"'
  })

/** A compValue: its AST value and a token that writes it. */
const compValue: fc.Arbitrary<{ value: FilterValue; token: Token }> = fc.oneof(
  fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('', '(not [a] pr)', 'and', ' " \\ ', 'work'))
    .chain((value) => stringLiteral(value).map((text) => ({ value, token: punct(text) }))),
  fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))
    .map((n) => (Object.is(n, -0) ? 0 : n))
    .chain((value) =>
      fc.constantFrom(String(value), value.toExponential(), Number.isInteger(value) && Math.abs(value) < 1e15 ? `${value}.0` : String(value))
        .map((text) => ({ value, token: word(text) })),
    ),
  fc.constantFrom<FilterValue>(true, false, null).map((value) => ({ value, token: word(String(value)) })),
  // Lenient bare words: a string unless they read as a number, true, false or null (these never do).
  fc.stringMatching(/^[A-Za-z@_][A-Za-z0-9@._:+-]{0,11}$/)
    .filter((text) => !['true', 'false', 'null'].includes(text))
    .map((value) => ({ value, token: word(value) })),
)

const pathTokens = (path: AttributePath) => [word(printPath(path))]

const presentNode: fc.Arbitrary<Generated> = fc
  .tuple(attributePath, anyCase('pr'))
  .map(([path, pr]) => ({ ast: { kind: 'present', path }, tokens: [...pathTokens(path), word(pr)] }))

const compareNode: fc.Arbitrary<Generated> = fc
  .tuple(attributePath, fc.constantFrom(...OPERATORS).chain((op) => anyCase(op).map((text) => ({ op, text }))), compValue)
  .map(([path, op, { value, token }]) => ({ ast: { kind: 'compare', op: op.op, path, value }, tokens: [...pathTokens(path), word(op.text), token] }))

/** Optionally wraps a node in redundant parentheses (same AST). */
const maybeParenthesised = (node: Generated) =>
  fc.nat({ max: 5 }).map((n) => (n === 0 ? { ast: node.ast, tokens: [punct('('), ...node.tokens, punct(')')] } : node))

const parenthesised = (node: Generated): Token[] => [punct('('), ...node.tokens, punct(')')]

/** Filters of and/or/not/() over `atom`, at most `depth` levels deep. */
function logical(atom: fc.Arbitrary<Generated>, depth: number, name: string): fc.Arbitrary<Generated> {
  const tree = fc.letrec<{ node: Generated }>((tie) => ({
    node: fc.oneof(
      { maxDepth: depth, depthIdentifier: name },
      atom.chain(maybeParenthesised),
      fc.tuple(tie('node'), tie('node'), anyCase('and')).map(([left, right, kw]): Generated => ({
        ast: { kind: 'and', left: left.ast, right: right.ast },
        tokens: [
          ...(left.ast.kind === 'or' ? parenthesised(left) : left.tokens),
          word(kw),
          ...(right.ast.kind === 'or' || right.ast.kind === 'and' ? parenthesised(right) : right.tokens),
        ],
      })),
      fc.tuple(tie('node'), tie('node'), anyCase('or')).map(([left, right, kw]): Generated => ({
        ast: { kind: 'or', left: left.ast, right: right.ast },
        tokens: [...left.tokens, word(kw), ...(right.ast.kind === 'or' ? parenthesised(right) : right.tokens)],
      })),
      fc.tuple(tie('node'), anyCase('not'), fc.boolean()).map(([inner, kw, parens]): Generated => ({
        ast: { kind: 'not', filter: inner.ast },
        tokens: [word(kw), ...(parens || !(isAtom(inner.ast) || inner.ast.kind === 'not') ? parenthesised(inner) : inner.tokens)],
      })),
    ),
  }))
  return tree.node
}

/** Inside brackets: paths are plain sub-attribute names (any attrPath parses, but this is what clients send). */
const innerAtom = fc.oneof(compareNode, presentNode)
const valuePathNode: fc.Arbitrary<Generated> = fc
  .tuple(attributePath, logical(innerAtom, 2, 'inner-filter'))
  .map(([path, inner]) => ({ ast: { kind: 'valuePath', path, filter: inner.ast }, tokens: [...pathTokens(path), punct('['), ...inner.tokens, punct(']')] }))

const atomNode = fc.oneof({ weight: 3, arbitrary: compareNode }, { weight: 2, arbitrary: presentNode }, { weight: 1, arbitrary: valuePathNode })
/** Depth 4 of logical nodes, at most 3 tokens of nesting each: far below the limit of 50. */
const generatedFilter = logical(atomNode, 4, 'filter')

/** Joins tokens with random whitespace: required between two words, optional elsewhere. */
function render(tokens: Token[]): fc.Arbitrary<string> {
  return fc.tuple(fc.array(someWhitespace, { minLength: tokens.length + 1, maxLength: tokens.length + 1 }), fc.array(fc.boolean(), { minLength: tokens.length + 1, maxLength: tokens.length + 1 }))
    .map(([spaces, use]) => {
      let text = use[0] ? spaces[0]! : ''
      tokens.forEach((token, i) => {
        const next = tokens[i + 1]
        const needed = next !== undefined && token.word && next.word
        text += token.text + (needed || use[i + 1] ? spaces[i + 1]! : '')
      })
      return text
    })
}

const validFilter: fc.Arbitrary<{ ast: Filter; text: string; tokens: Token[] }> = generatedFilter.chain((g) =>
  render(g.tokens).map((text) => ({ ast: g.ast, text, tokens: g.tokens })),
)

// ---------------------------------------------------------------------------
// Mutations of a valid filter: dropped, duplicated, swapped tokens, stray brackets and quotes, truncation.

const STRAY = ['(', ')', '[', ']', '"', '\\', '\\"', '"\\', ' ', '.', ':', 'and', 'or', 'not', 'pr', 'eq', '[]', '()', '\u0000', '\uD800']
type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'dropChar'; at: number }
  | { kind: 'insertChar'; at: number; text: string }
  | { kind: 'truncate'; at: number }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...STRAY) }),
  fc.record({ kind: fc.constant('dropChar' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insertChar' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...STRAY), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 })) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
)

function mutate(tokens: Token[], mutations: Mutation[]): string {
  let list = tokens.map((t) => t.text)
  let text: string | undefined
  for (const m of mutations) {
    if (text === undefined && (m.kind === 'dropChar' || m.kind === 'insertChar' || m.kind === 'truncate')) text = list.join(' ')
    if (text !== undefined) {
      const at = text.length === 0 ? 0 : m.at % (text.length + 1)
      if (m.kind === 'dropChar') text = text.slice(0, at) + text.slice(at + 1)
      else if (m.kind === 'insertChar' || m.kind === 'insert') text = text.slice(0, at) + m.text + text.slice(at)
      else if (m.kind === 'truncate') text = text.slice(0, at)
      continue
    }
    if (list.length === 0) list = ['']
    const at = m.at % list.length
    if (m.kind === 'drop') list.splice(at, 1)
    else if (m.kind === 'duplicate') list.splice(at, 0, list[at]!)
    else if (m.kind === 'swap') {
      const other = m.with % list.length
      ;[list[at], list[other]] = [list[other]!, list[at]!]
    } else if (m.kind === 'insert') list.splice(at, 0, m.text)
  }
  return text ?? list.join(' ')
}

// ---------------------------------------------------------------------------
// Inputs at and beyond the limits.

const shortTerm = fc.constantFrom<string>('a pr', 'userName eq "x"', 'b.c ne 1', 'emails[type eq "work"]', 'not(x pr)', 'title co "("', 'x gt -1.5e3')
/** `term (and|or) term …` of up to ~13,000 characters. */
const longChain = fc
  .tuple(fc.array(shortTerm, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 1_100 }), fc.array(anyCase('and').chain((a) => fc.constantFrom(a, 'or', 'OR')), { minLength: 1, maxLength: 8 }))
  .map(([terms, count, joins]) => Array.from({ length: count }, (_, i) => terms[i % terms.length]).reduce((text, term, i) => `${text} ${joins[i % joins.length]} ${term}`))

type Wrapper = '(' | 'not ' | 'not(' | 'value['
/** A term inside `wrappers` (outermost first); nesting depth = one per "(", "not" and "[". */
const wrapper = fc.constantFrom<Wrapper>('(', '(', 'not ', 'not(', 'value[')
const nested = fc.integer({ min: 0, max: 70 }).chain((n) => fc.array(wrapper, { minLength: n, maxLength: n })).map((wrappers) => {
  // Only one value path, as the outermost bracket: value filters cannot be nested.
  const firstBracket = wrappers.indexOf('value[')
  const cleaned = wrappers.filter((w, i) => w !== 'value[' || i === firstBracket)
  let text = 'type eq "work"'
  let depth = 0
  for (const w of [...cleaned].reverse()) {
    if (w === '(') text = `(${text})`
    else if (w === 'not ') text = `not ${text}`
    else if (w === 'not(') text = `not(${text})`
    else text = `emails[${text}]`
    depth += w === 'not(' ? 2 : 1
  }
  return { text, depth }
})

const longToken = fc.oneof(
  fc.integer({ min: 0, max: 11_000 }).map((n) => `a eq "${'x'.repeat(n)}"`),
  fc.integer({ min: 0, max: 11_000 }).map((n) => `${'a'.repeat(n + 1)} pr`),
  fc.integer({ min: 1, max: 5_500 }).map((n) => `urn:${'a:'.repeat(n)}b pr`),
  fc.integer({ min: 1, max: 5_500 }).map((n) => `urn:${'a:'.repeat(n)} pr`),
  fc.integer({ min: 1, max: 5_500 }).map((n) => `a eq "${'\\"'.repeat(n)}`),
  fc.integer({ min: 1, max: 11_000 }).map((n) => '('.repeat(n)),
  fc.integer({ min: 1, max: 5_500 }).map((n) => 'a['.repeat(n)),
  fc.integer({ min: 1, max: 2_750 }).map((n) => 'not '.repeat(n)),
  fc.integer({ min: 1, max: 11_000 }).map((n) => '"'.repeat(n)),
)

// ---------------------------------------------------------------------------

describe('parseFilter: only an AST or an invalidFilter, quickly', () => {
  test('arbitrary strings', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 })), (text) => {
      parseOutcome(text)
    }), params(1000))
  }, TEST_TIMEOUT)

  test('strings over the filter alphabet', () => {
    const unit = fc.constantFrom('a', 'b', '.', ':', '$', '-', ' ', '\t', '"', '\\', '(', ')', '[', ']', 'eq ', ' and ', ' or ', 'not ', ' pr', '1', 'e', 'true', 'null', 'urn:', 'u', '\\u00')
    fc.assert(fc.property(fc.string({ unit, maxLength: 200 }), (text) => {
      parseOutcome(text)
    }), params(1000))
  }, TEST_TIMEOUT)

  test('grammar-aware filters with dropped, duplicated and swapped tokens, stray brackets and quotes', () => {
    fc.assert(fc.property(validFilter, fc.array(mutation, { minLength: 1, maxLength: 4 }), ({ tokens }, mutations) => {
      parseOutcome(mutate(tokens, mutations))
    }), params(500))
  }, TEST_TIMEOUT)

  test('long inputs up to and beyond 10,000 characters: valid ones under the limit parse, the rest are invalidFilter', () => {
    fc.assert(fc.property(longChain, (text) => {
      const outcome = parseOutcome(text)
      expect(outcome.ok).toBe(text.length <= MAX_LENGTH)
    }), params(60))
  }, TEST_TIMEOUT)

  test('long single tokens, unterminated strings, runs of brackets', () => {
    fc.assert(fc.property(longToken, (text) => {
      parseOutcome(text)
    }), params(100))
  }, TEST_TIMEOUT)

  test('nesting up to 50 levels parses; deeper is invalidFilter', () => {
    fc.assert(fc.property(nested, ({ text, depth }) => {
      const outcome = parseOutcome(text)
      expect({ depth, ok: outcome.ok }).toEqual({ depth, ok: depth <= MAX_DEPTH })
    }), params(300))
  }, TEST_TIMEOUT)

  test('parseAttributePath: a path or an invalidFilter', () => {
    const text = fc.oneof(fc.string(), attributePath.map(printPath), fc.string({ unit: fc.constantFrom('a', '.', ':', 'urn:', '$', '-', ' ', '['), maxLength: 40 }))
    fc.assert(fc.property(text, (text) => {
      try {
        const path = parseAttributePath(text)
        expect(printPath(path)).toBe(text.trim())
      } catch (error) {
        if (!(error instanceof ScimError)) throw error
        expect(error.scimType).toBe('invalidFilter')
      }
    }), params(500))
  }, TEST_TIMEOUT)
})

describe('parseFilter: grammar-aware filters keep their meaning', () => {
  test('a generated filter, in random case, whitespace and redundant parentheses, parses to the AST it was generated from', () => {
    fc.assert(fc.property(validFilter, ({ ast, text }) => {
      const outcome = parseOutcome(text)
      if (!outcome.ok) throw new Error(`valid filter rejected: ${outcome.error.message}\n${text}`)
      expect(outcome.filter).toEqual(ast)
    }), params(500))
  }, TEST_TIMEOUT)

  test('round trip: parse → print with minimal parentheses → parse gives the same AST', () => {
    fc.assert(fc.property(validFilter, ({ text }) => {
      const first = parseOutcome(text)
      if (!first.ok) throw new Error(`valid filter rejected: ${first.error.message}\n${text}`)
      const printed = printFilter(first.filter)
      const second = parseOutcome(printed)
      if (!second.ok) throw new Error(`printed filter rejected: ${second.error.message}\n${printed}`)
      expect(second.filter).toEqual(first.filter)
      expect(printFilter(second.filter)).toBe(printed)
    }), params(500))
  }, TEST_TIMEOUT)
})
