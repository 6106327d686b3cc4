// lib/state/input-checks.ts: the wire-data checks shared by updates, queries and restores.
import assert from 'node:assert/strict';
import { StateInputError } from '../../lib/state/index';
import { checkDimension, flatDimension, isWireScalar, quote } from '../../lib/state/input-checks';

describe('state input checks (lib/state/input-checks.ts)', () => {
  it('flattens a dimension in key order', () => {
    assert.deepEqual(flatDimension({ b: '2', a: '1' }), ['a', '1', 'b', '2']);
    assert.deepEqual(flatDimension({}), []);
  });

  it('accepts a non-empty object of strings as a dimension and refuses anything else, naming the field', () => {
    checkDimension({ agentId: 'a' });
    for (const bad of [null, 'x', ['a'], {}]) assert.throws(() => checkDimension(bad), StateInputError);
    assert.throws(() => checkDimension({ agentId: 3 }), /dimension "agentId" is not a string/);
  });

  it("checks a dimension's own names only, as Object.keys lists them, not its prototype's", () => {
    const inherited = Object.create({ agentId: 7 }) as Record<string, unknown>; // an enumerable name, not a string
    assert.throws(() => checkDimension(inherited), /dimension is empty/, 'inherited names do not count');
    inherited.accountId = '1';
    checkDimension(inherited);
    assert.throws(() => checkDimension(Object.assign(Object.create({ a: '1' }), { b: 2 })), /dimension "b"/);
  });

  it('takes JSON scalars as measure values', () => {
    for (const ok of [null, '', 'x', 0, 1.5, true, false]) assert.equal(isWireScalar(ok), true);
    for (const bad of [undefined, {}, [], () => 1]) assert.equal(isWireScalar(bad), false);
  });

  it('quotes wire text and cuts it short', () => {
    assert.equal(quote('a"b'), '"a\\"b"');
    const long = quote('x'.repeat(100));
    assert.equal(long, JSON.stringify('x'.repeat(64) + '…'));
  });
});
