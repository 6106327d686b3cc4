// lib/state/column-kinds.ts: what each kind of column holds, and where a column may move.
import assert from 'node:assert/strict';
import { ANY, CODED, denserKinds, FLOAT, fits, INT, INT_ABSENT, SMALL, SPARSE } from '../../lib/state/column-kinds';

describe('column kinds (lib/state/column-kinds.ts)', () => {
  it('holds in each kind only what it can give back exactly', () => {
    const values: unknown[] = [0, 254, 255, -1, -0, INT_ABSENT, 1.5, NaN, null, true, 'READY', 'x'.repeat(65), {}];
    // one character per value above: 1 when the kind holds it
    const held = (kind: number): string => values.map((v) => (fits(kind, v) ? '1' : '0')).join('');
    assert.equal(held(SMALL), '1100000000000');
    assert.equal(held(INT), '1111000000000');
    assert.equal(held(CODED), '1111011111100', 'no -0 (a Map key meets 0), no long text, no object');
    assert.equal(held(FLOAT), '1111111010000', 'null is a float of its own bits; NaN is the absent marker');
    assert.ok(values.every((v) => fits(ANY, v) && fits(SPARSE, v)));
  });

  it('moves a column only to wider kinds: small → int → coded → float → any', () => {
    assert.deepEqual(denserKinds(SPARSE), [SMALL, INT, CODED, FLOAT, ANY]);
    assert.deepEqual(denserKinds(SMALL), [INT, CODED, FLOAT, ANY]);
    assert.deepEqual(denserKinds(INT), [CODED, FLOAT, ANY]);
    assert.deepEqual(denserKinds(CODED), [FLOAT, ANY]);
    assert.deepEqual(denserKinds(FLOAT), [ANY]);
    assert.deepEqual(denserKinds(ANY), []);
  });
});
