// The values of a producer's records: each record is a row of one buffer, each measure a column with the
// narrowest kind its values fit. Why not an array per record: a tagged slot costs 8 bytes whatever it holds,
// and two thirds of a contact center's measures are counters at 0 (bench/README.md, "The 100k view"). Why one
// buffer by row and not an array per column (until the nineteenth round): a record's values are read and
// written together (a merge, its output record), and an array per column put each value of a row on a cache
// line of its own: ~100 lines for an agent's record, against 3 or 4 for its row (160 bytes in the bench's view).
//
//   kind    slot in the row                   holds                                   absent
//   sparse  none (SparseColumn)               anything, in few rows                   no entry
//   small   1 byte                            integers 0…254, stored + 1              0
//   int     4 bytes (Int32Array view)         other 32-bit integers                   -2³¹
//   coded   1 byte                            codes of at most 255 distinct scalars   0
//   float   8 bytes (Float64Array view)       any other number but NaN, and null      NaN (null: a NaN of its own bits)
//   any     a slot of the rows' Array         whatever else                           undefined
//
// A row is `stride` bytes of one ArrayBuffer (a multiple of 8: a slot of n bytes sits at a multiple of n),
// plus `anyStride` elements of one Array for its `any` columns. A column's slot is the same in every row
// (`offsets`). A column that changes kind gets a new slot (its old one is free for the next column of that
// size); when no slot is free the slots are packed anew, widest first, with room for the new one: every
// row's values are copied (O(rows × width), as rarely as columns are added or widened).
// A column starts sparse, and becomes dense once at least 1 row in DENSE_EVERY holds a value: so one odd
// row with thousands of measures costs a Map entry per value, not a slot in every row (sparse-rows.ts
// holds the sparse columns, and the rows with so many sparse values that they get an array of their own).
// A value the column's kind cannot hold moves the whole column to a wider kind (O(rows)); so may a growth
// of the store (back to sparse, when few rows hold a value). Either bumps `layout` (so does a longer row),
// which makes the compiled record builders (record-shape.ts), who read each column by its kind and slot,
// be compiled again. A dense column only moves along small → int → coded → float → any (a step may skip
// some), and back to sparse at a growth (a logarithmic number of times). Timestamps are float columns:
// epoch ms, or null for UNKNOWN. Pure data: no entity or view types here (they refer to this module, not
// the other way round).

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

/** Writes a kind's absent marker (column-kinds.ts) at byte `at` of a buffer, through its views. */
function writeAbsent(kind: number, at: number, u8: Uint8Array, i32: Int32Array, f64: Float64Array): void {
  if (kind === INT) i32[at >>> 2] = INT_ABSENT;
  else if (kind === FLOAT) f64[at >>> 3] = NaN;
  else u8[at] = 0; // small, coded
}

/** Bytes of a slot of each kind held in the row's bytes (0: none). */
function slotBytes(kind: number): number {
  return kind === SMALL || kind === CODED ? 1 : kind === INT ? 4 : kind === FLOAT ? 8 : 0;
}

export class ColumnStore {
  /** Per column: the kind (column-kinds.ts). */
  readonly kinds: number[] = [];
  /** Per column: its SparseColumn while it is sparse, else null. */
  readonly arrays: (SparseColumn | null)[] = [];
  /**
   * Per column: its slot, a byte offset in the row (small, int, coded, float) or an index in the row's `any`
   * elements; -1 when sparse.
   */
  readonly offsets: number[] = [];
  /** Per coded column: code → value (index 0 unused); else null. */
  readonly tables: (unknown[] | null)[] = [];
  /** Per coded column: value → code. */
  private readonly codes: (Map<unknown, number> | null)[] = [];
  /**
   * Bumped whenever a column changes kind or slot, or the rows get longer: a builder compiled for the former
   * layout must not be used.
   */
  layout = 0;
  /** Rows the buffer has room for. */
  capacity = 0;
  /** Bytes of a row (a multiple of 8). */
  stride = 0;
  /** Elements of a row in `anys`. */
  anyStride = 0;
  /** The rows' bytes, as each kind reads them (views of one buffer, capacity × stride bytes). */
  u8 = new Uint8Array(0);
  i32 = new Int32Array(0);
  f64 = new Float64Array(0);
  /** The same as 32-bit words: a float slot's null (its high word NULL_HIGH_BITS). */
  u32 = new Uint32Array(0);
  /** The rows' `any` values, capacity × anyStride (filled with undefined: a read never meets a hole). */
  anys: unknown[] = [];
  /** A row without values: every slot's absent marker (copied into a row handed out or given back). */
  private blank = new Uint8Array(0);
  /** Free slots of the row by size (1, 4 and 8 bytes), and free `any` elements. */
  private readonly free1: number[] = [];
  private readonly free4: number[] = [];
  private readonly free8: number[] = [];
  private readonly freeAny: number[] = [];
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
    const col = this.kinds.length;
    this.kinds.push(SPARSE);
    this.arrays.push(this.sparse.open(col));
    this.offsets.push(-1);
    this.tables.push(null);
    this.codes.push(null);
  }

  /** A row without values. */
  allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.capacity) this.grow(Math.max(MIN_CAPACITY, Math.ceil(this.capacity * 1.5)));
    const row = this.used++;
    this.u8.set(this.blank, row * this.stride); // its `any` elements are undefined: never written
    return row;
  }

  /** Clears the row and takes it back (its entity must no longer read it). */
  release(row: number): void {
    for (let col = 0; col < this.kinds.length; col++) if (this.kinds[col] === SPARSE) this.sparse.clear(col, row);
    this.sparse.release(row);
    this.u8.set(this.blank, row * this.stride);
    this.anys.fill(undefined, row * this.anyStride, (row + 1) * this.anyStride);
    this.free.push(row);
  }

  /** The value of a column in a row, undefined when it has none. */
  get(col: number, row: number): unknown {
    // one case per kind, each with its own element access: every access site sees one array type
    switch (this.kinds[col]) {
      case SMALL: {
        const x = this.u8[row * this.stride + (this.offsets[col] as number)] as number;
        return x === 0 ? undefined : x - 1;
      }
      case INT: {
        const x = this.i32[(row * this.stride + (this.offsets[col] as number)) >>> 2] as number;
        return x === INT_ABSENT ? undefined : x;
      }
      case CODED: {
        const x = this.u8[row * this.stride + (this.offsets[col] as number)] as number;
        return x === 0 ? undefined : (this.tables[col] as unknown[])[x];
      }
      case FLOAT: {
        const at = (row * this.stride + (this.offsets[col] as number)) >>> 3;
        const x = this.f64[at] as number;
        if (x === x) return x;
        return this.u32[2 * at + HIGH_WORD] === NULL_HIGH_BITS ? null : undefined;
      }
      case ANY:
        return this.anys[row * this.anyStride + (this.offsets[col] as number)];
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
          this.u8[row * this.stride + (this.offsets[col] as number)] = value + 1;
          return;
        }
        break;
      case INT:
        if (isInt(value)) {
          this.i32[(row * this.stride + (this.offsets[col] as number)) >>> 2] = value;
          return;
        }
        break;
      case CODED: {
        const code = this.codeOf(col, value);
        if (code !== 0) {
          this.u8[row * this.stride + (this.offsets[col] as number)] = code;
          return;
        }
        break;
      }
      case FLOAT: {
        const at = (row * this.stride + (this.offsets[col] as number)) >>> 3;
        if (typeof value === 'number' && value === value) {
          this.f64[at] = value;
          return;
        }
        if (value === null) {
          this.u32[2 * at + HIGH_WORD] = NULL_HIGH_BITS;
          this.u32[2 * at + 1 - HIGH_WORD] = 0;
          return;
        }
        break;
      }
      case ANY:
        this.anys[row * this.anyStride + (this.offsets[col] as number)] = value;
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
    const kind = this.kinds[col];
    if (kind === SPARSE) this.sparse.clear(col, row);
    else if (kind === ANY) this.anys[row * this.anyStride + (this.offsets[col] as number)] = undefined;
    else if (kind !== undefined) this.clearSlot(kind, row * this.stride + (this.offsets[col] as number));
  }

  /** Writes a kind's absent marker at a byte position of the rows' bytes. */
  private clearSlot(kind: number, at: number): void {
    writeAbsent(kind, at, this.u8, this.i32, this.f64);
  }

  /** The code of a value in a coded column, added if there is room; 0 when it cannot be coded. */
  private codeOf(col: number, value: unknown): number {
    // -0 first: the Map would find it under 0 (SameValueZero), and the column would give 0 back
    if (value === 0 && 1 / value < 0) return 0;
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

  /** Makes a column an empty one of this kind: its former slot is freed, a new one (absent in every row) taken. */
  private reset(col: number, kind: number): void {
    const former = this.kinds[col] as number;
    if (former === ANY) this.freeAny.push(this.offsets[col] as number);
    else if (former !== SPARSE) this.freeSlot(slotBytes(former), this.offsets[col] as number);
    // out of the rows while its new slot is found (a repack leaves it out)
    this.kinds[col] = SPARSE;
    this.offsets[col] = -1;
    const at = kind === ANY ? this.takeAny() : kind === SPARSE ? -1 : this.takeSlot(slotBytes(kind));
    this.kinds[col] = kind;
    this.offsets[col] = at;
    this.arrays[col] = kind === SPARSE ? this.sparse.open(col) : null;
    this.tables[col] = kind === CODED ? [undefined] : null;
    this.codes[col] = kind === CODED ? new Map<unknown, number>() : null;
    this.layout++;
    if (kind === ANY) {
      for (let row = 0; row < this.used; row++) this.anys[row * this.anyStride + at] = undefined;
    } else if (kind !== SPARSE) {
      for (let row = 0; row < this.used; row++) this.clearSlot(kind, row * this.stride + at);
      this.clearBlank(kind, at);
    }
  }

  /** Writes a kind's absent marker into the blank row. */
  private clearBlank(kind: number, at: number): void {
    const blank = this.blank;
    writeAbsent(kind, at, blank, new Int32Array(blank.buffer), new Float64Array(blank.buffer));
  }

  /** A free slot of `size` bytes (1, 4 or 8) at a multiple of its size, the rows made longer if none is. */
  private takeSlot(size: number): number {
    for (;;) {
      if (size === 1) {
        const at = this.free1.pop();
        if (at !== undefined) return at;
        const four = this.free4.pop();
        if (four !== undefined) {
          this.free1.push(four + 3, four + 2, four + 1);
          return four;
        }
      }
      if (size <= 4) {
        const at = size === 4 ? this.free4.pop() : undefined;
        if (at !== undefined) return at;
        const eight = this.free8.pop();
        if (eight !== undefined) {
          this.free4.push(eight + 4);
          if (size === 4) return eight;
          this.free1.push(eight + 3, eight + 2, eight + 1);
          return eight;
        }
      } else {
        const at = this.free8.pop();
        if (at !== undefined) return at;
      }
      this.repack(size);
    }
  }

  private freeSlot(size: number, at: number): void {
    (size === 1 ? this.free1 : size === 4 ? this.free4 : this.free8).push(at);
  }

  /** A free element of the rows' `any` values, the rows made one longer if none is. */
  private takeAny(): number {
    const at = this.freeAny.pop();
    if (at !== undefined) return at;
    const stride = this.anyStride;
    const anys = new Array<unknown>(this.capacity * (stride + 1)).fill(undefined);
    for (let row = 0; row < this.used; row++)
      for (let i = 0; i < stride; i++) anys[row * (stride + 1) + i] = this.anys[row * stride + i];
    this.anys = anys;
    this.anyStride = stride + 1;
    this.layout++;
    return stride;
  }

  /**
   * Packs the dense columns' slots anew, widest first (no hole between them), in rows with room for one more
   * slot of `size` bytes after them: every row's values are copied to their new slots.
   */
  private repack(size: number): void {
    const columns: number[] = [];
    for (let col = 0; col < this.kinds.length; col++) if (slotBytes(this.kinds[col] as number) !== 0) columns.push(col);
    columns.sort((x, y) => slotBytes(this.kinds[y] as number) - slotBytes(this.kinds[x] as number));
    const from: number[] = [];
    const to: number[] = [];
    const sizes: number[] = [];
    let end = 0;
    for (const col of columns) {
      const bytes = slotBytes(this.kinds[col] as number);
      from.push(this.offsets[col] as number);
      to.push(end);
      sizes.push(bytes);
      this.offsets[col] = end;
      end += bytes;
    }
    // Room for more when the rows are many: columns widen one after another (counters passing 254), and each
    // repack of 100,000 rows of 240 bytes takes ~75 ms.
    const spare = this.used < 4096 ? 0 : end >> 3;
    const stride = Math.ceil((end + size + spare) / 8) * 8;
    const old = this.u8;
    const oldStride = this.stride;
    this.view(new ArrayBuffer(this.capacity * stride));
    const u8 = this.u8;
    for (let row = 0; row < this.used; row++) {
      const source = row * oldStride;
      const target = row * stride;
      for (let k = 0; k < from.length; k++)
        for (let n = 0; n < (sizes[k] as number); n++)
          u8[target + (to[k] as number) + n] = old[source + (from[k] as number) + n] as number;
    }
    this.stride = stride;
    this.blank = new Uint8Array(stride);
    for (const col of columns) this.clearBlank(this.kinds[col] as number, this.offsets[col] as number);
    // the room after the slots, in slots of the widest size each position allows
    this.free1.length = this.free4.length = this.free8.length = 0;
    for (let at = end; at < stride;) {
      if (at % 8 === 0) {
        this.free8.push(at);
        at += 8;
      } else if (at % 4 === 0) {
        this.free4.push(at);
        at += 4;
      } else this.free1.push(at++);
    }
    this.layout++;
  }

  /** Makes the rows' views over a new buffer. */
  private view(buffer: ArrayBuffer): void {
    this.u8 = new Uint8Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.u32 = new Uint32Array(buffer);
  }

  private grow(capacity: number): void {
    this.sparse.grow(capacity);
    for (let col = 0; col < this.kinds.length; col++) {
      if (this.kinds[col] === SPARSE) continue;
      let held = 0;
      for (let row = 0; row < this.used; row++) if (this.get(col, row) !== undefined) held++;
      if (held * DENSE_EVERY < capacity) {
        // few rows hold a value (one odd wide row, say): back to a Map, not a slot in every row
        const rows: number[] = [];
        const values: unknown[] = [];
        this.forEachValue(col, (row, value) => {
          rows.push(row);
          values.push(value);
        });
        this.reset(col, SPARSE);
        for (let i = 0; i < rows.length; i++) this.sparse.put(col, rows[i] as number, values[i]);
      }
    }
    const old = this.u8;
    this.view(new ArrayBuffer(capacity * this.stride));
    this.u8.set(old); // a copy of the bytes: a float slot's null stays
    const anys = new Array<unknown>(capacity * this.anyStride).fill(undefined);
    for (let i = 0; i < this.used * this.anyStride; i++) anys[i] = this.anys[i];
    this.anys = anys;
    this.capacity = capacity;
  }
}
