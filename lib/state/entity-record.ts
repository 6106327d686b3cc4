// One entity's accumulated view. Memory-lean on purpose (10,000 agents × 80 measures must stay far
// below 100 MB): measure names live once per producer (ProducerView.names) and a record holds only a
// values array indexed by column, plus its dimension as a flat [name, value, …] array.
import type { ProducerView } from './producer-view.js';

export class EntityRecord {
  /** entityKey(producer, dimension): also the msg.topic of its outputs. */
  readonly key: string;
  readonly view: ProducerView;
  /** The dimension as [name, value, name, value, …] in key order. */
  readonly dims: readonly string[];
  /** Column → value; undefined = no value received (null is a real value: UNKNOWN). */
  values: unknown[];
  /**
   * While a pumpup is replacing this record: the values it had before. Rows of the pumpup fill `values`;
   * reads fall back to `prev` until the pumpup completes, then whatever the pumpup did not send is dropped.
   * Null outside a pumpup, so a resync with unchanged data produces no output at all.
   */
  prev: unknown[] | null = null;
  /** Resync cycle of the producer in which a pumpup row replaced this record (0 = never). */
  pumped = 0;
  /** Resync cycle in which the record got any message while a resync was open (0 = never). */
  touched = 0;
  /**
   * The record's fields (dimension, measures, derived placeholders) as a fast-mode object that
   * StateStore.apply keeps in step, so each output is one shallow copy instead of a rebuild (see
   * record.ts). Null until a delta changed the entity (`live`) and a record of it was built, and again
   * whenever a field appears or disappears.
   */
  fields: Record<string, unknown> | null = null;
  /** Whether `fields` carries the derived stateSince / timeInStateMs slots (bit 1 / bit 2). */
  derivedSlots = 0;
  /** Whether `fields` was built while the entity had a usable state-change timestamp. */
  fieldsWithSince = false;
  /**
   * A delta (not a pumpup row) changed this entity: it is one that changes, and its records are worth
   * `fields`. Entities only ever sent by pumpups (most of a large view) keep no `fields`.
   */
  live = false;

  constructor(key: string, view: ProducerView, dims: readonly string[], width: number) {
    this.key = key;
    this.view = view;
    this.dims = dims;
    this.values = new Array<unknown>(width);
  }

  /**
   * Columns this record may have a value in. Arrays are as wide as the entity's own measures need, not
   * as the producer's column list: one odd wide row must not widen every record of the producer.
   */
  get width(): number {
    const prev = this.prev;
    return prev === null || prev.length < this.values.length ? this.values.length : prev.length;
  }

  /** The current value of a column, undefined when the record has none. */
  valueAt(col: number): unknown {
    const value = this.values[col];
    if (value !== undefined || this.prev === null) return value;
    return this.prev[col];
  }

  /** The value of one dimension key, undefined when the dimension has no such key. */
  dimensionValue(name: string): string | undefined {
    const dims = this.dims;
    for (let i = 0; i < dims.length; i += 2) if (dims[i] === name) return dims[i + 1];
    return undefined;
  }

  /** The dimension as an object without a prototype (hostile keys stay plain data). */
  dimension(): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    const dims = this.dims;
    for (let i = 0; i < dims.length; i += 2) out[dims[i]] = dims[i + 1];
    return out;
  }
}
