import assert from 'node:assert/strict';
import { entityKey } from '../../lib/entity-key';
import { EntityRecord } from '../../lib/state/entity-record';
import { StateInputError } from '../../lib/state/errors';
import { ProducerView } from '../../lib/state/producer-view';
import { ChangeLog, checkMeasure, isKeyOf, keyOf, merge } from '../../lib/state/update-merge';

const P = 'Agent_SoD_3.5';

/** A record holding these values in columns 0, 1, … (undefined: none), of a view with at least 8 columns. */
function record(values: unknown[]): EntityRecord {
  const view = new ProducerView<EntityRecord>(P);
  for (let col = 0; col < Math.max(8, values.length); col++) view.column(`c${col}`);
  const r = new EntityRecord('k', view, []);
  values.forEach((value, col) => r.setValue(col, value));
  return r;
}

function valuesOf(r: EntityRecord, width: number): unknown[] {
  return Array.from({ length: width }, (_, col) => r.valueAt(col));
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

  it('isKeyOf reads an empty dimension name, and ends its search when the topic does not hold it', () => {
    const dim = { '': 'x' };
    assert.equal(isKeyOf(entityKey(P, dim), P, dim), true);
    // Same length as the key ("/=x"), no "/=": a search for the empty name reaches the topic's end.
    assert.equal(isKeyOf(`${P}/ab`, P, dim), false);
    assert.equal(isKeyOf(`${P}/a=x/=y`, P, { a: 'x', '': 'z' }), false);
  });

  it('isKeyOf wants each "/name=value" to end at a "/" or at the end of the topic', () => {
    const dim = { a: 'x/b', b: 'y' };
    assert.equal(isKeyOf(`${P}/a=x/b/b=y`, P, dim), true);
    // The key's length, and both "/a=x/b" and "/b=y" in it, but each followed by more of a value.
    assert.equal(isKeyOf(`${P}/a=x/b=yzz`, P, dim), false);
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
    const log = new ChangeLog();
    assert.equal(merge(r, 'x', 'b', 0, log), true);
    assert.equal(merge(r, 'y', 'a', 1, log), true);
    assert.equal(merge(r, 'x', 'b', 0, log), false);
    assert.equal(merge(r, 'x', undefined, 0, log), false);
    assert.deepEqual(log.takeNames(), ['x', 'y']);
    assert.deepEqual({ ...log.takePrevious() }, { x: 'a' });
    assert.deepEqual(valuesOf(r, 2), ['b', 'a']);
  });

  it('merge of a value its column cannot hold widens the column and keeps the other rows', () => {
    const r = record([3, 'READY']);
    const other = new EntityRecord('k2', r.view, []);
    other.setValue(0, 4);
    const layout = r.view.columns.layout;
    assert.equal(merge(r, 'c0', 1.5, 0, null), true);
    assert.equal(merge(r, 'c1', 'x'.repeat(100), 1, null), true);
    assert.ok(r.view.columns.layout > layout, 'the layout changed: builders are compiled again');
    assert.deepEqual([r.valueAt(0), r.valueAt(1), other.valueAt(0)], [1.5, 'x'.repeat(100), 4]);
  });

  it('merge treats NaN as unchanged and resets the shape only for a new field', () => {
    const r = record([NaN, 1]);
    r.shape = null;
    assert.equal(merge(r, 'n', NaN, 0, null), false);
    r.shape = {} as never;
    assert.equal(merge(r, 'm', 2, 1, null), true);
    assert.notEqual(r.shape, null, 'a changed value keeps the shape');
    assert.equal(merge(r, 'new', 3, 2, null), true);
    assert.equal(r.shape, null, 'a new field is another shape');
  });

  it('merge during a pumpup compares with prev and keeps the old copy for an equal value', () => {
    const r = record([undefined, undefined]);
    r.prev = ['same', 'old'];
    const log = new ChangeLog();
    assert.equal(merge(r, 'a', 'same', 0, log), false);
    r.prev = null;
    assert.equal(r.valueAt(0), 'same', 'refreshed: held by the row itself');
    r.prev = ['same', 'old'];
    assert.equal(merge(r, 'b', 'new', 1, log), true);
    assert.deepEqual(log.takeNames(), ['b']);
    assert.deepEqual({ ...log.takePrevious() }, { b: 'old' });
  });

  it('merge keeps a hostile measure name as a plain key of previous', () => {
    const r = record(['old']);
    const log = new ChangeLog();
    merge(r, '__proto__', 'new', 0, log);
    const previous = log.takePrevious();
    assert.equal(Object.getPrototypeOf(previous), null);
    assert.equal(previous['__proto__'], 'old');
  });

  it('ChangeLog hands out lists that the next apply does not touch, and forgets a half-done one at clear', () => {
    const log = new ChangeLog();
    log.add('a', 1);
    log.add('b', undefined);
    const first = log.takeNames();
    const firstPrevious = log.takePrevious();
    log.add('c', 2);
    assert.deepEqual(first, ['a', 'b'], 'the reused list is not what was handed out');
    assert.deepEqual({ ...firstPrevious }, { a: 1 });
    assert.deepEqual(log.takeNames(), ['c']);
    assert.deepEqual({ ...log.takePrevious() }, { c: 2 });
    assert.deepEqual(log.takeNames(), [], 'taken: empty again');
    assert.deepEqual({ ...log.takePrevious() }, {});
    log.add('d', 3);
    log.clear();
    log.add('e', undefined);
    assert.deepEqual(log.takeNames(), ['e']);
    assert.deepEqual({ ...log.takePrevious() }, {}, 'the former value of the cleared name is gone');
  });
});
