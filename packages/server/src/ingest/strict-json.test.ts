import { describe, expect, it } from 'vitest';
import { formatPath, parseStrictJson, StrictJsonError } from './strict-json.ts';

function fault(text: string): { message: string; column: number; path: string } {
  try {
    parseStrictJson(text);
  } catch (err) {
    if (err instanceof StrictJsonError) return { message: err.message, column: err.column, path: err.path };
    throw err;
  }
  throw new Error(`accepted: ${text}`);
}

describe('parseStrictJson', () => {
  it('parses what JSON.parse parses, keeping key order', () => {
    const text = '{"b":1,"a":[true,false,null,-0.5e3,"x\\n\\u00e9\\ud83d\\ude00"],"c":{}}';
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
    expect(Object.keys(parseStrictJson(text) as object)).toEqual(['b', 'a', 'c']);
  });

  it('rejects duplicate keys instead of keeping the last', () => {
    expect(fault('{"choice":"A","choice":"B"}')).toEqual({
      message: 'duplicate key "choice"',
      column: 15,
      path: '$',
    });
  });

  it('rejects __proto__ keys, escaped or not', () => {
    expect(fault('{"a":{"__proto__":{"isAdmin":true}}}')).toMatchObject({
      path: '$.a',
      message: 'key "__proto__" is not allowed',
    });
    expect(fault('{"\\u005f_proto__":1}').message).toBe('key "__proto__" is not allowed');
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  });

  it('rejects lone surrogates, NUL and raw control characters with a path', () => {
    expect(fault('{"k":"a\\ud800"}')).toMatchObject({
      path: '$.k',
      message: expect.stringMatching(/lone surrogate/),
    });
    expect(fault('{"k":"\\udc00"}').message).toMatch(/lone surrogate/);
    expect(fault('{"k\\ud800":1}').message).toMatch(/lone surrogate/);
    expect(fault('{"k":["\\u0000"]}')).toMatchObject({
      path: '$.k[0]',
      message: expect.stringMatching(/NUL/),
    });
    expect(fault('{"k":"a\tb"}').message).toMatch(/control character/);
  });

  it('rejects integers past 2^53 but keeps decimals and exponents', () => {
    expect(fault('{"n":9007199254740993}')).toMatchObject({
      path: '$.n',
      message: expect.stringMatching(/beyond 2\^53/),
    });
    expect(parseStrictJson('{"n":9007199254740991,"f":1.5,"e":1e300}')).toEqual({
      n: 9007199254740991,
      f: 1.5,
      e: 1e300,
    });
    expect(fault('{"e":1e400}').message).toMatch(/out of range/);
  });

  it('stops deep nesting early', () => {
    expect(fault(`${'['.repeat(10_000)}${']'.repeat(10_000)}`).message).toBe('nested deeper than 64 levels');
  });

  it('says a cut-off or pretty-printed line is truncated', () => {
    expect(fault('{')).toMatchObject({
      path: '$',
      column: 2,
      message: expect.stringMatching(/^truncated: the text ends inside an object/),
    });
    expect(fault('{"a":[1,')).toMatchObject({
      path: '$.a[1]',
      message: expect.stringMatching(/ends before a value/),
    });
    expect(fault('{"a":"xy')).toMatchObject({
      path: '$.a',
      message: expect.stringMatching(/inside a string \(opened at column 6\)/),
    });
    expect(fault('{"a":1} {"b":2}').message).toMatch(/unexpected text after the JSON value/);
  });

  it('formats paths as JSON paths', () => {
    expect(formatPath(['messages', 2, 'content'])).toBe('$.messages[2].content');
    expect(formatPath(['a b', 'ok_1'])).toBe('$["a b"].ok_1');
  });
});
