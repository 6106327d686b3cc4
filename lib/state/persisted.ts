// The persisted form of the views, as written to a Node-RED context store (memory, file, Redis…).
// JSON-safe and compact: measure names once per producer, each entity's values by column. JSON has
// no `undefined`, so columns an entity has no value for are listed in `a` (their `v` slot is null),
// which keeps them apart from real nulls (UNKNOWN). Data read back may come from another instance or
// another version: everything is checked, and hostile names stay plain strings.
import type { EntityRecord } from './entity-record';
import type { ProducerView } from './producer-view';
import { MAX_MEASURES_PER_PRODUCER } from './producer-view';
import { StateFormatError } from './errors';
import { isWireScalar } from './input-checks';

export const PERSISTED_FORMAT = 'avaya-analytics-state';
export const PERSISTED_VERSION = 1;

export type PersistedScalar = string | number | boolean | null;

export interface PersistedEntity {
  /** Dimension as [name, value, name, value, …]. */
  d: string[];
  /** Values by column of the producer's `measures`; trailing columns without a value are left out. */
  v: PersistedScalar[];
  /** Columns (indexes into v) that have no value; absent when there are none. */
  a?: number[];
}

export interface PersistedProducer {
  producer: string;
  source: string | null;
  measures: string[];
  entities: PersistedEntity[];
}

export interface PersistedState {
  format: typeof PERSISTED_FORMAT;
  version: typeof PERSISTED_VERSION;
  /** Epoch ms of the write. */
  savedAt: number;
  producers: PersistedProducer[];
}

/** A persisted producer after validation: dimensions as objects without a prototype, undefined = no value. */
export interface ParsedProducer {
  producer: string;
  source: string | undefined;
  measures: string[];
  entities: Array<{ dimension: Record<string, string>; values: unknown[] }>;
}

export function serializeViews(views: Iterable<ProducerView<EntityRecord>>, savedAt: number): PersistedState {
  const producers: PersistedProducer[] = [];
  for (const view of views) {
    if (view.entities.size === 0) continue;
    const entities: PersistedEntity[] = [];
    for (const entity of view.entities.values()) {
      const v: PersistedScalar[] = [];
      let absent: number[] | undefined;
      let last = -1;
      for (let col = 0, width = entity.width; col < width; col++) if (entity.valueAt(col) !== undefined) last = col;
      for (let col = 0; col <= last; col++) {
        const value = entity.valueAt(col);
        if (value === undefined) {
          v.push(null);
          (absent ??= []).push(col);
        } else {
          v.push(value as PersistedScalar);
        }
      }
      entities.push(absent === undefined ? { d: entity.dims.slice(), v } : { d: entity.dims.slice(), v, a: absent });
    }
    producers.push({ producer: view.id, source: view.source ?? null, measures: view.names.slice(), entities });
  }
  return { format: PERSISTED_FORMAT, version: PERSISTED_VERSION, savedAt, producers };
}

/** Validates a persisted view and returns its producers. Throws StateFormatError naming the first defect. */
export function parsePersisted(data: unknown): ParsedProducer[] {
  if (!isObject(data) || data.format !== PERSISTED_FORMAT) fail('not an avaya-analytics-state view');
  if (data.version !== PERSISTED_VERSION) fail(`unsupported version ${JSON.stringify(data.version)}`);
  if (!Array.isArray(data.producers)) fail('producers is not an array');
  return data.producers.map((p: unknown, i: number) => parseProducer(p, `producers[${i}]`));
}

function parseProducer(p: unknown, at: string): ParsedProducer {
  if (!isObject(p)) fail(`${at} is not an object`);
  if (typeof p.producer !== 'string' || p.producer.length === 0) fail(`${at}.producer is not a non-empty string`);
  if (p.source !== null && p.source !== undefined && typeof p.source !== 'string') fail(`${at}.source is not a string`);
  const measures = p.measures;
  if (
    !Array.isArray(measures) ||
    measures.length > MAX_MEASURES_PER_PRODUCER ||
    !measures.every((m) => typeof m === 'string')
  ) {
    fail(`${at}.measures is not a list of names`);
  }
  if (new Set(measures).size !== measures.length) fail(`${at}.measures has duplicates`);
  if (!Array.isArray(p.entities)) fail(`${at}.entities is not an array`);
  const entities = p.entities.map((e: unknown, j: number) => parseEntity(e, measures.length, `${at}.entities[${j}]`));
  return { producer: p.producer, source: typeof p.source === 'string' ? p.source : undefined, measures, entities };
}

function parseEntity(e: unknown, width: number, at: string): { dimension: Record<string, string>; values: unknown[] } {
  if (!isObject(e)) fail(`${at} is not an object`);
  const d = e.d;
  if (!Array.isArray(d) || d.length === 0 || d.length % 2 !== 0 || !d.every((x) => typeof x === 'string')) {
    fail(`${at}.d is not a list of dimension names and values`);
  }
  const dimension: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i + 1 < d.length; i += 2) {
    const name: unknown = d[i];
    const value: unknown = d[i + 1];
    if (typeof name === 'string' && typeof value === 'string') dimension[name] = value;
  }
  const v = e.v;
  if (!Array.isArray(v) || v.length > width) fail(`${at}.v is not a list of at most ${width} values`);
  if (!v.every(isWireScalar)) fail(`${at}.v holds a value that is not a scalar`);
  const values: unknown[] = v.slice();
  if (e.a !== undefined) {
    if (!Array.isArray(e.a)) fail(`${at}.a is not a list of columns`);
    for (const col of e.a as unknown[]) {
      if (typeof col !== 'number' || !Number.isInteger(col) || col < 0 || col >= values.length)
        fail(`${at}.a holds an invalid column`);
      values[col] = undefined;
    }
  }
  return { dimension, values };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function fail(reason: string): never {
  throw new StateFormatError(`persisted view rejected: ${reason}`);
}
