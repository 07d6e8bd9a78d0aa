import { describe, expect, it } from 'vitest';
import { parsePythonLiteral } from './python-literal';

describe('parsePythonLiteral (the para of BeeCloud\'s Python SDK)', () => {
  it.each<[string, string, unknown]>([
    ['a Python 3 dict', "{'app_id': 'a-1', 'timestamp': 1435890533866, 'app_sign': 'ab', 'spay_result': True, 'limit': 10}", { app_id: 'a-1', timestamp: 1435890533866, app_sign: 'ab', spay_result: true, limit: 10 }],
    ['a Python 2 long', "{'timestamp': 1435890533866L, 'need_detail': False}", { timestamp: 1435890533866, need_detail: false }],
    ['Python 2 UTF-8 bytes', "{'title': '\\xe7\\x99\\xbd\\xe5\\xbc\\x80\\xe6\\xb0\\xb4'}", { title: '白开水' }],
    ['Python 3 text as is', "{'title': '白开水', 'q': \"it's\"}", { title: '白开水', q: "it's" }],
    ['u prefixes and escapes', "{u'k': u'a\\'b\\\\c\\u4e2d', 'n': None, 'x': -1.5e3}", { k: "a'b\\c中", n: null, x: -1500 }],
    ['nested values', "{'optional': {'a': [1, (2, 3)]}}", { optional: { a: [1, [2, 3]] } }],
  ])('reads %s', (_case, text, expected) => {
    expect(parsePythonLiteral(text)).toEqual(expected);
  });

  it.each(["{'a': 1", "{'a' 1}", "{1: 'a'}", "{'a': nope}", "{'a': 'b'} tail", "{'a': '\\xZZ'}", `${'{"a":'.repeat(30)}1${'}'.repeat(30)}`])(
    'answers undefined for %s',
    (text) => {
      expect(parsePythonLiteral(text)).toBeUndefined();
    },
  );
});
