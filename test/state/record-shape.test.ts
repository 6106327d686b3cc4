// lib/state/record-shape.ts: compiled record builders, one per shape, from plain inputs.
import assert from 'node:assert/strict';
import { ColumnStore } from '../../lib/state/column-store';
import { ShapeCache, type RecordSource } from '../../lib/state/record-shape';

/** A column store of 4 columns and a record of it (its row) holding these values. */
function source(
  dims: string[],
  values: unknown[],
  store = new ColumnStore(),
): RecordSource & { store: ColumnStore; row: number } {
  while (store.width < 4) store.addColumn();
  const row = store.allocate();
  values.forEach((value, col) => {
    if (value !== undefined) store.set(col, row, value);
  });
  return { dims, width: store.width, valueAt: (col) => store.get(col, row), store, row };
}

function shapeOf(cache: ShapeCache, s: ReturnType<typeof source>, names: string[], withSince: boolean) {
  return cache.shapeOf(s, names, withSince, s.store);
}

describe('record shapes (lib/state/record-shape.ts)', () => {
  const names = ['agentState', 'agentId', 'n', 'empty'];

  it('compiles a builder: dimension fields first, a dimension field winning over a measure', () => {
    const cache = new ShapeCache();
    const s = source(['agentId', 'a'], ['READY', 'measure-id', 3, undefined]);
    const shape = shapeOf(cache, s, names, false);
    assert.ok(shape !== null && shape.build !== null);
    assert.deepEqual(shape.present, [0, 1, 2]);
    assert.deepEqual(shape.dimNames, ['agentId']);
    const record = shape.build(s.store, s.row, [], ['agentId', 'a'], 0, 0);
    assert.deepEqual({ ...record }, { agentId: 'a', agentState: 'READY', n: 3 });
    // Built by a constructor (no allocation site for V8 to pretenure) whose prototype has none: no inherited
    // setter or read-only field can meet the assignments, and toRecord drops that prototype.
    const proto = Object.getPrototypeOf(record) as object;
    assert.notEqual(proto, Object.prototype, 'not an object literal (whose allocation site V8 may pretenure)');
    assert.equal(Object.getPrototypeOf(proto), null);
    assert.deepEqual(Reflect.ownKeys(proto), [], 'an empty prototype: no inherited field or setter');
  });

  it('reuses a shape for the same present columns and dimension names, and adds the derived fields', () => {
    const cache = new ShapeCache();
    const sa = source(['agentId', 'a'], ['READY', undefined, 1]);
    const sb = source(['agentId', 'b'], ['IDLE', undefined, 2], sa.store);
    const a = shapeOf(cache, sa, names, true);
    assert.equal(shapeOf(cache, sb, names, true), a);
    assert.notEqual(shapeOf(cache, sb, names, false), a);
    assert.deepEqual(
      { ...a?.build?.(sb.store, sb.row, [], ['agentId', 'b'], 10, 5) },
      {
        agentId: 'b',
        agentState: 'IDLE',
        n: 2,
        stateSince: 10,
        timeInStateMs: 5,
      },
    );
  });

  it('reads the former values where a replacing record has none (buildMerged)', () => {
    const cache = new ShapeCache();
    const s = source(['agentId', 'a'], [undefined, undefined, 7]);
    const prev = ['NOT_READY'];
    const entity: RecordSource = { dims: ['agentId', 'a'], width: 4, valueAt: (c) => s.valueAt(c) ?? prev[c] };
    const shape = cache.shapeOf(entity, names, false, s.store);
    assert.deepEqual(
      { ...shape?.buildMerged?.(s.store, s.row, prev, ['agentId', 'a'], 0, 0) },
      {
        agentId: 'a',
        agentState: 'NOT_READY',
        n: 7,
      },
    );
  });

  it('reads every kind of column, null in a float column included, and compiles again for a new layout', () => {
    const cache = new ShapeCache();
    const s = source([], [1, 70_000, 'READY', 1.5e12]);
    const t = source([], [2, -5, null, null], s.store);
    const cols = ['small', 'int', 'coded', 'float'];
    const first = shapeOf(cache, s, cols, false);
    assert.deepEqual(
      { ...first.build!(s.store, t.row, [], [], 0, 0) },
      {
        small: 2,
        int: -5,
        coded: null,
        float: null,
      },
    );
    s.store.set(0, s.row, 'text'); // the small column becomes coded: another layout
    const second = shapeOf(cache, s, cols, false);
    assert.notEqual(second, first);
    assert.deepEqual(
      { ...second.build!(s.store, s.row, [], [], 0, 0) },
      {
        small: 'text',
        int: 70_000,
        coded: 'READY',
        float: 1.5e12,
      },
    );
    const prev = ['p0', 'p1', 'p2', 'p3'];
    const empty = source([], [undefined, undefined, undefined, undefined], s.store);
    s.store.set(3, empty.row, null);
    assert.deepEqual(
      { ...second.buildMerged!(s.store, empty.row, prev, [], 0, 0) },
      { small: 'p0', int: 'p1', coded: 'p2', float: null },
      'buildMerged reads prev where the row has nothing, and a null as held',
    );
  });

  it('makes no builder for a "__proto__" field (such records are built key by key)', () => {
    const shape = shapeOf(new ShapeCache(), source(['agentId', 'a'], ['x']), ['__proto__'], false);
    assert.ok(shape !== null);
    assert.equal(shape.build, null);
    assert.equal(shape.buildMerged, null);
  });
});
