// lib/state/column-store.ts: a producer's values by column, each column in the narrowest kind its values fit.
import assert from 'node:assert/strict';
import { seededRandom } from '../helpers/seeded-random';
import { ANY, CODED, ColumnStore, FLOAT, INT, SMALL, SPARSE, SparseColumn } from '../../lib/state/column-store';

function store(columns = 1): ColumnStore {
  const s = new ColumnStore();
  for (let i = 0; i < columns; i++) s.addColumn();
  return s;
}

/** The rows' own arrays of sparse values (sparse-rows.ts), private to the store. */
function wideArrays(s: ColumnStore): readonly (unknown[] | undefined)[] {
  return (s as unknown as { sparse: { wide: (unknown[] | undefined)[] } }).sparse.wide;
}

/** Every dense column's slot lies in the row, at a multiple of its size, and overlaps no other. */
function assertSlotsApart(s: ColumnStore, label: string): void {
  const owner = new Array<number>(s.stride).fill(-1);
  const anyOwner = new Array<number>(s.anyStride).fill(-1);
  assert.equal(s.stride % 8, 0, `${label}: a row is a multiple of 8 bytes`);
  for (let col = 0; col < s.width; col++) {
    const kind = s.kinds[col]!;
    const at = s.offsets[col]!;
    if (kind === SPARSE) {
      assert.equal(at, -1);
      continue;
    }
    if (kind === ANY) {
      assert.equal(anyOwner[at], -1, `${label}: any element ${at} of columns ${anyOwner[at]} and ${col}`);
      anyOwner[at] = col;
      continue;
    }
    const size = kind === INT ? 4 : kind === FLOAT ? 8 : 1;
    assert.ok(at >= 0 && at + size <= s.stride && at % size === 0, `${label}: column ${col} at ${at} of ${size}`);
    for (let b = at; b < at + size; b++) {
      assert.equal(owner[b], -1, `${label}: byte ${b} of columns ${owner[b]} and ${col}`);
      owner[b] = col;
    }
  }
}

describe('column store (lib/state/column-store.ts)', () => {
  it('gives each column the narrowest kind of its first value', () => {
    const s = store(7);
    const row = s.allocate();
    const values = [0, 254, 255, -1, 1.5, 'READY', 'x'.repeat(65)];
    values.forEach((v, col) => s.set(col, row, v));
    // 1.5: coded (one byte a row while at most 255 distinct values come)
    assert.deepEqual(s.kinds, [SMALL, SMALL, INT, INT, CODED, CODED, ANY]);
    assert.deepEqual(
      values.map((_, col) => s.get(col, row)),
      values,
    );
  });

  it('keeps every value exactly as set, across every widening (property test over random values)', () => {
    const pool: unknown[] = [
      0,
      1,
      254,
      255,
      -1,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 40,
      1.5,
      -0,
      NaN,
      Infinity,
      null,
      true,
      false,
      '',
      'READY',
      'x'.repeat(65),
    ];
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let trial = 0; trial < 200; trial++) {
      const s = store(1);
      const rows = Array.from({ length: 40 }, () => s.allocate());
      const expected = new Map<number, unknown>();
      for (let step = 0; step < 60; step++) {
        const row = rows[random(rows.length)]!;
        if (random(8) === 0) {
          s.clear(0, row);
          expected.delete(row);
        } else {
          const value = random(3) === 0 ? random(100_000) : pool[random(pool.length)];
          s.set(0, row, value);
          expected.set(row, value);
        }
        for (const r of rows)
          assert.ok(
            Object.is(s.get(0, r), expected.get(r)),
            `trial ${trial} step ${step} row ${r}: kind ${s.kinds[0]}`,
          );
        assertSlotsApart(s, `trial ${trial} step ${step}`);
      }
    }
  });

  it('widens a column only along small → int → coded → float → any, bumping the layout each time', () => {
    const s = store(1);
    const a = s.allocate();
    const b = s.allocate();
    s.set(0, a, 3);
    const kinds = [s.kinds[0]];
    const layouts = [s.layout];
    for (const value of [70_000, null, 1.5e12, 'text']) {
      s.set(0, b, value);
      kinds.push(s.kinds[0]);
      layouts.push(s.layout);
    }
    // 70,000: int; null: coded (3 values); a timestamp: still coded; text: still coded
    assert.deepEqual(kinds, [SMALL, INT, CODED, CODED, CODED]);
    assert.equal(s.get(0, a), 3);
    for (let i = 0; i < 300; i++) s.set(0, b, 1e12 + i); // more than 255 distinct values come
    assert.equal(s.kinds[0], FLOAT, 'numbers alone held: float');
    s.set(0, b, 'text');
    assert.equal(s.kinds[0], ANY, 'text and a number held: any');
    assert.equal(s.get(0, a), 3);
    assert.ok(layouts.every((l, i) => i === 0 || l >= layouts[i - 1]!));
  });

  it('keeps -0 apart from 0 in a coded column (a Map finds -0 under 0)', () => {
    const s = store(1);
    const a = s.allocate();
    const b = s.allocate();
    s.set(0, a, 'x');
    s.set(0, a, 0);
    assert.equal(s.kinds[0], CODED);
    s.set(0, b, -0);
    assert.ok(Object.is(s.get(0, b), -0), `read ${String(s.get(0, b))}`);
    assert.ok(Object.is(s.get(0, a), 0));
  });

  it('leaves room in many rows, so that columns widening one after another do not each lay every row out anew', () => {
    const s = store(90);
    const rows = Array.from({ length: 20_000 }, () => s.allocate());
    for (const row of rows) for (let col = 0; col < 90; col++) s.set(col, row, col < 60 ? row % 200 : 1.5e12 + row);
    const strides = new Set<number>([s.stride]);
    for (let col = 0; col < 20; col++) {
      s.set(col, rows[col]!, 70_000); // a counter passes 254: the column becomes int, in a slot of 4 bytes
      strides.add(s.stride);
    }
    assert.ok(
      strides.size <= 3,
      `the rows were laid out ${strides.size - 1} times: strides ${[...strides].join(', ')}`,
    );
    assert.deepEqual([s.get(19, rows[19]!), s.get(19, rows[0]!), s.get(89, rows[7]!)], [70_000, 0, 1.5e12 + 7]);
    assertSlotsApart(s, 'after the widenings');
  });

  it('a coded column of numbers and null that runs out of codes becomes a float column (timestamps, UNKNOWN)', () => {
    const s = store(1);
    const rows = Array.from({ length: 300 }, () => s.allocate());
    s.set(0, rows[0]!, null);
    rows.forEach((row, i) => {
      if (i > 0) s.set(0, row, 1.496919128431e12 + i);
    });
    assert.equal(s.kinds[0], FLOAT);
    assert.equal(s.get(0, rows[0]!), null, 'null is held by a float column');
    assert.equal(s.get(0, rows[299]!), 1.496919128431e12 + 299);
    s.clear(0, rows[0]!);
    assert.equal(s.get(0, rows[0]!), undefined);
  });

  it('grows every column as rows are allocated, and a released row is cleared and reused', () => {
    const s = store(3);
    const rows = Array.from({ length: 1000 }, () => s.allocate());
    rows.forEach((row) => {
      s.set(0, row, row % 200);
      s.set(1, row, row === 500 ? null : row * 1e9);
      s.set(2, row, `agent${row}`);
    });
    assert.ok(s.capacity >= 1000);
    assert.deepEqual(
      [s.get(0, 999), s.get(1, 500), s.get(1, 999), s.get(2, 999)],
      [999 % 200, null, 999e9, 'agent999'],
    );
    s.release(500);
    assert.equal(s.rows, 999);
    const again = s.allocate();
    assert.equal(again, 500);
    assert.deepEqual([s.get(0, again), s.get(1, again), s.get(2, again)], [undefined, undefined, undefined]);
  });

  it('a new column is sparse and reads nothing; a column past the last reads nothing', () => {
    const s = store(1);
    const row = s.allocate();
    assert.equal(s.kinds[0], SPARSE);
    assert.equal(s.get(0, row), undefined);
    assert.equal(s.get(5, row), undefined);
    s.clear(0, row);
    assert.equal(s.get(0, row), undefined);
    assert.throws(() => s.set(5, row, 1), RangeError);
  });

  it('a column few rows use stays sparse, and a dense one that few rows use any more goes back to sparse', () => {
    const s = store(2);
    const rows = Array.from({ length: 64 }, () => s.allocate());
    for (const row of rows) s.set(0, row, 1);
    s.set(1, rows[3]!, 'odd');
    assert.deepEqual([s.kinds[0], s.kinds[1]], [SMALL, SPARSE]);
    for (let i = 0; i < 6; i++) s.set(1, rows[i]!, i); // 6 rows of a capacity of 81: 1 in 16 and more
    assert.equal(s.kinds[1], SMALL);
    for (let i = 0; i < 6; i++) s.clear(1, rows[i]!);
    s.set(1, rows[0]!, 9);
    const layout = s.layout;
    for (let i = 0; i < 2000; i++) s.allocate(); // growths
    assert.equal(s.kinds[1], SPARSE, 'one value in 2,064 rows');
    assert.ok(s.layout > layout);
    assert.deepEqual([s.get(1, rows[0]!), s.get(1, rows[1]!), s.get(0, rows[63]!)], [9, undefined, 1]);
  });

  it('a row with hundreds of values in sparse columns keeps them in an array of its own, read like any other', () => {
    const s = store(1);
    const rows = Array.from({ length: 2_000 }, () => s.allocate());
    for (const r of rows) s.set(0, r, r % 7); // a counter every row has: dense
    const odd = rows[5]!;
    for (let col = 1; col <= 400; col++) {
      s.addColumn();
      s.set(col, odd, col * 1000);
    }
    s.set(400, rows[6]!, 'another row');
    const wide = wideArrays(s);
    assert.ok(Array.isArray(wide[odd]), 'the odd row has its own array');
    assert.equal(wide[rows[6]!], undefined, 'a row with one sparse value does not');
    const column = s.arrays[400] as SparseColumn;
    assert.deepEqual([s.kinds[400], column.map.size], [SPARSE, 1], "the odd row's values are not in the Maps");
    assert.deepEqual(
      [s.get(0, odd), s.get(1, odd), s.get(400, odd), column.get(odd), s.get(400, rows[6]!), s.get(400, rows[7]!)],
      [5, 1000, 400_000, 400_000, 'another row', undefined],
    );
    s.addColumn(); // a column added after the row became wide
    s.set(401, odd, 'late');
    s.clear(1, odd);
    assert.deepEqual([s.get(401, odd), s.get(1, odd)], ['late', undefined]);
    // Once enough rows use a column, it becomes dense, the odd row's value included.
    for (const r of rows.slice(0, 200)) if (r !== odd) s.set(2, r, 1);
    assert.equal(s.kinds[2], INT, "the odd row's 2000 too");
    assert.deepEqual([s.get(2, odd), wide[odd][2], s.get(2, rows[0]!)], [2000, undefined, 1]);
    s.release(odd);
    assert.equal(wide[odd], undefined, 'a released row gives its array back');
    const reused = s.allocate();
    assert.equal(reused, odd);
    assert.deepEqual([s.get(3, reused), s.get(401, reused), s.get(2, reused)], [undefined, undefined, undefined]);
  });

  it('reads every value as set through sparse, wide and dense columns, growths and released rows (property test)', () => {
    const next = seededRandom(11);
    const random = (n: number): number => Math.floor(next() * n);
    const COLUMNS = 320;
    const s = store(COLUMNS);
    const expected = new Map<number, Map<number, unknown>>(); // row → column → value
    const wide = wideArrays(s);
    let wideSeen = 0;
    const live: number[] = [];
    const check = (label: string): void => {
      for (const row of live)
        for (let col = 0; col < COLUMNS; col++)
          assert.ok(Object.is(s.get(col, row), expected.get(row)!.get(col)), `${label}: row ${row} column ${col}`);
      assertSlotsApart(s, label);
    };
    // Many rows, so that the columns few of them use stay sparse; the random work goes to the last 60.
    for (let i = 0; i < 2_000; i++) {
      const row = s.allocate();
      live.push(row);
      expected.set(row, new Map([[0, i % 3]]));
      s.set(0, row, i % 3);
    }
    for (let step = 0; step < 40_000; step++) {
      const op = random(100);
      if (op < 2 && random(8) === 0) {
        const row = s.allocate();
        assert.ok(!expected.has(row), 'a row in use is not handed out again');
        live.push(row);
        expected.set(row, new Map());
      } else if (op < 3 && random(8) === 0) {
        const row = live.splice(live.length - 1 - random(60), 1)[0]!;
        s.release(row);
        expected.delete(row);
      } else {
        const row = live[live.length - 1 - random(60)]!;
        // a few "wide" rows take values in every column; the others in the first columns mostly
        const col = row % 9 === 0 ? random(COLUMNS) : random(random(8) === 0 ? COLUMNS : 12);
        if (op < 10) {
          s.clear(col, row);
          expected.get(row)!.delete(col);
        } else {
          // a "wide" row takes four values at a time
          for (const c of row % 9 === 0 ? [col, random(COLUMNS), random(COLUMNS), random(COLUMNS)] : [col]) {
            const value = random(4) === 0 ? `v${random(300)}` : random(5) === 0 ? random(1e6) - 5e5 : random(200);
            s.set(c, row, value);
            expected.get(row)!.set(c, value);
          }
        }
      }
      if (step % 5_000 === 4_999) {
        check(`step ${step}`);
        wideSeen = Math.max(wideSeen, wide.filter((own) => own !== undefined).length);
      }
    }
    check('the end');
    assert.ok(wideSeen > 0, 'some rows became wide');
    assert.ok(s.kinds.includes(SPARSE) && s.kinds.some((k) => k !== SPARSE), 'sparse and dense columns both');
  });

  it('holds 100,000 rows of 40 counters in a fraction of the slots an array per record takes', () => {
    const s = store(40);
    for (let i = 0; i < 100_000; i++) {
      const row = s.allocate();
      for (let col = 0; col < 40; col++) s.set(col, row, col < 30 ? 0 : i % 1000);
    }
    let bytes = s.capacity * (s.stride + 8 * s.anyStride);
    for (const a of s.arrays) if (a !== null) bytes += a.map.size * 40;
    // 30 small columns at 1 byte and 10 int columns at 4, against 8 bytes a slot: 70 bytes a row, not 320
    assert.ok(bytes < 100_000 * 40 * 8 * 0.3, `${bytes} bytes`);
  });
});
