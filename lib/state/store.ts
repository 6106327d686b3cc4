// The state store: an accumulated view of every entity of every producer, built from delta updates
// (the guide: "it is up to the third-party client to build an accumulative view"). Pure: no Node-RED,
// no timers, no I/O; the avaya-analytics-state node wraps it.
//
// Resync: after any (re)connect the server sends a pumpup of every entity, then pumpupComplete. The
// first pumpup row of an entity replaces its record (the former values stay readable until the pumpup
// completes, so unchanged data produces no change); at pumpupComplete every entity of that producer
// not seen during the resync is evicted, so the view equals the server's.
import { entityKey } from '../entity-key';
import { EntityRecord } from './entity-record';
import { StateInputError } from './errors';
import { checkDimension, flatDimension, quote } from './input-checks';
import { ChangeLog, checkMeasure, keyOf, merge, NO_NAMES } from './update-merge';
import { parsePersisted, serializeViews, type PersistedState } from './persisted';
import { MAX_MEASURES_PER_PRODUCER, ProducerView } from './producer-view';
import { completeRecord, otherColumns, toRecord } from './record';
import { MAX_SHAPE_FIELDS } from './record-shape';
import { endResync, foldPrevious, setAsideUnrefreshed } from './resync';
import type { ApplyResult, EntityFilter, EntityUpdate, StateChange, StateStoreOptions, WideRow } from './types';

export const DEFAULT_MAX_ENTITIES = 100_000;
/** Measures in the producer's last row above which rows are read through Object.keys (see apply). */
const WIDE_ROW = 1_000;

const NO_VALUES: Record<string, unknown> = Object.freeze(Object.create(null)) as Record<string, unknown>;

export class StateStore {
  readonly maxEntities: number;
  readonly derived: boolean;
  private readonly now: () => number;
  private readonly views = new Map<string, ProducerView<EntityRecord>>();
  private count = 0;
  private rejectedTotal = 0;
  private readonly log = new ChangeLog();

  constructor(options: StateStoreOptions = {}) {
    const max = options.maxEntities ?? DEFAULT_MAX_ENTITIES;
    if (!Number.isInteger(max) || max < 1) throw new RangeError('maxEntities must be a positive integer');
    this.maxEntities = max;
    this.derived = options.derived ?? true;
    this.now = options.now ?? Date.now;
  }

  /** Entities held over all producers. */
  get size(): number {
    return this.count;
  }

  /** Updates refused since the store was created because they would have exceeded maxEntities. */
  get rejected(): number {
    return this.rejectedTotal;
  }

  /** Ids of the producers the store has heard of (by data, control or restore). */
  producers(): string[] {
    return [...this.views.keys()];
  }

  /** Whether a pumpup of this producer has completed since its view was created, restored, reset or lost its stream. */
  isSynced(producer: string): boolean {
    return this.views.get(producer)?.synced ?? false;
  }

  /** Whether every known producer is synced (false when none is known). */
  allSynced(): boolean {
    if (this.views.size === 0) return false;
    for (const view of this.views.values()) if (!view.synced) return false;
    return true;
  }

  /**
   * Applies one data message. Returns the change, null when nothing changed (or a DELETE of an unknown
   * entity), or a Rejection when the entity would exceed maxEntities. With diff = false the change has
   * no changed/previous lists (cheaper when nobody reads them). `names`: the payload's names in enumeration
   * order (distinct), when the caller knows that they are (lib/frames/built-names.ts): read instead of enumerating it;
   * `values`, with them: its values in that order, read instead of looking each name up.
   * Throws StateInputError for bad input, before anything is modified.
   */
  apply(update: EntityUpdate, diff = true, names?: readonly string[], values?: readonly unknown[]): ApplyResult {
    if (update === null || typeof update !== 'object') throw new StateInputError('the update must be an object');
    const producer = update.producer;
    if (typeof producer !== 'string' || producer.length === 0) {
      throw new StateInputError('producer must be a non-empty string');
    }
    checkDimension(update.dimension);
    const key = keyOf(producer, update);
    const pumpup = update.pumpup === true;

    if (update.eventAction === 'DELETE') return this.remove(producer, key, pumpup);
    if (update.eventAction !== 'UPSERT' && update.eventAction !== undefined)
      throw new StateInputError('eventAction must be "UPSERT" or "DELETE"');

    let measures = update.payload ?? NO_VALUES;
    if (typeof measures !== 'object' || Array.isArray(measures)) {
      throw new StateInputError('payload (the measures) must be an object');
    }
    // for…in, not Object.keys plus a lookup per name: over the decoder's fast-mode object it reads by
    // field index (~10× cheaper for an 80-measure row). for…in also walks a prototype's enumerable
    // names, so an object that has a prototype (not from the decoder) is read through an own copy.
    // Rows of over a thousand measures parse to dictionary-mode objects, where every for…in sorts the
    // names again: their names are listed once instead, or not at all when the caller gave them.
    if (Object.getPrototypeOf(measures) !== null)
      measures = Object.assign(Object.create(null), measures) as Record<string, unknown>;
    const known = this.views.get(producer);
    const listed = names ?? (known !== undefined && known.shapeNames.length > WIDE_ROW ? Object.keys(measures) : null);
    let count = 0;
    // Wide rows: values read once (a dictionary lookup each), checked, then merged from this list.
    let wideValues: unknown[] | null = null;
    // Whether the names are those of the producer's last message, in the same order (the common case:
    // its columns are reused), checked in the same pass.
    let lastShape = known !== undefined;
    // Measures without a value (only a flow's msg can have them): merge skips them.
    let holes = 0;
    if (listed === null) {
      const last = known?.shapeNames;
      for (const name in measures) {
        const value = measures[name];
        checkMeasure(name, value);
        if (value === undefined) holes++;
        if (lastShape && last![count] !== name) lastShape = false;
        count++;
      }
      if (lastShape && (count !== last!.length || count === 0)) lastShape = false;
    } else {
      const given = names !== undefined && values !== undefined && values.length === names.length ? values : null;
      wideValues = new Array<unknown>(listed.length);
      for (let i = 0; i < listed.length; i++) {
        const name = listed[i] as string; // i < listed.length
        const value = given === null ? measures[name] : given[i];
        checkMeasure(name, value);
        if (value === undefined) holes++;
        wideValues[i] = value;
      }
      count = listed.length;
    }
    if (known === undefined && count > MAX_MEASURES_PER_PRODUCER) {
      throw new StateInputError(`producer ${quote(producer)} sends too many distinct measures`);
    }
    const view = known ?? this.viewOf(producer);
    const columns =
      listed === null
        ? lastShape
          ? view.shapeColumns
          : view.columnsFor(Object.keys(measures))
        : view.columnsFor(listed);
    if (columns === null) throw new StateInputError(`producer ${quote(producer)} sends too many distinct measures`);

    // A pumpup row's entity is mostly at the next place of the last pumpup's order (pumpup-order.ts).
    let entity = (pumpup ? view.order.guess(key, view.cycle) : undefined) ?? view.entities.get(key);
    const created = entity === undefined;
    if (entity === undefined) {
      if (this.count >= this.maxEntities) {
        this.rejectedTotal++;
        return { kind: 'rejected', key, producer };
      }
      entity = this.insert(view, key, flatDimension(update.dimension));
    }
    if (pumpup) view.order.took(entity, entity.pumped !== view.cycle);
    if (typeof update.source === 'string' && update.source.length !== 0) view.source = update.source;

    // The first pumpup row of this resync replaces the record: merged in place, then what it did not bring
    // is set aside (resync.ts). What an abandoned resync left aside is folded back first.
    let replacing = false;
    if (pumpup) {
      view.resyncOpen = true;
      if (entity.pumped !== view.cycle) {
        if (!created) {
          foldPrevious(entity);
          replacing = true;
        }
        entity.pumped = view.cycle;
      }
    }
    if (view.resyncOpen) entity.touched = view.cycle;

    const log = diff ? this.log : null;
    log?.clear();
    let any = false;
    if (listed === null) {
      // columns has one entry per name, in for…in order (columnsFor(Object.keys(measures)) or the last shape's)
      let i = 0;
      for (const name in measures) if (merge(entity, name, measures[name], columns[i++] as number, log)) any = true;
    } else {
      for (let i = 0; i < listed.length; i++)
        if (merge(entity, listed[i] as string, wideValues![i], columns[i] as number, log)) any = true;
    }
    if (replacing) setAsideUnrefreshed(entity, count - holes, wideValues ?? measures, columns);
    if (!any && !created) return null;
    const changed = log === null ? NO_NAMES : log.takeNames();
    const previous = log === null ? NO_VALUES : log.takePrevious();
    const change: StateChange = { kind: 'upsert', entity, created, changed, previous, pumpup };
    if (names !== undefined && count > MAX_SHAPE_FIELDS && holes === 0) {
      const others = otherColumns(columns, view.columns.width);
      if (others !== null) change.wideRow = { measures, others };
    }
    return change;
  }

  /**
   * The pumpup of a producer is complete: evicts the entities not seen since the resync opened, drops
   * the measures a replaced record did not get again, and marks the producer synced. Returns those changes.
   */
  pumpupComplete(producer: string): StateChange[] {
    const view = this.viewOf(producer);
    // A completion with no resync open since the last one (the same event over a second wire, or a
    // second subscribe node of the producer) has nothing to finish: the view already is the server's.
    if (view.synced && !view.resyncOpen) return [];
    const before = view.entities.size;
    const changes = endResync(view);
    this.count -= before - view.entities.size;
    view.cycle++;
    view.resyncOpen = false;
    view.synced = true;
    return changes;
  }

  /**
   * Marks a producer's view synced or not without a resync: for a view fed from a broker's retained
   * records (no pumpup to complete), which is as current as the best collector's feed. Evicts nothing.
   */
  setSynced(producer: string, synced: boolean): void {
    this.viewOf(producer).synced = synced;
  }

  /** The stream (re)connected or (re)subscribed: a pumpup follows, and entities updated meanwhile are live. */
  beginResync(producer: string): void {
    this.viewOf(producer).resyncOpen = true;
  }

  /** The stream was lost: the view is stale until the next pumpup completes; an unfinished resync is abandoned. */
  connectionLost(producer: string): void {
    const view = this.views.get(producer);
    if (view === undefined) return;
    view.synced = false;
    if (view.resyncOpen) {
      view.resyncOpen = false;
      view.cycle++;
    }
  }

  /** The entity with this key (msg.topic), or undefined. */
  get(key: string): EntityRecord | undefined {
    for (const view of this.views.values()) {
      if (key.length > view.id.length && key.startsWith(view.id) && key.charCodeAt(view.id.length) === 47 /* / */) {
        const entity = view.entities.get(key);
        if (entity !== undefined) return entity;
      }
    }
    return undefined;
  }

  /** The entity of a producer with exactly this dimension, or undefined. */
  find(producer: string, dimension: Readonly<Record<string, string>>): EntityRecord | undefined {
    checkDimension(dimension);
    return this.views.get(producer)?.entities.get(entityKey(producer, dimension));
  }

  /** Every entity matching the filter, producer by producer in order of arrival. */
  select(filter: EntityFilter = {}): EntityRecord[] {
    const wanted = filter.dimension;
    const pairs = wanted === undefined ? [] : Object.keys(wanted).map((name) => [name, wanted[name]] as const);
    const out: EntityRecord[] = [];
    for (const view of this.views.values()) {
      if (filter.producer !== undefined && view.id !== filter.producer) continue;
      for (const entity of view.entities.values())
        if (pairs.every(([name, value]) => entity.dimensionValue(name) === value)) out.push(entity);
    }
    return out;
  }

  /** The record flows see (dimension fields, measures, derived fields): a fresh object without a prototype. */
  record(entity: EntityRecord): Record<string, unknown> {
    return toRecord(entity, this.derived, this.now());
  }

  /**
   * The record of an entity made of the `wideRow` of the change apply() just returned for it (see StateChange),
   * whose measures object it changes: only for the owner of that object.
   */
  recordFrom(entity: EntityRecord, row: WideRow): Record<string, unknown> {
    return completeRecord(row, entity, this.derived, this.now());
  }

  /** Forgets one producer's view, or everything. Returns the number of entities dropped. */
  reset(producer?: string): number {
    if (producer === undefined) {
      const dropped = this.count;
      this.views.clear();
      this.count = 0;
      return dropped;
    }
    const view = this.views.get(producer);
    if (view === undefined) return 0;
    this.views.delete(producer);
    this.count -= view.entities.size;
    return view.entities.size;
  }

  /** A JSON-safe copy of every view (for a Node-RED context store). */
  toPersisted(): PersistedState {
    return serializeViews(this.views.values(), this.now());
  }

  /**
   * Loads a persisted view *under* the live one: entities already present and producers already synced
   * keep their live data (so does a producer whose measures would not fit). Restored producers are not
   * synced (their data is old) and restored entities are evicted by the next pumpup unless it sends
   * them. Stops at maxEntities. Throws StateFormatError for data that is not a persisted view (before
   * restoring anything); returns the number of entities restored.
   */
  restore(data: unknown): number {
    const producers = parsePersisted(data);
    let restored = 0;
    for (const p of producers) {
      const known = this.views.get(p.producer);
      if (known !== undefined && (known.synced || !known.hasRoomFor(p.measures))) continue;
      const view = known ?? this.viewOf(p.producer);
      if (view.source === undefined && p.source !== undefined) view.source = p.source;
      const columns = p.measures.map((name) => view.column(name));
      for (const e of p.entities) {
        const key = entityKey(p.producer, e.dimension);
        if (view.entities.has(key)) continue;
        if (this.count >= this.maxEntities) return restored;
        const entity = this.insert(view, key, flatDimension(e.dimension));
        for (let i = 0; i < e.values.length; i++) {
          const value = e.values[i];
          const col = columns[i]; // parsePersisted keeps e.values within p.measures
          if (value !== undefined && col !== undefined) entity.setValue(col, value);
        }
        restored++;
      }
    }
    return restored;
  }

  private viewOf(producer: string): ProducerView<EntityRecord> {
    let view = this.views.get(producer);
    if (view === undefined) {
      view = new ProducerView<EntityRecord>(producer, this.maxEntities);
      this.views.set(producer, view);
    }
    return view;
  }

  private insert(view: ProducerView<EntityRecord>, key: string, dims: string[]): EntityRecord {
    const entity = new EntityRecord(key, view, dims);
    view.entities.set(key, entity);
    this.count++;
    return entity;
  }

  private remove(producer: string, key: string, pumpup: boolean): StateChange | null {
    const view = this.views.get(producer);
    const entity = view?.entities.get(key);
    if (view === undefined || entity === undefined) return null;
    view.entities.delete(key);
    entity.detach();
    this.count--;
    return {
      kind: 'delete',
      entity,
      created: false,
      changed: [],
      previous: Object.create(null) as Record<string, unknown>,
      pumpup,
    };
  }
}
