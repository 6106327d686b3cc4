// The sparse side of a ColumnStore (column-store.ts): the columns that hold a value in few rows. Each keeps
// a Map row → value, except for the rows that hold over WIDE_ROW sparse values: such a row keeps all of its
// sparse values in an array of its own, indexed by column, shared by every sparse column. For such a row
// (500 agents padded with 1,600 counters in a view of 30,000 agents, say) a Map lookup per value cost two
// thirds more than the whole rest of a merge and a record (0.85 against 0.51 ms a row).
// Whether a column is sparse or dense is the ColumnStore's decision: it opens a sparse column here, and
// closes it when the column moves to a dense kind.

/** Sparse values above which a row keeps its sparse values in an array of its own. */
export const WIDE_ROW = 256;

/** A sparse column: a Map row → value, and the wide rows' own arrays. */
export class SparseColumn {
  readonly map = new Map<number, unknown>();
  constructor(
    private readonly wide: readonly (unknown[] | undefined)[],
    private readonly col: number,
  ) {}

  /** The value of a row, undefined when it has none (the compiled record builders call this). */
  get(row: number): unknown {
    const own = this.wide[row];
    return own === undefined ? this.map.get(row) : own[this.col];
  }
}

export class SparseRows {
  /** Per row: the row's sparse values by column, for a wide row; else undefined. */
  private readonly wide: (unknown[] | undefined)[] = [];
  /** Per row: the values it holds in the sparse columns' Maps (over WIDE_ROW, the row becomes wide). */
  private counts = new Uint16Array(0);
  /** Per column: its SparseColumn while it is sparse, else null. */
  private readonly columns: (SparseColumn | null)[] = [];

  /** A new, empty sparse column (a column added, or one going back to sparse). */
  open(col: number): SparseColumn {
    const column = new SparseColumn(this.wide, col);
    this.columns[col] = column;
    return column;
  }

  /** The column goes dense: its values leave the rows' counts and the wide rows' arrays. */
  close(col: number): void {
    const column = this.columns[col];
    if (column === null || column === undefined) return;
    const counts = this.counts;
    for (const row of column.map.keys()) counts[row] = (counts[row] as number) - 1;
    for (const own of this.wide) if (own !== undefined && col < own.length) own[col] = undefined;
    this.columns[col] = null;
  }

  isWide(row: number): boolean {
    return this.wide[row] !== undefined;
  }

  /**
   * Puts a value (not undefined) in an open column: in the row's own array when it has one, else in the
   * column's Map, after which a row over WIDE_ROW becomes wide. True when the value stays in the Map.
   */
  put(col: number, row: number, value: unknown): boolean {
    const own = this.wide[row];
    if (own !== undefined) {
      while (own.length <= col) own.push(undefined); // a column added after the row became wide
      own[col] = value;
      return false;
    }
    const map = (this.columns[col] as SparseColumn).map;
    const size = map.size;
    map.set(row, value);
    if (map.size === size) return true;
    const count = (this.counts[row] ?? 0) + 1; // (a row past the counts, which grow() prevents, counts from 0)
    this.counts[row] = count;
    if (count <= WIDE_ROW) return true;
    this.widen(row);
    return false;
  }

  /** Removes an open column's value from a row. */
  clear(col: number, row: number): void {
    const own = this.wide[row];
    if (own !== undefined) {
      if (col < own.length) own[col] = undefined;
    } else if ((this.columns[col] as SparseColumn).map.delete(row)) {
      this.counts[row] = (this.counts[row] as number) - 1;
    }
  }

  /** Every value of an open column, by row (the Map's rows first, then the wide rows below `rows`). */
  forEach(col: number, rows: number, visit: (row: number, value: unknown) => void): void {
    for (const [row, value] of (this.columns[col] as SparseColumn).map) visit(row, value);
    for (let row = 0; row < rows; row++) {
      const value = this.wide[row]?.[col];
      if (value !== undefined) visit(row, value);
    }
  }

  /** The row is given back: it holds no sparse value any more (its values were cleared). */
  release(row: number): void {
    this.wide[row] = undefined;
    this.counts[row] = 0;
  }

  /** Room for the counts of `capacity` rows. */
  grow(capacity: number): void {
    const counts = new Uint16Array(capacity);
    counts.set(this.counts);
    this.counts = counts;
  }

  /** The row's sparse values move from the columns' Maps to an array of its own. */
  private widen(row: number): void {
    const own = new Array<unknown>(this.columns.length).fill(undefined);
    for (let col = 0; col < this.columns.length; col++) {
      const map = this.columns[col]?.map;
      const value = map?.get(row);
      if (value === undefined) continue;
      own[col] = value;
      map!.delete(row);
    }
    this.wide[row] = own;
    this.counts[row] = 0;
  }
}
