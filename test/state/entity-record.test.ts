import assert from 'node:assert/strict';
import { entityKey } from '../../lib/entity-key';
import { EntityRecord } from '../../lib/state/entity-record';
import { ProducerView } from '../../lib/state/producer-view';

/** A record of a view with `width` columns (c0, c1, …). */
function record(dims: string[], width = 2, view = new ProducerView<EntityRecord>('P')): EntityRecord {
  for (let col = view.names.length; col < width; col++) view.column(`c${col}`);
  return new EntityRecord('P/k', view, dims);
}

describe('lib/state/entity-record EntityRecord', () => {
  it('starts as a row without values, as wide as its view, with no pumpup state', () => {
    const r = record(['agentId', '7'], 3);
    assert.equal(r.row, 0);
    assert.equal(r.width, 3);
    assert.deepEqual([r.prev, r.pumped, r.touched, r.shape], [null, 0, 0, null]);
    assert.equal(r.valueAt(0), undefined);
    assert.equal(r.valueAt(7), undefined, 'past the last column');
  });

  it('records of one view are rows of its column store', () => {
    const view = new ProducerView<EntityRecord>('P');
    const a = record([], 2, view);
    const b = record([], 2, view);
    a.setValue(0, 'x');
    b.setValue(0, 'y');
    assert.deepEqual([a.row, b.row, a.valueAt(0), b.valueAt(0)], [0, 1, 'x', 'y']);
    a.setValue(0, undefined);
    assert.equal(a.valueAt(0), undefined, 'setValue(undefined) clears');
  });

  it('valueAt falls back to prev during a pumpup only for columns without a new value', () => {
    const r = record([], 2);
    r.prev = ['old0', 'old1', 'old2'];
    r.setValue(0, 'new0');
    r.setValue(1, null);
    assert.equal(r.valueAt(0), 'new0');
    assert.equal(r.valueAt(1), null, 'null is a real value (UNKNOWN), not a gap');
    assert.equal(r.valueAt(2), 'old2');
    assert.equal(r.width, 3, 'as wide as the wider of the view and prev');
    r.prev = null;
    assert.equal(r.valueAt(2), undefined);
    assert.equal(r.width, 2);
  });

  it('detach keeps the last values readable and gives the row back for the next record', () => {
    const view = new ProducerView<EntityRecord>('P');
    const r = record([], 3, view);
    r.setValue(0, 'READY');
    r.setValue(2, 5);
    r.detach();
    assert.equal(r.row, -1);
    assert.deepEqual([r.valueAt(0), r.valueAt(1), r.valueAt(2), r.width], ['READY', undefined, 5, 3]);
    r.detach(); // twice: nothing more
    const next = record([], 3, view);
    assert.equal(next.row, 0, 'the row is reused');
    assert.deepEqual(
      [next.valueAt(0), next.valueAt(2)],
      [undefined, undefined],
      'and holds nothing of the former record',
    );
    assert.equal(r.valueAt(0), 'READY', 'the detached record does not read the reused row');
  });

  it('looks dimension values up by name', () => {
    const r = record(['a', '1', 'b', '2']);
    assert.equal(r.dimensionValue('a'), '1');
    assert.equal(r.dimensionValue('b'), '2');
    assert.equal(r.dimensionValue('1'), undefined, 'values are not names');
    assert.equal(r.dimensionValue('c'), undefined);
  });

  it('dimension() is a fresh prototype-less object; hostile names stay plain keys', () => {
    const r = record(['__proto__', 'x', 'constructor', 'y']);
    const d = r.dimension();
    assert.equal(Object.getPrototypeOf(d), null);
    assert.deepEqual(Object.keys(d), ['__proto__', 'constructor']);
    assert.equal(d['__proto__'], 'x');
    assert.notEqual(r.dimension(), d);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('reads its dimension from its key and keeps no array of its own, unless the key cannot tell it exactly', () => {
    const view = new ProducerView<EntityRecord>('Agent_SoD_3.5');
    const keyed = (dimension: Record<string, string>): EntityRecord => {
      const dims = Object.keys(dimension)
        .sort()
        .flatMap((name) => [name, dimension[name]!]);
      return new EntityRecord(entityKey(view.id, dimension), view, dims);
    };
    const own = (r: EntityRecord): unknown => (r as unknown as { ownDims: unknown }).ownDims;

    const plain = keyed({ agentId: '4711', accountId: 'x=y', channelId: '' });
    assert.equal(own(plain), null, 'the key tells it');
    assert.deepEqual(plain.dims, ['accountId', 'x=y', 'agentId', '4711', 'channelId', '']);
    assert.notEqual(plain.dims, plain.dims, 'a fresh array each time: nobody can change it');
    assert.deepEqual(
      ['agentId', 'accountId', 'channelId', 'accountId=x', 'x', 'gentId', ''].map((n) => plain.dimensionValue(n)),
      ['4711', 'x=y', '', undefined, undefined, undefined, undefined],
    );
    assert.deepEqual({ ...plain.dimension() }, { accountId: 'x=y', agentId: '4711', channelId: '' });

    for (const dimension of [{ agentId: 'a/b' }, { 'a/b': '1' }, { 'a=b': '1' }, { a: 'x/b=2' }] as Array<
      Record<string, string>
    >) {
      const r = keyed(dimension);
      assert.notEqual(own(r), null, `${JSON.stringify(dimension)} keeps its own array`);
      assert.deepEqual({ ...r.dimension() }, dimension);
      const [name] = Object.keys(dimension);
      assert.equal(r.dimensionValue(name!), dimension[name!]);
      assert.equal(r.dimensionValue('b'), undefined);
    }
    // A key whose dimension is written in another order (a flow's msg.topic) keeps the dimension's order.
    const unsorted = new EntityRecord('Agent_SoD_3.5/b=1/a=2', view, ['a', '2', 'b', '1']);
    assert.deepEqual(unsorted.dims, ['a', '2', 'b', '1']);
  });

  it('dimension() ignores a trailing name without a value', () => {
    assert.deepEqual(Object.keys(record(['a', '1', 'b']).dimension()), ['a']);
  });
});
