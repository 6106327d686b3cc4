// One entity's accumulated view. Memory-lean on purpose (10,000 agents × 80 measures must stay far
// below 100 MB): measure names live once per producer (ProducerView.names) and a record holds only a
// values array indexed by column, plus its dimension as a flat [name, value, …] array.
// Private to the store: lib/state/index.ts does not export the class (StateChange carries it as a type).
import type { ProducerView } from './producer-view';
import type { RecordShape } from './record-shape';

export class EntityRecord {
  /** entityKey(producer, dimension): also the msg.topic of its outputs. */
  readonly key: string;
  readonly view: ProducerView<EntityRecord>;
  /** The dimension as [name, value, name, value, …] in key order. */
  readonly dims: readonly string[];
  /** Column → value; undefined = no value received (null is a real value: UNKNOWN). */
  values: unknown[];
  /**
   * While a pumpup is replacing this record: the former values its pumpup row did not bring again. Reads
   * fall back to `prev` until the pumpup completes, then whatever it holds that the pumpup did not send is
   * dropped (resync.ts). Null outside a pumpup, and during one when the row brought every measure (the
   * common case).
   */
  prev: unknown[] | null = null;
  /** Resync cycle of the producer in which a pumpup row replaced this record (0 = never). */
  pumped = 0;
  /** Resync cycle in which the record got any message while a resync was open (0 = never). */
  touched = 0;
  /**
   * The shape of the record's last output (record-shape.ts): its compiled builder serves every output
   * until a field appears or disappears (the store then sets it to null). Null also when none fits.
   */
  shape: RecordShape | null = null;

  constructor(key: string, view: ProducerView<EntityRecord>, dims: readonly string[], width: number) {
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

  /**
   * Makes `values` at least `width` wide and returns it. A copy of exactly that width: an array grown by a
   * write past its end gets some 50 % of spare slots (V8's growth rule), kept for the life of the record.
   */
  widen(width: number): unknown[] {
    const old = this.values;
    if (old.length >= width) return old;
    const out = new Array<unknown>(width);
    for (let col = 0; col < old.length; col++) {
      const value = old[col];
      if (value !== undefined) out[col] = value;
    }
    return (this.values = out);
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
    const out: Record<string, string> = Object.create(null) as Record<string, string>;
    const dims = this.dims;
    for (let i = 0; i + 1 < dims.length; i += 2) {
      const name = dims[i];
      const value = dims[i + 1];
      if (name !== undefined && value !== undefined) out[name] = value;
    }
    return out;
  }
}
