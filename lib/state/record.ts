// Turns an EntityRecord into the object flows see as msg.payload: dimension fields, then every measure
// merged so far, then the derived stateSince / timeInStateMs. A fresh object each time (downstream
// nodes may modify msg.payload; the store's own arrays must never leak out).
import type { EntityRecord } from './entity-record';
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
  const since =
    derived && entity.view.stateChangeColumn >= 0
      ? toEpochMs(entity.valueAt(entity.view.stateChangeColumn))
      : undefined;
  const withSince = since !== undefined;
  if (entity.row < 0) return buildFields(entity, since, now); // left the view: its last values are in prev
  const columns = entity.view.columns;
  let shape = entity.shape;
  if (shape === null || shape.withSince !== withSince || shape.layout !== columns.layout)
    shape = entity.shape = entity.view.shapes.shapeOf(
      entity,
      entity.view.names,
      withSince,
      columns.kinds,
      columns.layout,
    );
  const prev = entity.prev;
  const build = prev === null ? shape.build : shape.buildMerged;
  if (build !== null) {
    const out = withSince
      ? build(
          columns.arrays,
          columns.tables,
          entity.row,
          prev ?? NO_VALUES,
          entity.dims,
          since,
          Math.max(0, now - since),
        )
      : build(columns.arrays, columns.tables, entity.row, prev ?? NO_VALUES, entity.dims, 0, 0);
    return Object.setPrototypeOf(out, null) as Record<string, unknown>;
  }
  return buildFields(entity, since, now);
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
  if (since !== undefined) {
    if (out[STATE_SINCE] === undefined) out[STATE_SINCE] = since;
    if (out[TIME_IN_STATE] === undefined) out[TIME_IN_STATE] = Math.max(0, now - since);
  }
  return out;
}

function isDimensionName(dims: readonly string[], name: string): boolean {
  for (let i = 0; i < dims.length; i += 2) if (dims[i] === name) return true;
  return false;
}
