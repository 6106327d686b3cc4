import assert from 'node:assert/strict';
import { entityKey } from '../../lib/entity-key';
import { EntityRecord } from '../../lib/state/entity-record';
import { StateInputError } from '../../lib/state/errors';
import { ProducerView } from '../../lib/state/producer-view';
import { checkMeasure, isKeyOf, keyOf, merge, NO_NAMES } from '../../lib/state/update-merge';

const P = 'Agent_SoD_3.5';

function record(values: unknown[]): EntityRecord {
  const r = new EntityRecord('k', new ProducerView<EntityRecord>(P), [], values.length);
  r.values = values;
  return r;
}

describe('lib/state/update-merge', () => {
  it('isKeyOf accepts exactly entityKey(producer, dimension)', () => {
    const dim = { agentId: '7', accountId: 'a' };
    assert.equal(isKeyOf(entityKey(P, dim), P, dim), true);
    assert.equal(isKeyOf(`${P}/updates`, P, dim), false);
    assert.equal(isKeyOf(`${P}/agentId=7`, P, dim), false, 'a key of another dimension');
    assert.equal(isKeyOf(`${P}X/accountId=a/agentId=7`, P, dim), false);
    assert.equal(isKeyOf(`${P}/accountId=a/agentId=8`, P, dim), false, 'same length, other value');
    assert.equal(isKeyOf(P, P, {}), false);
  });

  it('keyOf takes a matching topic as it is and computes the key otherwise', () => {
    const dimension = { agentId: '7' };
    const key = entityKey(P, dimension);
    assert.equal(keyOf(P, { producer: P, dimension, topic: key }), key);
    assert.equal(keyOf(P, { producer: P, dimension, topic: `${P}/updates` }), key);
    assert.equal(keyOf(P, { producer: P, dimension }), key);
    assert.equal(keyOf(P, { producer: P, dimension: { agentId: '8' }, topic: key }), `${P}/agentId=8`);
  });

  it('checkMeasure accepts wire scalars and undefined, refuses objects, arrays and functions', () => {
    for (const v of ['s', 1, true, null, undefined]) checkMeasure('m', v);
    for (const v of [{}, [], () => 0, 1n, Symbol('s')])
      assert.throws(() => checkMeasure('__proto__', v), StateInputError);
  });

  it('merge records a change with its previous value, and nothing for an unchanged value', () => {
    const r = record(['a', undefined]);
    const changed: string[] = [];
    const previous: Record<string, unknown> = {};
    assert.equal(merge(r, 'x', 'b', 0, changed, previous), true);
    assert.equal(merge(r, 'y', 'a', 1, changed, previous), true);
    assert.equal(merge(r, 'x', 'b', 0, changed, previous), false);
    assert.equal(merge(r, 'x', undefined, 0, changed, previous), false);
    assert.deepEqual(changed, ['x', 'y']);
    assert.deepEqual(previous, { x: 'a' });
    assert.deepEqual(r.values, ['b', 'a']);
  });

  it('merge into a column past the end widens the values exactly (a new array, no spare slots)', () => {
    const r = record(['a', 'b']);
    const before = r.values;
    assert.equal(merge(r, 'far', 1, 5, NO_NAMES, {}), true);
    assert.notEqual(r.values, before, 'widened by a copy (EntityRecord.widen), not by a write past the end');
    assert.equal(r.values.length, 6);
    assert.deepEqual([r.values[0], r.values[1], r.values[5], 3 in r.values], ['a', 'b', 1, false]);
  });

  it('merge treats NaN as unchanged and resets the shape only for a new field', () => {
    const r = record([NaN, 1]);
    r.shape = null;
    assert.equal(merge(r, 'n', NaN, 0, NO_NAMES, {}), false);
    r.shape = {} as never;
    assert.equal(merge(r, 'm', 2, 1, NO_NAMES, {}), true);
    assert.notEqual(r.shape, null, 'a changed value keeps the shape');
    assert.equal(merge(r, 'new', 3, 2, NO_NAMES, {}), true);
    assert.equal(r.shape, null, 'a new field is another shape');
    assert.equal(NO_NAMES.length, 0, 'NO_NAMES is never written to');
  });

  it('merge during a pumpup compares with prev and keeps the old copy for an equal value', () => {
    const r = record([undefined, undefined]);
    r.prev = ['same', 'old'];
    const changed: string[] = [];
    const previous: Record<string, unknown> = {};
    assert.equal(merge(r, 'a', 'same', 0, changed, previous), false);
    assert.equal(r.values[0], 'same');
    assert.equal(merge(r, 'b', 'new', 1, changed, previous), true);
    assert.deepEqual(changed, ['b']);
    assert.deepEqual(previous, { b: 'old' });
  });

  it('merge keeps a hostile measure name as a plain key of previous', () => {
    const r = record(['old']);
    const previous = Object.create(null) as Record<string, unknown>;
    merge(r, '__proto__', 'new', 0, [], previous);
    assert.equal(previous['__proto__'], 'old');
  });
});
