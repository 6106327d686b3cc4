// The kinds of a column of the column store (column-store.ts): what each holds, how it marks a row without a
// value, and which kinds a column may move to. Pure values and predicates: no store state.

export const SPARSE = 0;
export const SMALL = 1;
export const INT = 2;
export const CODED = 3;
export const FLOAT = 4;
export const ANY = 5;

/** The `int` kind's marker of a row without a value (also the one 32-bit integer it does not hold). */
export const INT_ABSENT = -2147483648;
/**
 * A float column's null: a NaN whose high 32 bits are these (a signalling NaN, which no arithmetic makes;
 * the absent NaN is the quiet one a store of NaN writes). Read through a Uint32Array over the same buffer.
 */
export const NULL_HIGH_BITS = 0x7ff40000;
/** Index of a double's high 32 bits within its two Uint32Array elements (0 on a big-endian machine). */
export const HIGH_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;
/** Distinct values a coded column holds (code 0 is "no value"). */
export const MAX_CODES = 255;
/** Longer strings are not coded: a long text is rarely repeated, and a code table keeps what it holds. */
const MAX_CODED_LENGTH = 64;

function isNegativeZero(value: number): boolean {
  return value === 0 && 1 / value < 0;
}

export function isSmall(value: unknown): value is number {
  return (
    typeof value === 'number' && value >= 0 && value < MAX_CODES && (value | 0) === value && !isNegativeZero(value)
  );
}

export function isInt(value: unknown): value is number {
  return typeof value === 'number' && (value | 0) === value && value !== INT_ABSENT && !isNegativeZero(value);
}

/** Whether a coded column may hold it: -0 would meet 0 in the code Map (SameValueZero) and lose its sign. */
export function isCodable(value: unknown): boolean {
  if (typeof value === 'string') return value.length <= MAX_CODED_LENGTH;
  if (typeof value === 'number') return !isNegativeZero(value);
  return value === null || typeof value === 'boolean';
}

/** Whether a column of this kind can hold the value (a coded one also needs a free code). */
export function fits(kind: number, value: unknown): boolean {
  switch (kind) {
    case SMALL:
      return isSmall(value);
    case INT:
      return isInt(value);
    case CODED:
      return isCodable(value);
    case FLOAT:
      return value === null || (typeof value === 'number' && value === value);
    default:
      return kind === ANY || kind === SPARSE;
  }
}

/** The dense kinds a column of this kind may move to, narrowest first (see the top of the file). */
export function denserKinds(kind: number): readonly number[] {
  if (kind === CODED) return [FLOAT, ANY];
  if (kind === FLOAT) return [ANY];
  if (kind === SPARSE) return [SMALL, INT, CODED, FLOAT, ANY];
  return [SMALL, INT, CODED, FLOAT, ANY].filter((k) => k > kind);
}
