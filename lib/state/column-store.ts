// The values of a producer's records, held by column: one array per measure, one row per entity. Why
// not an array per record: a tagged slot costs 8 bytes whatever it holds, and two thirds of a contact
// center's measures are counters at 0 (bench/README.md, "The 100k view"). By column, each measure gets
// the narrowest array its values fit:
//
//   kind    array          holds                                   absent
//   sparse  SparseColumn   anything, in few rows                   no entry
//   small   Uint8Array     integers 0…254, stored + 1              0
//   int     Int32Array     other 32-bit integers                   -2³¹
//   coded   Uint8Array     codes of at most 255 distinct scalars   0
//   float   Float64Array   any other number but NaN, and null      NaN (null: a NaN of its own bits)
//   any     Array          whatever else                           undefined
//
// A column starts sparse, and becomes dense once at least 1 row in DENSE_EVERY holds a value: so one odd
// row with thousands of measures costs a Map entry per value, not a column of every row (sparse-rows.ts
// holds the sparse columns, and the rows with so many sparse values that they get an array of their own).
// A value the column's kind cannot hold moves the whole column to a wider kind (O(rows)); so may a growth
// of the store (back to sparse, when few rows hold a value). Either bumps `layout`, which makes the
// compiled record builders (record-shape.ts), who read each column by its kind, be compiled again. A dense
// column only moves along small → int → coded → float → any (a step may skip some), and back to sparse at
// a growth (a logarithmic number of times). Timestamps are float columns: epoch ms, or null for UNKNOWN.
// Pure data: no entity or view types here (they refer to this module, not the other way round).

import {
  ANY,
  CODED,
  denserKinds,
  FLOAT,
  fits,
  HIGH_WORD,
  INT,
  INT_ABSENT,
  isCodable,
  isInt,
  isSmall,
  MAX_CODES,
  NULL_HIGH_BITS,
  SMALL,
  SPARSE,
} from './column-kinds';
import { SparseColumn, SparseRows } from './sparse-rows';

export { ANY, CODED, FLOAT, HIGH_WORD, INT, INT_ABSENT, NULL_HIGH_BITS, SMALL, SPARSE, SparseColumn };

/** A column is dense while at least 1 row in this many holds a value. */
const DENSE_EVERY = 16;
const MIN_CAPACITY = 16;

export type ColumnArray = SparseColumn | Uint8Array | Int32Array | Float64Array | unknown[];

export class ColumnStore {
  /** Per column: the kind (column-kinds.ts). */
  readonly kinds: number[] = [];
  /** Per column: its SparseColumn or its array, `capacity` long. */
  readonly arrays: ColumnArray[] = [];
  /**
   * Per column: code → value of a coded column (index 0 unused); the Uint32Array view of a float column's
   * buffer (its null); else null.
   */
  readonly tables: (unknown[] | Uint32Array | null)[] = [];
  /** Per coded column: value → code. */
  private readonly codes: (Map<unknown, number> | null)[] = [];
  /** Bumped whenever a column changes kind: a builder compiled for the former kinds must not be used. */
  layout = 0;
  /** Rows every dense column has room for. */
  capacity = 0;
  /** Rows handed out so far (the highest in use + 1, at most). */
  private used = 0;
  /** Rows given back, for reuse. */
  private readonly free: number[] = [];
  /** The sparse columns' Maps and the wide rows' own arrays. */
  private readonly sparse = new SparseRows();

  /** Columns. */
  get width(): number {
    return this.kinds.length;
  }

  /** Rows in use. */
  get rows(): number {
    return this.used - this.free.length;
  }

  addColumn(): void {
    this.kinds.push(SPARSE);
    this.arrays.push(this.sparse.open(this.arrays.length));
    this.tables.push(null);
    this.codes.push(null);
  }

  /** A row without values. */
  allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.capacity) this.grow(Math.max(MIN_CAPACITY, Math.ceil(this.capacity * 1.5)));
    return this.used++;
  }

  /** Clears the row and takes it back (its entity must no longer read it). */
  release(row: number): void {
    for (let col = 0; col < this.kinds.length; col++) this.clear(col, row);
    this.sparse.release(row);
    this.free.push(row);
  }

  /** The value of a column in a row, undefined when it has none. */
  get(col: number, row: number): unknown {
    // one case per kind, each with its own element access: every access site sees one array type
    switch (this.kinds[col]) {
      case SMALL: {
        const x = (this.arrays[col] as Uint8Array)[row] as number;
        return x === 0 ? undefined : x - 1;
      }
      case INT: {
        const x = (this.arrays[col] as Int32Array)[row] as number;
        return x === INT_ABSENT ? undefined : x;
      }
      case CODED: {
        const x = (this.arrays[col] as Uint8Array)[row] as number;
        return x === 0 ? undefined : (this.tables[col] as unknown[])[x];
      }
      case FLOAT: {
        const x = (this.arrays[col] as Float64Array)[row] as number;
        if (x === x) return x;
        return (this.tables[col] as Uint32Array)[2 * row + HIGH_WORD] === NULL_HIGH_BITS ? null : undefined;
      }
      case ANY:
        return (this.arrays[col] as unknown[])[row];
      case SPARSE:
        return (this.arrays[col] as SparseColumn).get(row);
      default:
        return undefined;
    }
  }

  /** Sets a value (not undefined: see clear), moving the column to another kind when it cannot hold it. */
  set(col: number, row: number, value: unknown): void {
    switch (this.kinds[col]) {
      case SMALL:
        if (isSmall(value)) {
          (this.arrays[col] as Uint8Array)[row] = value + 1;
          return;
        }
        break;
      case INT:
        if (isInt(value)) {
          (this.arrays[col] as Int32Array)[row] = value;
          return;
        }
        break;
      case CODED: {
        const code = this.codeOf(col, value);
        if (code !== 0) {
          (this.arrays[col] as Uint8Array)[row] = code;
          return;
        }
        break;
      }
      case FLOAT:
        if (typeof value === 'number' && value === value) {
          (this.arrays[col] as Float64Array)[row] = value;
          return;
        }
        if (value === null) {
          const words = this.tables[col] as Uint32Array;
          words[2 * row + HIGH_WORD] = NULL_HIGH_BITS;
          words[2 * row + 1 - HIGH_WORD] = 0;
          return;
        }
        break;
      case ANY:
        (this.arrays[col] as unknown[])[row] = value;
        return;
      case SPARSE:
        if (
          this.sparse.put(col, row, value) &&
          (this.arrays[col] as SparseColumn).map.size * DENSE_EVERY >= this.capacity
        )
          this.recast(col, denserKinds(SPARSE), undefined);
        return;
      default:
        throw new RangeError(`no column ${col}`);
    }
    this.recast(col, denserKinds(this.kinds[col]), value);
    this.set(col, row, value);
  }

  /** Removes a column's value from a row. */
  clear(col: number, row: number): void {
    const array = this.arrays[col];
    switch (this.kinds[col]) {
      case INT:
        (array as Int32Array)[row] = INT_ABSENT;
        return;
      case FLOAT:
        (array as Float64Array)[row] = NaN;
        return;
      case ANY:
        (array as unknown[])[row] = undefined;
        return;
      case SPARSE:
        this.sparse.clear(col, row);
        return;
      case SMALL:
      case CODED:
        (array as Uint8Array)[row] = 0;
        return;
      default:
        return;
    }
  }

  /** The code of a value in a coded column, added if there is room; 0 when it cannot be coded. */
  private codeOf(col: number, value: unknown): number {
    const codes = this.codes[col] as Map<unknown, number>;
    const code = codes.get(value);
    if (code !== undefined) return code;
    const table = this.tables[col] as unknown[];
    if (table.length > MAX_CODES || !isCodable(value)) return 0;
    codes.set(value, table.length);
    table.push(value);
    return table.length - 1;
  }

  /**
   * Moves a column to the first of `kinds` holding every row's value and `value` (unless undefined), keeping
   * them. A coded column is given only the codes of the values held (a full table of former values starts
   * over when a column is recast as coded again).
   */
  private recast(col: number, kinds: readonly number[], value: unknown): void {
    const rows: number[] = [];
    const held: unknown[] = [];
    this.forEachValue(col, (row, x) => {
      rows.push(row);
      held.push(x);
    });
    if (value !== undefined) held.push(value);
    const target =
      kinds.find((k) => held.every((x) => fits(k, x)) && (k !== CODED || new Set(held).size <= MAX_CODES)) ?? ANY;
    if (this.kinds[col] === SPARSE) this.sparse.close(col); // dense from now on
    this.reset(col, target);
    for (let i = 0; i < rows.length; i++) this.set(col, rows[i] as number, held[i]);
  }

  private forEachValue(col: number, visit: (row: number, value: unknown) => void): void {
    if (this.kinds[col] === SPARSE) {
      this.sparse.forEach(col, this.used, visit);
      return;
    }
    for (let row = 0; row < this.used; row++) {
      const value = this.get(col, row);
      if (value !== undefined) visit(row, value);
    }
  }

  /** Makes a column an empty one of this kind. */
  private reset(col: number, kind: number): void {
    this.kinds[col] = kind;
    const array = kind === SPARSE ? this.sparse.open(col) : newArray(kind, this.capacity);
    this.arrays[col] = array;
    this.tables[col] =
      kind === CODED ? [undefined] : kind === FLOAT ? new Uint32Array((array as Float64Array).buffer) : null;
    this.codes[col] = kind === CODED ? new Map<unknown, number>() : null;
    this.layout++;
  }

  private grow(capacity: number): void {
    this.sparse.grow(capacity);
    for (let col = 0; col < this.kinds.length; col++) {
      const kind = this.kinds[col] as number;
      if (kind === SPARSE) continue;
      const old = this.arrays[col] as Exclude<ColumnArray, SparseColumn>;
      let held = 0;
      for (let row = 0; row < this.used; row++) if (this.get(col, row) !== undefined) held++;
      if (held * DENSE_EVERY < capacity) {
        // few rows hold a value (one odd wide row, say): back to a Map, not a longer array
        const rows: number[] = [];
        const held: unknown[] = [];
        this.forEachValue(col, (row, value) => {
          rows.push(row);
          held.push(value);
        });
        this.reset(col, SPARSE);
        for (let i = 0; i < rows.length; i++) this.sparse.put(col, rows[i] as number, held[i]);
        continue;
      }
      const array = newArray(kind, capacity) as typeof old;
      if (Array.isArray(old)) for (let row = 0; row < this.used; row++) (array as unknown[])[row] = old[row];
      else (array as Uint8Array).set(old); // a copy of the bytes: a float column's null stays
      this.arrays[col] = array;
      if (kind === FLOAT) this.tables[col] = new Uint32Array((array as Float64Array).buffer);
    }
    this.capacity = capacity;
  }
}

/** A column of a kind with every row absent. */
function newArray(kind: number, capacity: number): ColumnArray {
  switch (kind) {
    case SMALL:
    case CODED:
      return new Uint8Array(capacity);
    case INT:
      return new Int32Array(capacity).fill(INT_ABSENT);
    case FLOAT:
      return new Float64Array(capacity).fill(NaN);
    case ANY:
      // filled, not holey: an array of generic elements from the start (a column of doubles alone would
      // otherwise become a double array, and every read of it would box)
      return new Array<unknown>(capacity).fill(undefined);
    default:
      throw new RangeError(`no array for kind ${kind}`); // a sparse column is a SparseColumn (reset)
  }
}
