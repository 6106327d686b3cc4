// lib/state/producer-view.ts: a producer's column layout (name → column, shared by its records).
import assert from 'node:assert/strict';
import { StateInputError } from '../../lib/state/index';
import { MAX_MEASURES_PER_PRODUCER, ProducerView } from '../../lib/state/producer-view';

describe('producer view (lib/state/producer-view.ts)', () => {
  it('gives each measure a column on first sight and keeps it', () => {
    const view = new ProducerView<never>('P');
    assert.deepEqual(view.columnsFor(['a', 'b']), [0, 1]);
    assert.deepEqual(view.columnsFor(['b', 'c', 'a']), [1, 2, 0]);
    assert.deepEqual(view.names, ['a', 'b', 'c']);
    assert.equal(view.columnOf('c'), 2);
    assert.equal(view.columnOf('__proto__'), undefined);
    assert.equal(view.columns.width, 3, 'a column of the store per measure');
  });

  it('reuses the answer for the same names in the same order', () => {
    const view = new ProducerView<never>('P');
    const first = view.columnsFor(['x', 'y']);
    assert.equal(view.columnsFor(['x', 'y']), first);
    assert.deepEqual(view.shapeNames, ['x', 'y']);
    assert.notEqual(view.columnsFor(['y', 'x']), first);
  });

  it('reuses the columns of the names a row shares with the last one from the start', () => {
    const view = new ProducerView<never>('P');
    assert.deepEqual(view.columnsFor(['a', 'b', 'c']), [0, 1, 2]);
    assert.deepEqual(view.columnsFor(['a', 'b', 'd']), [0, 1, 3], 'a new trailing name');
    assert.deepEqual(view.columnsFor(['a', 'b']), [0, 1], 'fewer names');
    assert.deepEqual(view.columnsFor(['a', 'b', 'd', 'c', 'e']), [0, 1, 3, 2, 4], 'more names');
    assert.deepEqual(view.columnsFor(['c', 'b', 'a']), [2, 1, 0], 'nothing shared');
    assert.deepEqual(view.names, ['a', 'b', 'c', 'd', 'e']);
  });

  it('notes the column of lastStateChangeTimestamp', () => {
    const view = new ProducerView<never>('P');
    assert.equal(view.stateChangeColumn, -1);
    view.columnsFor(['agentState', 'lastStateChangeTimestamp']);
    assert.equal(view.stateChangeColumn, 1);
  });

  it('refuses names beyond the bound without creating any', () => {
    const view = new ProducerView<never>('P');
    const names = Array.from({ length: MAX_MEASURES_PER_PRODUCER }, (_, i) => `m${i}`);
    assert.notEqual(view.columnsFor(names), null);
    assert.equal(view.hasRoomFor(['m0']), true);
    assert.equal(view.hasRoomFor(['new']), false);
    assert.equal(view.columnsFor(['m1', 'new']), null);
    assert.equal(view.columnOf('new'), undefined);
    assert.throws(() => view.column('new'), StateInputError);
  });
});
