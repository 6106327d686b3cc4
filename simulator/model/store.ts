// Ground truth: the full current record of every entity, and the writer that turns each change of
// a record into a delta. A delta carries only the measures whose value changed. Changes made to one
// entity within one "phase" of an event go into one delta; `flush()` closes the phase so the next
// change starts a new message (the guide sends a state change as a counters message followed by a
// state message).
//
// Records are arrays indexed by the producer's measure order (one shared name → index Map per
// producer): with 10,000 agents of ~100 measures each, dense arrays are much kinder to the CPU cache
// and the garbage collector than 10,000 hash-table objects. Records handed out (entities(), delta
// bodies) are prototype-less objects.
import type { Dimension, Entity, Measures, ModelDelta, WireValue } from './contract';
import { initialValue } from './catalog/measure-kinds';
import { PRODUCERS } from './catalog/producers';

interface Schema {
  readonly producerId: string;
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly template: readonly WireValue[];
}

const SCHEMAS = new Map<string, Schema>(
  PRODUCERS.map((p) => [
    p.id,
    {
      producerId: p.id,
      names: p.measures.map((m) => m.name),
      index: new Map(p.measures.map((m, i) => [m.name, i])),
      template: p.measures.map((m) => initialValue(m.kind)),
    },
  ]),
);

function bare<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export class Ent {
  /** False once the entity was evicted: later writes to it are dropped instead of resurrecting it. */
  live = true;
  /**
   * realtimeData of the delta this entity is collecting in the current phase (valid when openGen === the store's gen).
   */
  open: Measures | null = null;
  openGen = 0;
  readonly producerId: string;
  /** Current values, in the producer's measure order. */
  readonly vals: WireValue[];

  constructor(
    readonly schema: Schema,
    readonly key: string,
    /** Frozen and shared by every delta of this entity (saves one allocation per delta). */
    readonly dim: Dimension,
  ) {
    this.producerId = schema.producerId;
    this.vals = schema.template.slice();
  }

  get(name: string): WireValue | undefined {
    const i = this.schema.index.get(name);
    return i === undefined ? undefined : this.vals[i];
  }

  num(name: string): number {
    const v = this.get(name);
    return typeof v === 'number' ? v : 0;
  }

  /** Sets a value before the entity is announced (no delta). */
  init(name: string, value: WireValue): void {
    const i = this.schema.index.get(name);
    if (i === undefined) throw new Error(`${this.producerId} has no measure ${name}`);
    this.vals[i] = value;
  }

  /** The whole record as a prototype-less object. */
  record(): Measures {
    const out = bare<WireValue>();
    const names = this.schema.names;
    const vals = this.vals;
    for (let i = 0; i < names.length; i++) out[names[i] as string] = vals[i] as WireValue;
    return out;
  }

  /** A copy for entities(): callers may change it freely. */
  snapshot(): Entity {
    return { dimension: copyDimension(this.dim), realtimeData: this.record() };
  }
}

export function copyDimension(dim: Dimension): Dimension {
  const out = bare<string>();
  for (const k in dim) out[k] = dim[k] as string;
  return out;
}

export class Store {
  /** Entities per producer, in creation order (ContactDetail eviction relies on it). */
  private readonly tables = new Map<string, Map<string, Ent>>();
  /** Where deltas go; null while warming up (records change, no delta objects are made). */
  out: ModelDelta[] | null = null;
  private gen = 1;

  constructor() {
    for (const p of PRODUCERS) this.tables.set(p.id, new Map());
  }

  table(producerId: string): ReadonlyMap<string, Ent> | undefined {
    return this.tables.get(producerId);
  }

  /**
   * A new entity with a start-of-day record. Dimension values are given in the producer's dimension
   * order; the caller may `init()` more values and then `announce()` it.
   */
  create(producerId: string, dimNames: readonly string[], dimValues: readonly string[]): Ent {
    const schema = SCHEMAS.get(producerId);
    const table = this.tables.get(producerId);
    if (!schema || !table) throw new Error(`unknown producer ${producerId}`);
    const dim = bare<string>();
    for (let i = 0; i < dimNames.length; i++) dim[dimNames[i] as string] = dimValues[i] as string;
    Object.freeze(dim);
    const ent = new Ent(schema, dimValues.join('\u0000'), dim);
    table.set(ent.key, ent);
    return ent;
  }

  /** Emits the whole record of a newly created entity as one delta (its first appearance on the wire). */
  announce(e: Ent): void {
    if (this.out === null) return;
    const rd = e.record();
    // Further changes in this phase join the same delta.
    e.open = rd;
    e.openGen = this.gen;
    this.out.push({ producerId: e.producerId, dimension: e.dim, realtimeData: rd, eventAction: 'UPSERT' });
  }

  /** Drops an entity; with `announce` a DELETE delta tells subscribers. */
  remove(e: Ent, announce: boolean): void {
    e.live = false;
    this.tables.get(e.producerId)?.delete(e.key);
    if (announce && this.out)
      this.out.push({
        producerId: e.producerId,
        dimension: e.dim,
        realtimeData: bare<WireValue>(),
        eventAction: 'DELETE',
      });
  }

  /** Sets a measure the producer declares; a no-op if the value is unchanged or the measure is not the producer's. */
  set(e: Ent, k: string, v: WireValue): void {
    const i = e.schema.index.get(k);
    if (i !== undefined && e.vals[i] !== v) this.write(e, i, k, v);
  }

  /** Adds to a numeric measure (counter, gauge or duration) the producer declares. */
  add(e: Ent, k: string, n: number): void {
    if (n === 0) return;
    const i = e.schema.index.get(k);
    if (i === undefined) return;
    const cur = e.vals[i];
    if (typeof cur === 'number') this.write(e, i, k, cur + n);
  }

  private write(e: Ent, i: number, k: string, v: WireValue): void {
    if (!e.live) return;
    e.vals[i] = v;
    const out = this.out;
    if (out === null) return;
    let rd = e.open;
    if (e.openGen !== this.gen || rd === null) {
      rd = bare<WireValue>();
      e.open = rd;
      e.openGen = this.gen;
      out.push({ producerId: e.producerId, dimension: e.dim, realtimeData: rd, eventAction: 'UPSERT' });
    }
    rd[k] = v;
  }

  /** Ends the current phase: the next change of any entity starts a new delta. */
  flush(): void {
    this.gen++;
  }
}
