import { describe, expect, test } from 'bun:test'
import { cloneJson } from './clone'

describe('cloneJson', () => {
  test('an equal copy sharing nothing mutable with the original', () => {
    const original = { userName: 'ann', active: true, n: 1.5, none: null, emails: [{ value: 'a@x', primary: true }], name: { givenName: 'Ann' }, tags: [[1, 2], []] }
    const copy = cloneJson(original)
    expect(copy).toEqual(original)
    copy.emails[0].value = 'changed'
    copy.name.givenName = 'changed'
    copy.tags[0].push(3)
    expect(original).toEqual({ userName: 'ann', active: true, n: 1.5, none: null, emails: [{ value: 'a@x', primary: true }], name: { givenName: 'Ann' }, tags: [[1, 2], []] })
  })

  test('a "__proto__" key (JSON.parse makes it an own key) is copied as a key, never as the prototype', () => {
    const original = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')
    const copy = cloneJson(original)
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined()
    expect(Object.keys(copy)).toEqual(['__proto__', 'a'])
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ polluted: true })
  })

  test('scalars are themselves', () => {
    for (const value of ['x', 0, false, null]) expect(cloneJson(value)).toBe(value)
  })
})
