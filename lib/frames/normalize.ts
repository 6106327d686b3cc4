// Value normalization of realtimeData (never of dimensions: identifiers stay strings).
//  - 20-digit zero-padded epoch-ms timestamps ("00000001496919456478") → numbers (1496919456478);
//    for measures declared DATE any all-digit string is a timestamp.
//  - "UNKNOWN" → null.
//  - numeric strings ("0") → numbers ONLY for measures the producer declares NUMBER, DURATION or
//    TIME_IN_STATE: "nrReasonCode":"0" or "workLimit":"1" declared STRING stay strings.
//  - Never lossy: a string becomes a number only when the number has exactly the decimal value the
//    string spells ("1.50" → 1.5 and "007" → 7 are fine; 30 digits, "1e309" or "1e-400" stay strings).
// Hot path: no allocation beyond the numbers themselves, no try/catch.

/** Declared type per measure name, upper-cased (see producer-schema.ts). */
export type MeasureTypes = Readonly<Record<string, string>>;

const TIMESTAMP_DIGITS = 20;
// Decimal numbers only (Number() would also accept "0x10", " 1 ", "Infinity", "").
const NUMERIC = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

export function isNumericType(type: string | undefined): boolean {
  return type === 'NUMBER' || type === 'DURATION' || type === 'TIME_IN_STATE';
}

/** digitsValue: the string has a character other than 0-9, or is empty. */
const NOT_DIGITS = -1;
/** digitsValue: all digits, but above Number.MAX_SAFE_INTEGER (exactNumber decides). */
const TOO_LARGE = -2;

/**
 * The integer an all-digit string spells, read digit by digit: exact whenever the result is a safe
 * integer (every partial value is smaller, so no step rounds). ~50 ns for a 20-digit timestamp against
 * ~300 for Number() plus the String() round trip of exactNumber, and no string allocated.
 */
function digitsValue(s: string): number {
  const length = s.length;
  if (length === 0) return NOT_DIGITS;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NOT_DIGITS;
    n = n * 10 + d;
  }
  return n <= Number.MAX_SAFE_INTEGER ? n : TOO_LARGE;
}

/** Normalizes one wire value of a measure whose declared type is `type` (undefined when unknown). */
export function normalizeValue(value: unknown, type?: string): unknown {
  if (typeof value !== 'string') return value;
  if (value === 'UNKNOWN') return null;
  const numeric = isNumericType(type);
  if (value.length === TIMESTAMP_DIGITS || type === 'DATE' || numeric) {
    const n = digitsValue(value);
    if (n >= 0) return n;
    if (n === TOO_LARGE) return exactNumber(value) ?? value;
  }
  if (numeric && NUMERIC.test(value)) return exactNumber(value) ?? value;
  return value;
}

/** The number a decimal string spells, or undefined when no double has exactly that value. */
export function exactNumber(decimal: string): number | undefined {
  const n = Number(decimal);
  if (!Number.isFinite(n)) return undefined;
  const printed = String(n);
  // Fast paths (no regex): the text is the double's own print ("42"), or that print zero-padded
  // ("00000001496919128431", the 20-digit timestamps): the same value, so exact.
  if (printed === decimal) return n;
  let lead = 0;
  while (lead < decimal.length && decimal.charCodeAt(lead) === 48) lead++;
  if (lead > 0 && decimal.length - lead === printed.length && decimal.endsWith(printed)) return n;
  return decimalKey(printed) === decimalKey(decimal) ? n : undefined;
}

/**
 * A canonical form of a decimal literal's value: its significant digits and the position of the
 * decimal point ("0012.50" and "1.25e1" both give "125e2"); every zero gives "0".
 */
function decimalKey(literal: string): string {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(literal);
  if (!m) return literal;
  const whole = m[2] ?? '';
  let digits = whole + (m[3] ?? '');
  let point = whole.length + Number(m[4] ?? 0);
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === 48) lead++;
  digits = digits.slice(lead).replace(/0+$/, '');
  if (!digits) return '0';
  point -= lead;
  return `${m[1] === '-' ? '-' : ''}${digits}e${point}`;
}

/** Normalizes every value of `measures` in place (it must be the decoder's own copy) and returns it. */
export function normalizeMeasures(
  measures: Record<string, unknown>,
  types: MeasureTypes | undefined,
  stringNames?: readonly string[],
): Record<string, unknown> {
  // Only string values change: with the decoder's list of their names, no enumeration (see DecodedMessage).
  if (stringNames !== undefined) {
    for (let i = 0; i < stringNames.length; i++) {
      const name = stringNames[i]!;
      normalizeMeasure(measures, name, measures[name], types);
    }
    return measures;
  }
  for (const name in measures) {
    const v = measures[name];
    if (typeof v === 'string') normalizeMeasure(measures, name, v, types);
  }
  return measures;
}

/**
 * Normalizes one measure of `measures` in place (`value` is measures[name], already read by the caller's loop),
 * writing it back only when normalization changes it: a write by name costs as much as the read. Returns the value
 * it now has.
 */
export function normalizeMeasure(
  measures: Record<string, unknown>,
  name: string,
  value: unknown,
  types: MeasureTypes | undefined,
): unknown {
  const normal = normalizeValue(value, types ? types[name] : undefined);
  if (normal !== value) measures[name] = normal;
  return normal;
}
