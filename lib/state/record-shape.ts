// Compiled record builders, one per record shape (which dimension fields, which measure columns, with
// or without the derived fields) and layout of the column store (the kind and slot of each column, the
// length of a row). A builder is a constructor over the store's rows and the entity's row:
//   function R(S, r, p, d, s, t) { var U = S.u8, …, b = r * 96; this["agentId"] = d[1];
//     this["agentState"] = T[0][U[b + 17]]; …; this["timeInStateMs"] = t; }
// Why generated code: a record must be a fresh object per output (flows may change msg.payload). Built
// key by key it is a dictionary-mode object (~4 µs for 80 fields); copied with `{ ...fields }` from a
// kept object it is a block copy only while the copy site sees at most four object layouts — a state
// node holding several producers, or agents with different measure sets, sees more, and each copy then
// costs ~3 µs (~9 µs with cold caches, at 2,000 msg/s). A builder per shape is ~0.5 µs whatever the
// mix, needs no kept copy of the fields, and reads the values where the store holds them.
//
// Why a constructor and not an object literal (which is ~30 % faster to run): V8 pretenures an object
// literal's allocation site for good once most of its objects survive a scavenge, and during a pumpup the
// records do (they wait in Node-RED's queues while the young generation is collected). From then on every
// record of the steady traffic went straight to the old generation, garbage that only a full collection
// frees: the bench's steady case grew the heap by 3.7 MB/s (74 MB in 20 s) and used 18.5 % of a core;
// with constructed records 1 MB/s and 13.8 % (`node dist/bench/run.js --quick --only ours --cases
// pumpup,steady --steady-seconds 20`, heap "before GC"). Objects made by `new` have no allocation site.
//
// Names come from the wire: each is written as a JSON string literal, which is a valid and inert JS
// string literal for any name. The constructor's prototype has no prototype of its own, so an assignment
// meets no inherited setter or read-only field (not even Object.prototype's "__proto__" accessor). A shape
// with a "__proto__" field still gets no builder: such records, which only a hostile feed makes, keep the
// one key-by-key path that the hostile-key tests cover.
// Plain inputs only (no import of the entity or view classes): a record is read through RecordSource.
import { ANY, CODED, FLOAT, HIGH_WORD, INT, INT_ABSENT, NULL_HIGH_BITS, SMALL, SPARSE } from './column-store';

export const STATE_SINCE = 'stateSince';
export const TIME_IN_STATE = 'timeInStateMs';
/** Fields above which no builder is made: V8 keeps at most ~1,000 named fields in fast mode. */
export const MAX_SHAPE_FIELDS = 900;
/** Builders per producer: a producer has a handful of shapes; a stream inventing more gets built key by key. */
const MAX_SHAPES_PER_VIEW = 128;

/** What a builder reads of the column store (a ColumnStore: its rows' views, sparse columns and code tables). */
export interface StoreRows {
  readonly u8: ArrayLike<number>;
  readonly i32: ArrayLike<number>;
  readonly f64: ArrayLike<number>;
  readonly u32: ArrayLike<number>;
  readonly anys: ArrayLike<unknown>;
  readonly arrays: readonly ({ get(row: number): unknown } | null)[];
  readonly tables: readonly (ArrayLike<unknown> | null)[];
}

/** What a builder is compiled for (a ColumnStore): each column's kind and slot, a row's length, and their version. */
export interface StoreLayout {
  readonly kinds: readonly number[];
  readonly offsets: readonly number[];
  readonly stride: number;
  readonly anyStride: number;
  readonly layout: number;
}

/**
 * The column store's rows, the entity's row, prev (the values a pumpup is replacing, or an empty array), dims
 * ([name, value, …]), stateSince, timeInStateMs → a fresh record (its prototype an empty object without one;
 * toRecord drops it).
 */
export type RecordBuilder = (
  rows: StoreRows,
  row: number,
  prev: readonly unknown[],
  dims: readonly string[],
  since: number,
  timeInState: number,
) => Record<string, unknown>;

/** What a shape is compiled from: a record's dimension and the value of each column it may have. */
export interface RecordSource {
  /** The dimension as [name, value, name, value, …]. */
  readonly dims: readonly string[];
  /** Columns the record may have a value in. */
  readonly width: number;
  /** The value of a column, undefined when the record has none. */
  valueAt(col: number): unknown;
}

export class RecordShape {
  constructor(
    /** Every column holding a value, ascending (a column hidden by a dimension field of the same name included). */
    readonly present: readonly number[],
    /** The dimension's names, in the entity's order. */
    readonly dimNames: readonly string[],
    /** Whether the records carry the derived fields (the entity had a usable state-change timestamp). */
    readonly withSince: boolean,
    /** The column store's layout the builders read (ColumnStore.layout). */
    readonly layout: number,
    /**
     * Reads the row only. Null when this shape is built key by key ("__proto__", or code generation is
     * not allowed).
     */
    readonly build: RecordBuilder | null,
    /** The same reading a column from `prev` where the row has nothing: for records a pumpup is replacing. */
    readonly buildMerged: RecordBuilder | null,
    /**
     * Columns holding a value (in the row or in prev): `present.length`, or the count of a shape built key by key
     * (whose `present` is empty). The store keeps an entity's shape only while that set of columns stays the same
     * (EntityRecord.shape), so a pumpup row can tell by it that it refreshed every field (resync.ts).
     */
    readonly held: number = present.length,
  ) {}
}

/** The shapes a producer's records have had, by a hash of their present columns, for one layout of its store. */
export class ShapeCache {
  private readonly byHash = new Map<number, RecordShape[]>();
  private count = 0;
  private layout = 0;
  /** False once `new Function` was refused (node --disallow-code-generation-from-strings). */
  private codegen = true;

  /**
   * The shape of this entity's record now. A shape without builders when none is worth compiling (too wide,
   * or the producer has too many shapes): the entity keeps it like any other, so that its next records do
   * not count its fields again (1,700 of them in a padded row) only to be built key by key.
   * `store`: the column store whose layout the builders read.
   */
  shapeOf(entity: RecordSource, names: readonly string[], withSince: boolean, store: StoreLayout): RecordShape {
    const layout = store.layout;
    if (layout !== this.layout) {
      // a column changed kind or slot, or the rows their length: every builder reads them the former way
      this.byHash.clear();
      this.count = 0;
      this.layout = layout;
    }
    let hash = withSince ? 1 : 0;
    let count = 0;
    for (let col = 0, width = entity.width; col < width; col++) {
      if (entity.valueAt(col) !== undefined) {
        hash = (Math.imul(hash, 31) + col + 1) | 0;
        count++;
      }
    }
    if (count > MAX_SHAPE_FIELDS) return this.keyByKey(withSince, count);
    const candidates = this.byHash.get(hash);
    if (candidates !== undefined) {
      for (const shape of candidates) if (matches(shape, entity, count, withSince)) return shape;
    }
    if (this.count >= MAX_SHAPES_PER_VIEW) return this.keyByKey(withSince, count);
    const shape = this.compile(entity, names, count, withSince, store);
    if (candidates === undefined) this.byHash.set(hash, [shape]);
    else candidates.push(shape);
    this.count++;
    return shape;
  }

  /** The shape of records built key by key, in this layout. */
  private keyByKey(withSince: boolean, held: number): RecordShape {
    return new RecordShape([], [], withSince, this.layout, null, null, held);
  }

  /** `names`: column → measure name (the producer's layout). */
  private compile(
    entity: RecordSource,
    names: readonly string[],
    count: number,
    withSince: boolean,
    store: StoreLayout,
  ): RecordShape {
    const present: number[] = new Array<number>(count);
    for (let col = 0, i = 0, width = entity.width; col < width; col++)
      if (entity.valueAt(col) !== undefined) present[i++] = col;
    const dims = entity.dims;
    const dimNames: string[] = [];
    for (let i = 0; i < dims.length; i += 2) dimNames.push(dims[i] as string); // i < dims.length
    const build = this.builder(names, dimNames, present, withSince, store, (col) => readRow(store, col));
    const merged =
      build === null
        ? null
        : this.builder(names, dimNames, present, withSince, store, (col) => readRowOrPrev(store, col));
    return new RecordShape(present, dimNames, withSince, this.layout, build, merged);
  }

  private builder(
    columnNames: readonly string[],
    dimNames: readonly string[],
    present: readonly number[],
    withSince: boolean,
    store: StoreLayout,
    read: (col: number) => string,
  ): RecordBuilder | null {
    if (!this.codegen) return null;
    const fields: string[] = [];
    const names = new Set<string>();
    dimNames.forEach((name, i) => {
      names.add(name);
      fields.push(`this[${JSON.stringify(name)}]=d[${2 * i + 1}];`);
    });
    for (const col of present) {
      const name = columnNames[col];
      if (name === undefined || names.has(name)) continue; // a dimension field wins over a measure of the same name
      names.add(name);
      fields.push(`this[${JSON.stringify(name)}]=${read(col)};`);
    }
    if (withSince) {
      if (!names.has(STATE_SINCE)) fields.push(`this[${JSON.stringify(STATE_SINCE)}]=s;`);
      if (!names.has(TIME_IN_STATE)) fields.push(`this[${JSON.stringify(TIME_IN_STATE)}]=t;`);
    }
    if (names.has('__proto__')) return null;
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the compiled builder (see the top of this file)
      const factory = new Function(
        `"use strict";function R(S,r,p,d,s,t){var x,U=S.u8,I=S.i32,F=S.f64,W=S.u32,A=S.anys,C=S.arrays,T=S.tables,` +
          `b=r*${store.stride},w=b>>>2,q=b>>>3,a=r*${store.anyStride};${fields.join('')}}` +
          `R.prototype=Object.create(null);return function(S,r,p,d,s,t){return new R(S,r,p,d,s,t);};`,
      ) as () => RecordBuilder;
      return primed(factory(), present, dimNames.length, store);
    } catch {
      this.codegen = false; // code generation from strings is disallowed in this process
      return null;
    }
  }
}

/**
 * The builder's element holding a dense column's value in the row (the same slots ColumnStore.get reads): `b` is
 * the row's first byte, `w` and `q` the same in 4- and 8-byte elements (a row's length is a multiple of 8), `a`
 * its first `any` element. Null for a sparse column or none.
 */
function slotOf(store: StoreLayout, col: number): string | null {
  const kind = store.kinds[col];
  const at = store.offsets[col] as number;
  if (kind === SMALL || kind === CODED) return `U[b+${at}]`;
  if (kind === INT) return `I[w+${at >> 2}]`;
  if (kind === FLOAT) return `F[q+${at >> 3}]`;
  if (kind === ANY) return `A[a+${at}]`;
  return null;
}

/** The expression reading a column of the row (a column of the shape holds a value there). */
function readRow(store: StoreLayout, col: number): string {
  const kind = store.kinds[col];
  const slot = slotOf(store, col);
  if (kind === SMALL) return `${slot}-1`;
  if (kind === CODED) return `T[${col}][${slot}]`;
  if (kind === FLOAT) return `((x=${slot})===x?x:null)`; // a value is held: NaN is the null
  if (kind === INT || kind === ANY) return slot as string;
  if (kind === SPARSE) return `C[${col}].get(r)`;
  return 'undefined'; // not a column of the store
}

/** The same, falling back to `p` (prev) where the row has no value. */
function readRowOrPrev(store: StoreLayout, col: number): string {
  const kind = store.kinds[col];
  const x = `(x=${slotOf(store, col)})`;
  if (kind === SMALL) return `(${x}!==0?x-1:p[${col}])`;
  if (kind === INT) return `(${x}!==${INT_ABSENT}?x:p[${col}])`;
  if (kind === FLOAT) {
    const high = `W[2*(q+${(store.offsets[col] as number) >> 3})+${HIGH_WORD}]`;
    return `(${x}===x?x:${high}===${NULL_HIGH_BITS}?null:p[${col}])`;
  }
  if (kind === CODED) return `(${x}!==0?T[${col}][x]:p[${col}])`;
  if (kind === ANY) return `(${x}!==undefined?x:p[${col}])`;
  if (kind === SPARSE) return `((x=C[${col}].get(r))!==undefined?x:p[${col}])`;
  return `p[${col}]`;
}

/**
 * Runs a new builder twice, with every field a number and then a string (where its column's kind can read
 * one), before it builds a real record.
 * Why: toRecord gives each record a null prototype (Object.setPrototypeOf), and V8 caches that change as a
 * second layout made from the builder's at the first call. If a field's representation widens after that
 * (a field held a small integer in the first records and a timestamp, a double, in later ones), the cached
 * layout no longer matches the builder's, and every setPrototypeOf rewrites the whole object: 1.2–2.3 µs for
 * an agent's 98 fields instead of ~0.4 (timed on a 100,000-entity view; bench/README.md, fourth round).
 * Fields that have held a number and a string have the most general representation and never widen
 * again. A small column only ever reads small integers: its field needs no priming beyond the first.
 * The rows given here are plain arrays, not the store's typed ones: each field's representation is what
 * counts, and a read site that saw both stays fast (two maps). Every byte reads 1: a small column's 0, a coded
 * column's code 1, which its table gives as the sample.
 */
function primed(build: RecordBuilder, present: readonly number[], dimCount: number, store: StoreLayout): RecordBuilder {
  const width = Math.max(present.length === 0 ? 0 : (present[present.length - 1] as number) + 1, 2 * dimCount);
  for (const sample of [0, ''] as const) {
    const arrays: ({ get(row: number): unknown } | null)[] = [];
    const tables: unknown[][] = [];
    for (let col = 0; col < width; col++) {
      arrays.push(store.kinds[col] === SPARSE ? new Map([[0, sample]]) : null);
      tables.push([undefined, sample]);
    }
    const rows: StoreRows = {
      u8: new Array<number>(store.stride).fill(1),
      i32: new Array<unknown>(store.stride >> 2).fill(sample) as number[],
      f64: new Array<unknown>(store.stride >> 3).fill(sample) as number[],
      u32: [],
      anys: new Array<unknown>(store.anyStride).fill(sample),
      arrays,
      tables,
    };
    const flat = new Array<unknown>(width).fill(sample);
    build(rows, 0, flat, flat as string[], sample as number, sample as number);
  }
  return build;
}

function matches(shape: RecordShape, entity: RecordSource, count: number, withSince: boolean): boolean {
  if (shape.withSince !== withSince || shape.present.length !== count) return false;
  const present = shape.present;
  let i = 0;
  for (let col = 0, width = entity.width; col < width; col++) {
    if (entity.valueAt(col) !== undefined && present[i++] !== col) return false;
  }
  const dims = entity.dims;
  const dimNames = shape.dimNames;
  if (dimNames.length * 2 !== dims.length) return false;
  for (let k = 0; k < dimNames.length; k++) if (dimNames[k] !== dims[2 * k]) return false;
  return true;
}
