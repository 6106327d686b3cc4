// How a measure behaves, from which its wire type, format, initial value and the wording of its
// description follow. One kind per measure keeps the catalog, the dictionaries and the traffic in step.
import type { MeasureType, WireValue } from '../contract';
import { UNKNOWN } from '../wire';

export type MeasureKind =
  | 'count' // counter since start of day, a JSON number that only grows
  | 'countText' // a counter that travels as a numeric string ("activeWorkCount":"0", "workLimit":"1")
  | 'gauge' // a current level (contacts waiting now, agents ready now), a JSON number
  | 'percent' // a ratio in percent, a JSON number
  | 'duration' // whole seconds since start of day, a JSON number that only grows
  | 'seconds' // a current value in whole seconds (expected wait, a threshold, today's longest wait)
  | 'timestamp' // a 20-digit epoch-ms string or "UNKNOWN"
  | 'timeInState' // a 20-digit epoch-ms string at which the current state began, or "UNKNOWN"
  | 'text' // free text or an identifier that stays a string
  | 'enum'; // one of `values`

export interface MeasureSpec {
  readonly name: string;
  readonly kind: MeasureKind;
  /** Possible values of an enum measure. */
  readonly values?: readonly string[];
}

export function measureType(kind: MeasureKind): MeasureType {
  switch (kind) {
    case 'count':
    case 'countText':
    case 'gauge':
    case 'percent':
      return 'NUMBER';
    case 'duration':
    case 'seconds':
      return 'DURATION';
    case 'timestamp':
      return 'DATE';
    case 'timeInState':
      return 'TIME_IN_STATE';
    case 'text':
    case 'enum':
      return 'STRING';
  }
}

/** The guide's format column: "empty field, String, Number, Seconds". */
export function measureFormat(kind: MeasureKind): string {
  switch (kind) {
    case 'count':
    case 'countText':
    case 'gauge':
      return 'Number';
    case 'percent':
      return 'Percent';
    case 'duration':
    case 'seconds':
      return 'Seconds';
    case 'timestamp':
    case 'timeInState':
      return 'EpochMilliseconds';
    case 'text':
    case 'enum':
      return 'String';
  }
}

/** Value of a measure in a fresh start-of-day record. */
export function initialValue(kind: MeasureKind): WireValue {
  switch (kind) {
    case 'count':
    case 'gauge':
    case 'percent':
    case 'duration':
    case 'seconds':
      return 0;
    case 'countText':
      return '0';
    case 'timestamp':
    case 'timeInState':
    case 'text':
    case 'enum':
      return UNKNOWN;
  }
}

/** `measures('count', 'offered answered')` → two specs; keeps the producer tables short. */
export function measures(kind: MeasureKind, names: string, values?: readonly string[]): MeasureSpec[] {
  const out: MeasureSpec[] = [];
  for (const name of names.split(/\s+/)) {
    if (name) out.push(values ? { name, kind, values } : { name, kind });
  }
  return out;
}
