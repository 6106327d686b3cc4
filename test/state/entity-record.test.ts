import assert from 'node:assert/strict';
import { heapUsedAfterGc } from '../helpers/process-resources';
import { EntityRecord } from '../../lib/state/entity-record';
import { ProducerView } from '../../lib/state/producer-view';

function record(dims: string[], width = 2): EntityRecord {
  return new EntityRecord('P/k', new ProducerView<EntityRecord>('P'), dims, width);
}

describe('lib/state/entity-record EntityRecord', () => {
  it('starts with an empty values array of the given width and no pumpup state', () => {
    const r = record(['agentId', '7'], 3);
    assert.equal(r.values.length, 3);
    assert.equal(r.width, 3);
    assert.deepEqual([r.prev, r.pumped, r.touched, r.shape], [null, 0, 0, null]);
    assert.equal(r.valueAt(0), undefined);
  });

  it('valueAt falls back to prev during a pumpup only for columns without a new value', () => {
    const r = record([], 2);
    r.prev = ['old0', 'old1', 'old2'];
    r.values[0] = 'new0';
    r.values[1] = null;
    assert.equal(r.valueAt(0), 'new0');
    assert.equal(r.valueAt(1), null, 'null is a real value (UNKNOWN), not a gap');
    assert.equal(r.valueAt(2), 'old2');
    assert.equal(r.width, 3, 'as wide as the wider of values and prev');
    r.prev = null;
    assert.equal(r.valueAt(2), undefined);
    assert.equal(r.width, 2);
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

  it('dimension() ignores a trailing name without a value', () => {
    assert.deepEqual(Object.keys(record(['a', '1', 'b']).dimension()), ['a']);
  });

  it('widen copies the values into an array of exactly the width asked, and only when it is narrower', () => {
    const r = record([], 2);
    r.values[0] = 'a';
    r.values[1] = null;
    const before = r.values;
    assert.equal(r.widen(2), before, 'wide enough: the same array');
    const wider = r.widen(5);
    assert.equal(r.values, wider);
    assert.notEqual(wider, before);
    assert.equal(wider.length, 5);
    assert.deepEqual([wider[0], wider[1], 2 in wider, 4 in wider], ['a', null, false, false]);
  });

  it('a record that gains a column holds no spare slots (10,000 records widened by one column)', () => {
    // An array grown by a write past its end keeps ~50 % spare capacity (V8 grows by old + old/2 + 16):
    // for 95 columns that is 65 more slots, 520 bytes per record. widen() allocates exactly.
    const view = new ProducerView<EntityRecord>('P');
    const records = Array.from({ length: 10_000 }, (_, i) => {
      const r = new EntityRecord(`P/k${i}`, view, [], 95);
      for (let col = 0; col < 95; col++) r.values[col] = col;
      return r;
    });
    const base = heapUsedAfterGc();
    for (const r of records) r.widen(96)[95] = 1;
    const grownExactly = heapUsedAfterGc() - base;
    for (const r of records) r.values = r.values.slice(); // the same width again, exactly allocated
    for (const r of records) r.values[96] = 1; // now grown by a write past the end (V8's rule)
    const grownByWrite = heapUsedAfterGc() - base;
    assert.ok(
      grownExactly < grownByWrite - 10_000 * 300,
      `widen: ${grownExactly} bytes for 10,000 records; by a write: ${grownByWrite}`,
    );
    assert.equal(records[0]!.values.length, 97);
  });
});
