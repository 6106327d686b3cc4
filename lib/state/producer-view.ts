// Everything the store keeps for one producer: its column layout (measure name → index, shared by all
// of its records), its entities, and where its resync (pumpup) stands. Generic over the entity type so
// that this module does not import entity-record.ts (which refers to the view): no import circle.
import { ColumnStore } from './column-store';
import { StateInputError } from './errors';
import { PumpupOrder, type Placed } from './pumpup-order';
import { ShapeCache } from './record-shape';

/** A producer has some 80 measures; a stream that invents thousands of names is broken or hostile. */
export const MAX_MEASURES_PER_PRODUCER = 4096;

export class ProducerView<Entity extends Placed> {
  readonly id: string;
  /** sourceId of the last message that named one. */
  source: string | undefined = undefined;
  readonly entities = new Map<string, Entity>();
  /** The order of the last pumpup's rows (pumpup-order.ts). */
  readonly order: PumpupOrder<Entity>;
  /** The records' values: a row each, a column per measure (column-store.ts). */
  readonly columns = new ColumnStore();
  /** Column index → measure name. */
  readonly names: string[] = [];
  /** Measure name → column index (a Map, so "__proto__" is just a name). */
  private readonly columnByName = new Map<string, number>();
  /** A pumpup has completed since the view was created, restored, reset or last lost its connection. */
  synced = false;
  /** Resync cycle: records stamped with the current cycle were seen in the resync that is open. */
  cycle = 1;
  /** A resync is under way: a pumpup row arrived or the stream (re)connected, and pumpupComplete has not. */
  resyncOpen = false;
  /** Column of lastStateChangeTimestamp (for stateSince), -1 until the producer sends it. */
  stateChangeColumn = -1;
  /** The compiled builders of this producer's record shapes. */
  readonly shapes = new ShapeCache();
  /** The names of the last columnsFor() call and their columns (columns never move; see columnsFor). */
  private lastNames: readonly string[] = [];
  private lastColumns: readonly number[] = [];
  /** @param maxEntities the store's bound, which also bounds the pumpup order's lists */
  constructor(id: string, maxEntities = Number.MAX_SAFE_INTEGER) {
    this.id = id;
    this.order = new PumpupOrder<Entity>(maxEntities);
  }

  /** The names of the last shape, in order: StateStore.apply compares a message's names with them as it checks them. */
  get shapeNames(): readonly string[] {
    return this.lastNames;
  }

  get shapeColumns(): readonly number[] {
    return this.lastColumns;
  }

  columnOf(name: string): number | undefined {
    return this.columnByName.get(name);
  }

  /** The column of a measure, created on first sight. */
  column(name: string): number {
    const found = this.columnByName.get(name);
    if (found !== undefined) return found;
    if (this.names.length >= MAX_MEASURES_PER_PRODUCER) {
      throw new StateInputError(`producer ${this.id} exceeds ${MAX_MEASURES_PER_PRODUCER} distinct measures`);
    }
    const col = this.names.length;
    this.names.push(name);
    this.columnByName.set(name, col);
    this.columns.addColumn();
    if (name === 'lastStateChangeTimestamp') this.stateChangeColumn = col;
    return col;
  }

  /**
   * The column of each name (new names get one), or null when the new names would exceed the bound
   * (then nothing is created). Consecutive messages of a producer mostly carry the same names in the
   * same order (JSON.parse gives them as the same internalized strings): the last answer is reused,
   * which saves two Map lookups per measure on the hot path.
   */
  columnsFor(names: readonly string[]): readonly number[] | null {
    // The names the last shape shares with these, from the start: their columns are known (a row that adds
    // or drops measures at the end, as optional counters do, costs lookups only for the rest).
    const last = this.lastNames;
    const shared = Math.min(last.length, names.length);
    let same = 0;
    while (same < shared && last[same] === names[same]) same++;
    if (same === names.length && same === last.length) return this.lastColumns;
    // One Map lookup per other name; new names get their columns only once all of them fit.
    const columns = new Array<number>(names.length);
    for (let i = 0; i < same; i++) columns[i] = this.lastColumns[i] as number; // i < last.length
    let fresh = 0;
    for (let i = same; i < names.length; i++) {
      const name = names[i];
      const col = name === undefined ? undefined : this.columnByName.get(name);
      if (col === undefined) fresh++;
      columns[i] = col ?? -1;
    }
    if (fresh !== 0) {
      if (this.names.length + fresh > MAX_MEASURES_PER_PRODUCER) return null;
      for (let i = 0; i < names.length; i++) {
        const name = names[i];
        if (name !== undefined && (columns[i] ?? -1) < 0) columns[i] = this.column(name);
      }
    }
    this.lastNames = names;
    this.lastColumns = columns;
    return columns;
  }

  /** Whether every measure name is known or there is room for the new ones (checked before writing). */
  hasRoomFor(names: readonly string[]): boolean {
    let fresh = 0;
    for (const name of names) if (!this.columnByName.has(name)) fresh++;
    return this.names.length + fresh <= MAX_MEASURES_PER_PRODUCER;
  }
}
