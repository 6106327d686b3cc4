import assert from 'node:assert/strict';
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
