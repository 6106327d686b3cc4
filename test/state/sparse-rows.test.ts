// lib/state/sparse-rows.ts: the sparse columns' Maps, and the rows that hold so many sparse values that they
// keep them in an array of their own.
import assert from 'node:assert/strict';
import { SparseRows, WIDE_ROW } from '../../lib/state/sparse-rows';

/** SparseRows with `columns` open columns and room for `rows` rows. */
function sparseRows(columns: number, rows = 16): { s: SparseRows; cols: ReturnType<SparseRows['open']>[] } {
  const s = new SparseRows();
  s.grow(rows);
  return { s, cols: Array.from({ length: columns }, (_, col) => s.open(col)) };
}

describe('sparse rows (lib/state/sparse-rows.ts)', () => {
  it('keeps a value per row in the column’s Map, and says so, until the row holds over WIDE_ROW of them', () => {
    const { s, cols } = sparseRows(WIDE_ROW + 2);
    for (let col = 0; col < WIDE_ROW; col++) assert.equal(s.put(col, 3, col), true, `value ${col} in the Map`);
    assert.equal(s.put(0, 3, 'again'), true, 'a replaced value stays in the Map (and is not counted twice)');
    assert.equal(s.isWide(3), false);
    assert.equal(s.put(WIDE_ROW, 3, 'one more'), false, 'the value over WIDE_ROW goes to the row’s own array');
    assert.equal(s.isWide(3), true);
    assert.deepEqual(
      [cols[0]!.get(3), cols[1]!.get(3), cols[WIDE_ROW]!.get(3), cols[WIDE_ROW + 1]!.get(3)],
      ['again', 1, 'one more', undefined],
    );
    assert.equal(
      cols.reduce((n, c) => n + c.map.size, 0),
      0,
      'every value of the row left the Maps',
    );
    assert.equal(s.put(WIDE_ROW + 1, 3, 'last'), false);
    assert.equal(cols[WIDE_ROW + 1]!.get(3), 'last');
  });

  it('counts a row’s values down on clear, so that replaced and cleared values never make it wide', () => {
    const { s, cols } = sparseRows(WIDE_ROW + 1);
    for (let round = 0; round < 3; round++) {
      for (let col = 0; col < WIDE_ROW; col++) s.put(col, 1, round);
      for (let col = 0; col < WIDE_ROW; col++) s.clear(col, 1);
    }
    assert.equal(s.put(WIDE_ROW, 1, 'x'), true, 'one value held: still in the Map');
    assert.equal(s.isWide(1), false);
    assert.equal(cols[0]!.get(1), undefined);
  });

  it('a column that goes dense takes its values out of the counts and the wide rows', () => {
    const { s, cols } = sparseRows(WIDE_ROW + 1);
    for (let col = 0; col <= WIDE_ROW; col++) s.put(col, 2, col); // row 2 wide
    s.put(0, 5, 'five');
    s.close(0);
    assert.equal(cols[0]!.get(2), undefined, 'the wide row no longer holds a value for the closed column');
    const reopened = s.open(0); // e.g. back to sparse at a growth
    assert.equal(reopened.get(5), undefined);
    assert.equal(s.put(0, 5, 'again'), true);
    assert.equal(reopened.get(5), 'again');
    assert.equal(s.put(0, 2, 'wide again'), false, 'a wide row keeps taking values in its own array');
    assert.equal(reopened.get(2), 'wide again');
  });

  it('a closed column’s values no longer count towards making a row wide', () => {
    const { s } = sparseRows(WIDE_ROW + 101);
    for (let col = 0; col < 200; col++) s.put(col, 6, col);
    for (let col = 0; col < 100; col++) s.close(col); // 100 values left in the Maps
    for (let col = 200; col < 200 + WIDE_ROW - 100; col++) assert.equal(s.put(col, 6, col), true);
    assert.equal(s.isWide(6), false, 'WIDE_ROW values held: not over it');
    assert.equal(s.put(WIDE_ROW + 100, 6, 'one more'), false, 'a new column: one value over');
    assert.equal(s.isWide(6), true);
  });

  it('lists a column’s values from its Map and from the wide rows, and forgets a released row', () => {
    const { s } = sparseRows(WIDE_ROW + 1);
    for (let col = 0; col <= WIDE_ROW; col++) s.put(col, 4, `w${col}`); // row 4 wide
    s.put(7, 9, 'map');
    const seen: [number, unknown][] = [];
    s.forEach(7, 16, (row, value) => seen.push([row, value]));
    assert.deepEqual(seen, [
      [9, 'map'],
      [4, 'w7'],
    ]);
    for (let col = 0; col <= WIDE_ROW; col++) s.clear(col, 4);
    s.release(4);
    assert.equal(s.isWide(4), false);
    assert.equal(s.put(3, 4, 'reused'), true, 'a reused row starts with no values and no array');
  });

  it('keeps the counts across a growth', () => {
    const { s } = sparseRows(WIDE_ROW + 1, 4);
    for (let col = 0; col < WIDE_ROW; col++) s.put(col, 3, col);
    s.grow(64);
    assert.equal(s.put(WIDE_ROW, 3, 'over'), false, 'the count of row 3 survived the growth');
    assert.equal(s.isWide(3), true);
  });
});
