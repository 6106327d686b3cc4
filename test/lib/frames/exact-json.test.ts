import assert from 'node:assert/strict';
import { seededRandom } from '../../helpers/seeded-random';
import {
  isCanonicalNumber,
  mayHoldInexactNumber,
  parseJsonExact,
  quoteInexactNumbers,
} from '../../../lib/frames/exact-json';

describe('lib/frames/exact-json', () => {
  it('keeps canonical numbers as numbers', () => {
    assert.deepEqual(parseJsonExact('{"a":42,"b":0.5,"c":-3,"d":[1,2]}'), { a: 42, b: 0.5, c: -3, d: [1, 2] });
  });

  it('turns literals a double would change into strings with their wire digits', () => {
    const parsed = parseJsonExact('{"big":123456789012345678901234567890,"inf":1e309,"z":-0,"t":0.50}') as Record<
      string,
      unknown
    >;
    assert.deepEqual(parsed, { big: '123456789012345678901234567890', inf: '1e309', z: '-0', t: '0.50' });
  });

  it('keeps a 16+ digit number that a double prints back exactly', () => {
    assert.deepEqual(parseJsonExact('[1234567890123456]'), [1234567890123456]);
    assert.deepEqual(parseJsonExact('[12345678901234567]'), ['12345678901234567']);
  });

  it('never touches digits inside strings, escaped quotes included', () => {
    const text = '{"s":"1e5 and 0.50 \\" 123456789012345678","n":1}';
    assert.equal(mayHoldInexactNumber(text), false);
    assert.equal(quoteInexactNumbers(text), text);
    assert.deepEqual(parseJsonExact(text), { s: '1e5 and 0.50 " 123456789012345678', n: 1 });
    const backslashes = '{"s":"a\\\\","n":1e3}';
    assert.equal(mayHoldInexactNumber(backslashes), true, 'an even run of backslashes ends the string');
    assert.deepEqual(parseJsonExact(backslashes), { s: 'a\\', n: '1e3' });
  });

  it('the cheap test finds every candidate and passes ordinary frames', () => {
    const inexact = ['[1e3]', '[1E-3]', '[-0]', '[1.10]', '[12345678901234567890]', '[12345678901234567]'];
    // 16 digits: candidates only above Number.MAX_SAFE_INTEGER (9007199254740991); a point makes any 16 characters one.
    inexact.push('[9007199254740992]', '[-9007199254740993]', '[9100000000000000]', '[123456789012345.6]');
    for (const t of inexact) {
      assert.equal(mayHoldInexactNumber(t), true, t);
    }
    const exact = ['[1,2.5,-7]', '{"a":"1e3"}', '[-0.5]', '[0]', '', '[9007199254740991]', '[-9007199254740991]'];
    exact.push('{"benchSentUs":1796418838220000}', '[123456789012345]', '[8999999999999999]');
    for (const t of exact) assert.equal(mayHoldInexactNumber(t), false, t);
    for (const t of [...inexact, ...exact.filter(Boolean)]) {
      assert.deepEqual(
        parseJsonExact(t),
        JSON.parse(quoteInexactNumbers(t)),
        `the same result as the full rewrite: ${t}`,
      );
    }
    assert.equal(mayHoldInexactNumber('{"a":"unterminated 1e3'), false);
  });

  it('the cheap test reads what follows each colon of an object, whitespace and nesting included', () => {
    const inexact = ['{"a": 1.50}', '{"a":\t\n-0}', '{"a":{"b":{"c":1e3}}}', '{"s":"x","n" :  12345678901234567}'];
    for (const t of inexact) assert.equal(mayHoldInexactNumber(t), true, t);
    const exact = ['{"a": 1.5}', '{"a":{"b":-0.5}}', '{"s":"1e5 0.50","n":1}', '{"a":1}'];
    for (const t of exact) assert.equal(mayHoldInexactNumber(t), false, t);
    // A colon inside a string: a candidate that is none. The rewrite then finds nothing to change.
    const time = '{"at":"12:30.50","n":1}';
    assert.equal(mayHoldInexactNumber(time), true);
    assert.equal(quoteInexactNumbers(time), time);
    assert.deepEqual(parseJsonExact(time), { at: '12:30.50', n: 1 });
    // An array anywhere (even in a string), or a text that is not an object: every literal is looked at.
    assert.equal(mayHoldInexactNumber('{"a":[1,1.50]}'), true);
    assert.equal(mayHoldInexactNumber('{"s":"[","a":1.50}'), true);
    assert.equal(mayHoldInexactNumber('0.50'), true);
    assert.equal(mayHoldInexactNumber(' {"a":0.50}'), true);
    assert.deepEqual(parseJsonExact(' {"a":0.50}'), { a: '0.50' });
  });

  it('the cheap test misses no literal the rewrite changes (property test over random frames)', () => {
    const next = seededRandom(19);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const numbers = [
      '0',
      '1',
      '-7',
      '0.5',
      '0.50',
      '-0',
      '1e3',
      '2E-2',
      '12345678901234567',
      '9007199254740991',
      '1.0',
      '0.000001',
      '0.0000001', // a double prints this one and the next with an exponent
      '-0.00000012',
    ];
    const strings = ['"READY"', '"12:30.50"', '"a:1e3"', '"x\\\\"', '"q\\\\\\":1.50"', '"["', '"00000001796502909975"'];
    const space = ['', '', '', ' ', '\n', '\t', '\r'];
    const value = (depth: number): string => {
      const r = next();
      if (r < 0.4) return pick(numbers);
      if (r < 0.75) return pick(strings);
      if (r < 0.8) return pick(['true', 'false', 'null']);
      if (depth > 2) return pick(numbers);
      if (r < 0.9) return object(depth + 1);
      return `[${Array.from({ length: 1 + Math.floor(next() * 3) }, () => value(depth + 1)).join(',')}]`;
    };
    const object = (depth: number): string => {
      const members = Array.from(
        { length: Math.floor(next() * 5) },
        (_, i) => `"k${i}"${pick(space)}:${pick(space)}${value(depth)}`,
      );
      return `{${members.join(',')}}`;
    };
    let changed = 0;
    for (let k = 0; k < 3000; k++) {
      const text = object(0);
      const rewritten = quoteInexactNumbers(text);
      if (rewritten !== text) {
        changed++;
        assert.equal(mayHoldInexactNumber(text), true, text);
      }
      assert.deepEqual(parseJsonExact(text), JSON.parse(rewritten), text);
    }
    assert.ok(changed > 500, `frames the rewrite changed: ${changed}`);
  });

  it('a literal below 1e-6 is always its wire text, and a malformed one still makes the text invalid', () => {
    assert.equal(mayHoldInexactNumber('{"a":0.0000001}'), true);
    assert.deepEqual(parseJsonExact('{"a":0.0000001}'), { a: '0.0000001' }, 'alone, as with another candidate');
    assert.deepEqual(parseJsonExact('{"a":0.0000001,"b":1e5}'), { a: '0.0000001', b: '1e5' });
    assert.deepEqual(parseJsonExact('{"a":0.000001}'), { a: 0.000001 });
    // a colon in a string sends these through the rewrite, which must not make their bad literals strings
    for (const bad of ['{"t":"12:30.50","n":-}', '{"a":"x:0.50","b":01}', '{"a":1.2.3}', '[1.0.0]', '{"a":1e5.}'])
      assert.throws(() => parseJsonExact(bad), SyntaxError, bad);
  });

  it('isCanonicalNumber compares the double print with the literal', () => {
    assert.equal(isCanonicalNumber('42'), true);
    assert.equal(isCanonicalNumber('042'), false);
    assert.equal(isCanonicalNumber('1.0'), false);
    assert.equal(isCanonicalNumber('1e21'), false);
  });

  it('still throws on invalid JSON, and keeps __proto__ a plain key as JSON.parse does', () => {
    assert.throws(() => parseJsonExact('{"a":1e3'), SyntaxError);
    const o = parseJsonExact('{"__proto__":{"polluted":1e400}}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(o), Object.prototype);
    assert.ok(Object.prototype.hasOwnProperty.call(o, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
