// One update's way into a record (StateStore.apply): which key it has, whether its measures are
// usable, and how each measure is merged into the entity's values (with the change lists when diffs
// are on). Hot path: plain functions, no allocation beyond the change lists' own.
import { entityKey } from '../entity-key';
import type { EntityRecord } from './entity-record';
import { StateInputError } from './errors';
import { isWireScalar, quote } from './input-checks';
import type { EntityUpdate } from './types';

/** The `changed` list of a change without diff. */
export const NO_NAMES: string[] = Object.freeze([]) as unknown as string[];

/**
 * The change lists of one apply, collected in a list the store reuses: takeNames() hands out an exact-size copy.
 * A fresh `[]` grown by push has 16 slots from its first name on, and `previous` only exists once a value had one.
 */
export class ChangeLog {
  private readonly names: string[] = [];
  private count = 0;
  private previous: Record<string, unknown> | null = null;

  /** Forgets what an apply that threw half-way may have left. */
  clear(): void {
    this.count = 0;
    this.previous = null;
  }

  add(name: string, old: unknown): void {
    this.names[this.count++] = name;
    // A prototype-less object: a measure named "__proto__" is a plain key.
    if (old !== undefined) (this.previous ??= Object.create(null) as Record<string, unknown>)[name] = old;
  }

  /** The names added since the last take, in order: a fresh array the caller owns. */
  takeNames(): string[] {
    const out = this.names.slice(0, this.count);
    this.count = 0;
    return out;
  }

  /** Former values by name since the last take (a measure that had none is absent): a fresh object, no prototype. */
  takePrevious(): Record<string, unknown> {
    const out = this.previous ?? (Object.create(null) as Record<string, unknown>);
    this.previous = null;
    return out;
  }
}

/**
 * The entity key: the sender's (msg.topic) when it is the key of this producer and dimension, else
 * computed. The subscribe node computed it already; computing it again would sort and join per msg.
 * A topic a flow changed (e.g. "Agent_SoD_3.5/updates") or left behind a changed dimension is not
 * taken: find(), get and a restore compute the key from the dimension and must land on the same one.
 */
export function keyOf(producer: string, update: EntityUpdate): string {
  const topic = update.topic;
  return typeof topic === 'string' && isKeyOf(topic, producer, update.dimension)
    ? topic
    : entityKey(producer, update.dimension);
}

/**
 * Whether `topic` is entityKey(producer, dimension): same length, and every "/name=value" in it, followed by
 * "/" or the end. Read in place: a "/name=value" string per name would cost more than the rest of the check.
 */
export function isKeyOf(topic: string, producer: string, dimension: Readonly<Record<string, string>>): boolean {
  if (!topic.startsWith(producer) || topic.charCodeAt(producer.length) !== 47 /* / */) return false;
  let length = producer.length;
  for (const name in dimension) length += name.length + (dimension[name]?.length ?? 0) + 2;
  if (length !== topic.length) return false;
  for (const name in dimension) if (!holdsPair(topic, producer.length, name, dimension[name] ?? '')) return false;
  return true;
}

/**
 * Whether `key` holds "/name=value" after `from`, followed by "/" or the key's end. `at < key.length` ends the
 * search for an empty name, which indexOf finds at every position up to the end, and at the end for ever.
 */
function holdsPair(key: string, from: number, name: string, value: string): boolean {
  for (let at = key.indexOf(name, from + 1); at !== -1 && at < key.length; at = key.indexOf(name, at + 1)) {
    const eq = at + name.length;
    if (key.charCodeAt(at - 1) !== 47 /* / */ || key.charCodeAt(eq) !== 61 /* = */) continue;
    if (!key.startsWith(value, eq + 1)) continue;
    const end = eq + 1 + value.length;
    if (end === key.length || key.charCodeAt(end) === 47) return true;
  }
  return false;
}

export function checkMeasure(name: string, value: unknown): void {
  if (value !== undefined && !isWireScalar(value))
    throw new StateInputError(`measure ${quote(name)} is not a string, number, boolean or null`);
}

/** Object.is(a, b) in plain comparisons, which V8 inlines into merge's loop: NaN is NaN, and -0 is not 0. */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b ? a !== 0 || 1 / (a as number) === 1 / (b as number) : a !== a && b !== b;
}

/**
 * Merges one measure into the entity; true when its value changed. Without a log (no diff) no list is kept.
 * Values compare as Object.is does: NaN is NaN, and -0 is not 0 (the columns keep the sign, so the record holds
 * exactly the value the row brought: a wide row may be made the record itself, StateChange.wideRow).
 */
export function merge(entity: EntityRecord, name: string, value: unknown, col: number, log: ChangeLog | null): boolean {
  if (value === undefined) return false;
  const columns = entity.view.columns;
  const row = entity.row;
  const current = columns.get(col, row);
  if (sameValue(current, value)) return false;
  const prev = entity.prev;
  const old = current !== undefined || prev === null ? current : prev[col];
  if (sameValue(old, value)) {
    if (current === undefined) columns.set(col, row, old); // same value (NaN included), refreshed by a pumpup row
    return false;
  }
  // A coded column (column-store.ts) holds one copy of each string: in a low-cardinality column (states,
  // reason codes) the message's copy then dies young.
  columns.set(col, row, value);
  if (old === undefined) entity.shape = null; // a new field: another shape
  if (log !== null) log.add(name, old);
  return true;
}
