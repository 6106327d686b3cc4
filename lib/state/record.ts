// Turns an EntityRecord into the object flows see as msg.payload: dimension fields, then every measure
// merged so far, then the derived stateSince / timeInStateMs. A fresh object each time (downstream
// nodes may modify msg.payload; the store's own arrays must never leak out).
import type { EntityRecord } from './entity-record.js';

export const STATE_SINCE = 'stateSince';
export const TIME_IN_STATE = 'timeInStateMs';

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
 */
export function toRecord(entity: EntityRecord, derived: boolean, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  const dims = entity.dims;
  for (let i = 0; i < dims.length; i += 2) out[dims[i]] = dims[i + 1];
  const view = entity.view;
  const names = view.names;
  for (let col = 0; col < names.length; col++) {
    const value = entity.valueAt(col);
    if (value === undefined) continue;
    const name = names[col];
    if (dims.length !== 0 && entity.dimensionValue(name) !== undefined) continue;
    out[name] = value;
  }
  if (derived && view.stateChangeColumn >= 0) {
    const since = toEpochMs(entity.valueAt(view.stateChangeColumn));
    if (since !== undefined) {
      if (out[STATE_SINCE] === undefined) out[STATE_SINCE] = since;
      if (out[TIME_IN_STATE] === undefined) out[TIME_IN_STATE] = Math.max(0, now - since);
    }
  }
  return out;
}
