import { describe, expect, test } from 'bun:test'
import { ScimError } from '../errors'
import type { AttributePath, CompareOperator, Filter, FilterValue } from './ast'
import { parseAttributePath, parseFilter } from './parse'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

function path(text: string): AttributePath {
  const colon = text.lastIndexOf(':')
  const schema = colon === -1 ? undefined : text.slice(0, colon)
  const [attribute, subAttribute] = text.slice(colon + 1).split('.')
  return { attribute: attribute!, ...(schema && { schema }), ...(subAttribute && { subAttribute }) }
}
const cmp = (attribute: string, op: CompareOperator, value: FilterValue): Filter => ({ kind: 'compare', op, path: path(attribute), value })
const pr = (attribute: string): Filter => ({ kind: 'present', path: path(attribute) })
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right })
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right })
const not = (filter: Filter): Filter => ({ kind: 'not', filter })
const valuePath = (attribute: string, filter: Filter): Filter => ({ kind: 'valuePath', path: path(attribute), filter })

function errorOf(run: () => unknown): ScimError {
  try {
    run()
  } catch (error) {
    if (error instanceof ScimError) return error
    throw new Error(`expected a ScimError, got ${String(error)}`)
  }
  throw new Error('expected an error')
}

describe('parseFilter: RFC 7644 §3.4.2.2 examples', () => {
  const rows: [string, Filter][] = [
    ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
    ['name.familyName co "O\'Malley"', cmp('name.familyName', 'co', "O'Malley")],
    ['userName sw "J"', cmp('userName', 'sw', 'J')],
    [`${USER}:userName sw "J"`, cmp(`${USER}:userName`, 'sw', 'J')],
    ['title pr', pr('title')],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
    ['title pr and userType eq "Employee"', and(pr('title'), cmp('userType', 'eq', 'Employee'))],
    ['title pr or userType eq "Intern"', or(pr('title'), cmp('userType', 'eq', 'Intern'))],
    [`schemas eq "${ENTERPRISE}"`, cmp('schemas', 'eq', ENTERPRISE)],
    [
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(cmp('userType', 'eq', 'Employee'), or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))),
    ],
    [
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      and(cmp('userType', 'ne', 'Employee'), not(or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')))),
    ],
    ['userType eq "Employee" and (emails.type eq "work")', and(cmp('userType', 'eq', 'Employee'), cmp('emails.type', 'eq', 'work'))],
    [
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(cmp('userType', 'eq', 'Employee'), valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com')))),
    ],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      or(
        valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
        valuePath('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
      ),
    ],
  ]
  test.each(rows)('%s', (text, expected) => {
    expect(parseFilter(text)).toEqual(expected)
  })
})

describe('parseFilter: grammar details', () => {
  const rows: [string, Filter][] = [
    ['a pr or b pr and c pr', or(pr('a'), and(pr('b'), pr('c')))],
    ['a pr and b pr or c pr', or(and(pr('a'), pr('b')), pr('c'))],
    ['a pr and b pr and c pr', and(and(pr('a'), pr('b')), pr('c'))],
    ['not (a pr) and b pr', and(not(pr('a')), pr('b'))],
    ['not(a pr)', not(pr('a'))],
    ['(a pr or b pr) and c pr', and(or(pr('a'), pr('b')), pr('c'))],
    ['((a pr))', pr('a')],
    ['emails[not (type eq "work")]', valuePath('emails', not(cmp('type', 'eq', 'work')))],
    ['emails[type eq "work" or (type eq "home" and primary eq true)]', valuePath('emails', or(cmp('type', 'eq', 'work'), and(cmp('type', 'eq', 'home'), cmp('primary', 'eq', true))))],
    [`${USER}:name.familyName eq "x"`, cmp(`${USER}:name.familyName`, 'eq', 'x')],
    [`${ENTERPRISE}:department eq "Sales"`, cmp(`${ENTERPRISE}:department`, 'eq', 'Sales')],
    [`${ENTERPRISE}:manager.value eq "26118915"`, cmp(`${ENTERPRISE}:manager.value`, 'eq', '26118915')],
    ['members.$ref pr', pr('members.$ref')],
    // Values: JSON literals
    ['a eq 5', cmp('a', 'eq', 5)],
    ['a gt -1.5e3', cmp('a', 'gt', -1500)],
    ['a eq true', cmp('a', 'eq', true)],
    ['a eq false', cmp('a', 'eq', false)],
    ['a eq null', cmp('a', 'eq', null)],
    ['a eq "5"', cmp('a', 'eq', '5')],
    ['a eq "tab\\there \\"quoted\\" \\u00e9"', cmp('a', 'eq', 'tab\there "quoted" é')],
    ['a eq ""', cmp('a', 'eq', '')],
    ['a eq "(not [a] pr)"', cmp('a', 'eq', '(not [a] pr)')],
    // Case-insensitive keywords and operators
    ['userName Eq "x" AND title PR', and(cmp('userName', 'eq', 'x'), pr('title'))],
    ['NOT (a pr) Or b pr', or(not(pr('a')), pr('b'))],
    // Lenient: no space before a quoted value, bare values, any whitespace
    ['value eq"x"', cmp('value', 'eq', 'x')],
    ['members[value eq"2819c223"]', valuePath('members', cmp('value', 'eq', '2819c223'))],
    ['externalId eq 12ab-cd', cmp('externalId', 'eq', '12ab-cd')],
    ['externalId eq 00123', cmp('externalId', 'eq', '00123')],
    ['meta.created gt 2011-05-13T04:42:34Z', cmp('meta.created', 'gt', '2011-05-13T04:42:34Z')],
    ['(externalId eq abc)', cmp('externalId', 'eq', 'abc')],
    ['  userName\teq\n"x"  ', cmp('userName', 'eq', 'x')],
    ['not a pr', not(pr('a'))],
    // Entra: a value path with a sub-attribute comparison after it
    ['emails[type eq "work"].value eq "a@x"', valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'a@x')))],
    ['emails[type eq "work"].value pr and active eq true', and(valuePath('emails', and(cmp('type', 'eq', 'work'), pr('value'))), cmp('active', 'eq', true))],
  ]
  test.each(rows)('%s', (text, expected) => {
    expect(parseFilter(text)).toEqual(expected)
  })
})

describe('parseFilter: malformed input is an invalidFilter', () => {
  const rows: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['userName', /Expected an operator after "userName" but the filter ended/],
    ['userName eq', /Expected a value after "eq"/],
    ['userName xx "a"', /Unknown operator "xx" at position 10/],
    ['emails[type eq "work"].value', /Expected an operator after ".value"/],
    ['userName eq "a" junk', /Unexpected "junk" at position 17/],
    ['userName eq "a" and', /Expected an attribute path/],
    ['and userName pr', /Expected an attribute path, "not" or "\(" but found "and" at position 1/],
    ['a pr or or b pr', /but found "or" at position 9/],
    ['(userName pr', /Expected "\)" to close the "\(" at position 1/],
    ['userName pr)', /Unexpected "\)"/],
    ['emails[type eq "work"', /Expected "\]" to close the "\[" at position 7/],
    ['emails type eq "work"]', /Unknown operator "type"/],
    ['emails[type eq "work"]]', /Unexpected "\]"/],
    ['emails[type[value eq "x"] pr]', /cannot be nested/],
    ['userName eq "abc', /Unterminated string starting at position 13/],
    ['userName eq "a\\qb"', /not a JSON string/],
    ['userName eq "a\\', /Unterminated string/],
    ['user.name.x eq "a"', /Invalid attribute path/],
    ['1abc eq "a"', /Invalid attribute path/],
    ['urn:foo: eq "a"', /Invalid attribute path/],
    ['userName eq (', /Expected a value after "eq" but found "\("/],
    ['userName eq ]', /Expected a value/],
    ['()', /Expected an attribute path, "not" or "\(" but found "\)"/],
    ['"userName" eq "x"', /Expected an attribute path/],
    ['not', /filter ended/],
    ['[a pr]', /Expected an attribute path/],
    ['a pr and b ew', /Expected a value after "ew"/],
  ]
  const tooBig: [string, string, RegExp][] = [
    ['51 nested parentheses', '('.repeat(51) + 'a pr' + ')'.repeat(51), /nested deeper than 50 levels/],
    ['60 nested nots', 'not '.repeat(60) + 'a pr', /nested deeper than 50 levels/],
    ['a filter over 10,000 characters', 'a eq "' + 'x'.repeat(10_000) + '"', /longer than 10000 characters/],
  ]
  test.each([...rows.map(([text, message]): [string, string, RegExp] => [JSON.stringify(text), text, message]), ...tooBig])('%s', (_, text, message) => {
    const error = errorOf(() => parseFilter(text))
    expect(error.scimType).toBe('invalidFilter')
    expect(error.status).toBe(400)
    expect(error.message).toMatch(message)
  })

  test('accepts nesting up to the limit', () => {
    expect(parseFilter('('.repeat(50) + 'a pr' + ')'.repeat(50))).toEqual(pr('a'))
  })

  test('never throws anything but a ScimError on arbitrary input', () => {
    const alphabet = ['a', 'b.c', ' ', '"', '\\', '(', ')', '[', ']', 'eq', 'and', 'or', 'not', 'pr', '1', 'true', 'urn:x:', '.', ':']
    let seed = 42
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(' ')
      try {
        parseFilter(text)
      } catch (error) {
        expect(error).toBeInstanceOf(ScimError)
      }
    }
  })
})

describe('parseAttributePath', () => {
  const rows: [string, AttributePath][] = [
    ['userName', { attribute: 'userName' }],
    ['name.familyName', { attribute: 'name', subAttribute: 'familyName' }],
    ['meta.lastModified', { attribute: 'meta', subAttribute: 'lastModified' }],
    [`${USER}:name.familyName`, { schema: USER, attribute: 'name', subAttribute: 'familyName' }],
    [`${ENTERPRISE}:department`, { schema: ENTERPRISE, attribute: 'department' }],
    [' emails.value ', { attribute: 'emails', subAttribute: 'value' }],
  ]
  test.each(rows)('%s', (text, expected) => {
    expect(parseAttributePath(text)).toEqual(expected)
  })

  test.each(['', 'a b', 'emails[type eq "work"]', 'a.b.c', '.a', 'a.'])('rejects %p with invalidFilter', (text) => {
    expect(errorOf(() => parseAttributePath(text)).scimType).toBe('invalidFilter')
  })
})
