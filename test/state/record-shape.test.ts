// lib/state/record-shape.ts: compiled record builders, one per shape, from plain inputs.
import assert from 'node:assert/strict';
import { ShapeCache, type RecordSource } from '../../lib/state/record-shape';

function source(dims: string[], values: unknown[]): RecordSource {
  return { dims, width: values.length, valueAt: (col) => values[col] };
}

describe('record shapes (lib/state/record-shape.ts)', () => {
  const names = ['agentState', 'agentId', 'n', 'empty'];

  it('compiles a builder: dimension fields first, a dimension field winning over a measure', () => {
    const cache = new ShapeCache();
    const values = ['READY', 'measure-id', 3, undefined];
    const shape = cache.shapeOf(source(['agentId', 'a'], values), names, false);
    assert.ok(shape !== null && shape.build !== null);
    assert.deepEqual(shape.present, [0, 1, 2]);
    assert.deepEqual(shape.dimNames, ['agentId']);
    const record = shape.build(values, [], ['agentId', 'a'], 0, 0);
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
    const a = cache.shapeOf(source(['agentId', 'a'], ['READY', undefined, 1]), names, true);
    const b = cache.shapeOf(source(['agentId', 'b'], ['IDLE', undefined, 2]), names, true);
    assert.equal(a, b);
    assert.notEqual(cache.shapeOf(source(['agentId', 'b'], ['IDLE', undefined, 2]), names, false), a);
    assert.deepEqual(
      { ...a?.build?.(['IDLE', undefined, 2], [], ['agentId', 'b'], 10, 5) },
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
    const values = [undefined, undefined, 7];
    const prev = ['NOT_READY'];
    const entity: RecordSource = { dims: ['agentId', 'a'], width: 3, valueAt: (c) => values[c] ?? prev[c] };
    const shape = cache.shapeOf(entity, names, false);
    assert.deepEqual(
      { ...shape?.buildMerged?.(values, prev, ['agentId', 'a'], 0, 0) },
      {
        agentId: 'a',
        agentState: 'NOT_READY',
        n: 7,
      },
    );
  });

  it('makes no builder for a "__proto__" field (such records are built key by key)', () => {
    const shape = new ShapeCache().shapeOf(source(['agentId', 'a'], ['x']), ['__proto__'], false);
    assert.ok(shape !== null);
    assert.equal(shape.build, null);
    assert.equal(shape.buildMerged, null);
  });
});
