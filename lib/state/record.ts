// Turns an EntityRecord into the object flows see as msg.payload: dimension fields, then every measure
// merged so far, then the derived stateSince / timeInStateMs. A fresh object each time (downstream
// nodes may modify msg.payload; the store's own arrays must never leak out). One exception, for the
// owner of the update only: a row over MAX_SHAPE_FIELDS measures that brought (nearly) every measure of
// its record is completed into it (completeRecord), its measures first, then the dimension fields.
import type { EntityRecord } from './entity-record';
import type { WideRow } from './types';
import { STATE_SINCE, TIME_IN_STATE } from './record-shape';

export { STATE_SINCE, TIME_IN_STATE };

const NO_VALUES: readonly unknown[] = Object.freeze([]);

/**
 * Epoch ms of a timestamp measure: a number as the client normalizes it, or the wire's 20-digit
 * zero-padded string when normalization is off. Anything else (null for UNKNOWN, text) gives undefined.
 */
export function toEpochMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.length > 0 && value.length <= 20 && /^\d+$/.test(value)) {
    const ms = Number(value);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  return undefined;
}

/**
 * The record of an entity as an object without a prototype (hostile names are plain keys).
 * A dimension field wins over a measure of the same name (agentId is both in the Agent stream).
 * With `derived`, records holding lastStateChangeTimestamp get stateSince (its epoch ms) and
 * timeInStateMs (now − stateSince, never negative), unless the producer sends measures of those names.
 *
 * Speed: through the compiled builder of the record's shape (record-shape.ts), which the entity keeps
 * until a field appears or disappears. Records over 900 fields wide, or of a shape without a builder,
 * are built key by key.
 */
export function toRecord(entity: EntityRecord, derived: boolean, now: number): Record<string, unknown> {
  const since = derived ? stateSinceOf(entity) : undefined;
  const withSince = since !== undefined;
  if (entity.row < 0) return buildFields(entity, since, now); // left the view: its last values are in prev
  const columns = entity.view.columns;
  let shape = entity.shape;
  if (shape === null || shape.withSince !== withSince || shape.layout !== columns.layout)
    shape = entity.shape = entity.view.shapes.shapeOf(entity, entity.view.names, withSince, columns);
  const prev = entity.prev;
  const build = prev === null ? shape.build : shape.buildMerged;
  if (build !== null) {
    const out = withSince
      ? build(columns, entity.row, prev ?? NO_VALUES, entity.dims, since, Math.max(0, now - since))
      : build(columns, entity.row, prev ?? NO_VALUES, entity.dims, 0, 0);
    return Object.setPrototypeOf(out, null) as Record<string, unknown>;
  }
  return buildFields(entity, since, now);
}

/**
 * The record of an entity made of a wide row's own object (StateChange.wideRow), right after the row was merged:
 * the values the record holds in the columns the row did not bring, then the dimension and derived fields, are
 * added to it, as toRecord would, but after the row's measures. A row of 1,675 measures is a dictionary-mode
 * object, which costs ~100 µs to build again (bench/README.md, sixteenth round).
 */
export function completeRecord(
  row: WideRow,
  entity: EntityRecord,
  derived: boolean,
  now: number,
): Record<string, unknown> {
  const out = row.measures;
  const names = entity.view.names;
  for (const col of row.others) {
    const value = entity.valueAt(col);
    if (value !== undefined) out[names[col] as string] = value;
  }
  const dims = entity.dims;
  for (let i = 0; i + 1 < dims.length; i += 2) out[dims[i] as string] = dims[i + 1];
  const since = derived ? stateSinceOf(entity) : undefined;
  if (since !== undefined) addDerived(out, since, now);
  return out;
}

/** Epoch ms of the entity's lastStateChangeTimestamp; undefined when it has no usable one. */
function stateSinceOf(entity: EntityRecord): number | undefined {
  const col = entity.view.stateChangeColumn;
  return col >= 0 ? toEpochMs(entity.valueAt(col)) : undefined;
}

/** Most columns a wide row may leave out and still be completed into the record (they are added one by one). */
const MAX_OTHER_COLUMNS = 64;
/** One mark per column, for otherColumns (cleared after each use). */
let marks = new Uint8Array(0);

/**
 * The columns below `width` that are not in `rowColumns` (distinct columns), or null when there are more than
 * MAX_OTHER_COLUMNS.
 */
export function otherColumns(rowColumns: readonly number[], width: number): number[] | null {
  if (width - rowColumns.length > MAX_OTHER_COLUMNS) return null;
  if (marks.length < width) marks = new Uint8Array(Math.max(width, 2 * marks.length));
  for (let i = 0; i < rowColumns.length; i++) marks[rowColumns[i] as number] = 1;
  const others: number[] = [];
  for (let col = 0; col < width; col++) {
    if (marks[col] === 0) others.push(col);
    else marks[col] = 0;
  }
  return others;
}

function buildFields(entity: EntityRecord, since: number | undefined, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const dims = entity.dims;
  for (let i = 0; i + 1 < dims.length; i += 2) out[dims[i] as string] = dims[i + 1];
  const names = entity.view.names;
  for (let col = 0, width = entity.width; col < width; col++) {
    const value = entity.valueAt(col);
    const name = names[col];
    if (value === undefined || name === undefined) continue;
    if (dims.length !== 0 && isDimensionName(dims, name)) continue;
    out[name] = value;
  }
  if (since !== undefined) addDerived(out, since, now);
  return out;
}

/** stateSince and timeInStateMs, unless the record has fields of those names. */
function addDerived(out: Record<string, unknown>, since: number, now: number): void {
  if (out[STATE_SINCE] === undefined) out[STATE_SINCE] = since;
  if (out[TIME_IN_STATE] === undefined) out[TIME_IN_STATE] = Math.max(0, now - since);
}

function isDimensionName(dims: readonly string[], name: string): boolean {
  for (let i = 0; i < dims.length; i += 2) if (dims[i] === name) return true;
  return false;
}
