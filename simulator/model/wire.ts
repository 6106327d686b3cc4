// Wire encodings of the Open Interface (notes.md): timestamps are 20-digit zero-padded epoch
// milliseconds in UTC, unknown values are the string "UNKNOWN", some counters travel as strings.

export const UNKNOWN = 'UNKNOWN';

const ZEROS = '00000000000000000000';

/** Epoch ms → "00000001496919456478". */
export function wireTimestamp(epochMs: number): string {
  const digits = String(Math.floor(epochMs));
  return ZEROS.slice(digits.length) + digits;
}

/** Milliseconds → whole seconds, the unit of every DURATION measure. */
export function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
