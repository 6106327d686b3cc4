// One entity's accumulated view. Memory-lean on purpose (100,000 entities must fit in some 35 MB): measure
// names live once per producer (ProducerView.names), values in the producer's column store
// (column-store.ts), of which a record is a row, and the dimension is read from the entity's key, which
// holds it ("Agent_SoD_3.5/agentId=4711"). Only a dimension the key cannot tell exactly (a name with "/"
// or "=", a value with "/") keeps an array of its own: an array per entity and its value strings cost
// some 130 B each, a quarter of the view.
// Private to the store: lib/state/index.ts does not export the class (StateChange carries it as a type).
import { dimensionFromKey, dimensionInKey } from '../entity-key';
import type { ProducerView } from './producer-view';
import type { RecordShape } from './record-shape';

export class EntityRecord {
  /** entityKey(producer, dimension): also the msg.topic of its outputs. */
  readonly key: string;
  readonly view: ProducerView<EntityRecord>;
  /** The dimension when the key cannot give it exactly (see the top), else null. */
  private readonly ownDims: readonly string[] | null;
  /**
   * The record's row in the view's column store; -1 once the entity left the view (deleted, evicted): its
   * row went back to the store, and `prev` holds its last values, so that it stays readable.
   */
  row: number;
  /** Its place in the view's pumpup order (pumpup-order.ts), -1 for none. */
  orderAt = -1;
  /**
   * While a pumpup is replacing this record: the former values (by column) its pumpup row did not bring
   * again. Reads fall back to `prev` until the pumpup completes, then whatever it holds that the pumpup did
   * not send is dropped (resync.ts). Null outside a pumpup, and during one when the row brought every
   * measure (the common case). Also the last values of an entity that left the view (row -1).
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

  constructor(key: string, view: ProducerView<EntityRecord>, dims: readonly string[]) {
    this.key = key;
    this.view = view;
    this.ownDims = dimensionInKey(key, view.id.length, dims) ? null : dims;
    this.row = view.columns.allocate();
  }

  /** The dimension as [name, value, name, value, …] in key order: a fresh array when read from the key. */
  get dims(): readonly string[] {
    return this.ownDims ?? dimensionFromKey(this.key, this.view.id.length) ?? NO_DIMS;
  }

  /** Columns this record may have a value in. */
  get width(): number {
    const prev = this.prev;
    if (this.row < 0) return prev === null ? 0 : prev.length;
    const width = this.view.columns.width;
    return prev === null || prev.length < width ? width : prev.length;
  }

  /** The current value of a column, undefined when the record has none. */
  valueAt(col: number): unknown {
    const value = this.row < 0 ? undefined : this.view.columns.get(col, this.row);
    if (value !== undefined || this.prev === null) return value;
    return this.prev[col];
  }

  /** Sets a column's value (undefined: none). */
  setValue(col: number, value: unknown): void {
    if (value === undefined) this.view.columns.clear(col, this.row);
    else this.view.columns.set(col, this.row, value);
  }

  /**
   * The entity left the view: its values move to `prev` (as it stays readable, e.g. for the last record of
   * a delete) and its row goes back to the column store.
   */
  detach(): void {
    if (this.row < 0) return;
    const width = this.width;
    const last = new Array<unknown>(width);
    for (let col = 0; col < width; col++) last[col] = this.valueAt(col);
    this.view.columns.release(this.row);
    this.view.order.forget(this);
    this.row = -1;
    this.prev = last;
  }

  /** The value of one dimension key, undefined when the dimension has no such key. */
  dimensionValue(name: string): string | undefined {
    const dims = this.ownDims;
    if (dims !== null) {
      for (let i = 0; i < dims.length; i += 2) if (dims[i] === name) return dims[i + 1];
      return undefined;
    }
    // "/name=" in the key, where a segment starts (no name of such a key holds "/" or "=", no value "/")
    if (name.includes('=') || name.includes('/')) return undefined;
    const key = this.key;
    for (let at = this.view.id.length; at >= 0 && at < key.length; at = key.indexOf('/', at + 1)) {
      const end = at + 1 + name.length;
      if (key.charCodeAt(end) === 61 /* = */ && key.startsWith(name, at + 1)) {
        const next = key.indexOf('/', end + 1);
        return key.slice(end + 1, next < 0 ? key.length : next);
      }
    }
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

const NO_DIMS: readonly string[] = Object.freeze([]);
