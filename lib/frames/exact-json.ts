// JSON.parse without silent loss of numbers. JSON.parse turns every unquoted number literal into a
// double: 30 digits become 1.2345678901234568e+29, 1e309 becomes Infinity (null once serialized).
// Node 20 has no reviver with the source text, so a frame that MAY hold such a literal is rewritten
// first: every unquoted number whose text is not exactly what the double prints back (see
// isCanonicalNumber) is put in quotes, i.e. it arrives as a string with its wire digits. Numbers that
// survive a double unchanged ("42", "0.5") stay numbers. The rewrite runs only when a cheap test of
// the raw text finds a candidate literal, so ordinary frames cost one scan more than JSON.parse.

/** JSON.parse, but non-canonical unquoted numbers become strings with their exact wire text. */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(mayHoldInexactNumber(text) ? quoteInexactNumbers(text) : text);
}

/**
 * The cheap test: whether an unquoted number literal is long (16+ characters, but not an integer a double
 * holds exactly), has an exponent, a trailing fractional zero, is below 1e-6 (a double prints "1e-7"), or is
 * "-0" — a superset of the literals quoteInexactNumbers rewrites.
 * In an object without arrays every unquoted number is a member's value, right after a ':' (and maybe
 * whitespace), so only what follows each ':' is read: this interface quotes most of its values, and looking
 * at the ~100 colons of an agent row costs ~0.6× walking its ~200 strings (1.1 against 1.8 µs for a 2.3 KB
 * row). A ':' inside a string may show a candidate that is none; the rewrite then changes nothing. A text
 * with a '[' anywhere, or that is not an object, is walked whole, its strings skipped.
 */
export function mayHoldInexactNumber(text: string): boolean {
  if (text.charCodeAt(0) !== 123 /* { */ || text.indexOf('[') !== -1) return walkHoldsInexactNumber(text);
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) {
    let j = i + 1;
    let c = text.charCodeAt(j);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++j);
    if ((c === 45 /* - */ || (c >= 48 && c <= 57)) && endOfExactLiteral(text, j) < 0) return true;
  }
  return false;
}

/** mayHoldInexactNumber for any text: one pass that skips strings with indexOf. */
function walkHoldsInexactNumber(text: string): boolean {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = text.indexOf('"', i + 1);
      while (j > 0 && text.charCodeAt(j - 1) === 92 /* \ */) {
        let b = j - 1;
        while (text.charCodeAt(b) === 92) b--;
        if (((j - 1 - b) & 1) === 0) break; // an even run of backslashes: the quote ends the string
        j = text.indexOf('"', j + 1);
      }
      if (j < 0) return false; // unterminated: JSON.parse throws
      i = j + 1;
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      i = endOfExactLiteral(text, i);
      if (i < 0) return true;
      continue;
    }
    i++;
  }
  return false;
}

/**
 * For the number literal starting at `start` (a digit or '-'): the index just past it, or -1 when it may be
 * inexact (see mayHoldInexactNumber).
 */
function endOfExactLiteral(text: string, start: number): number {
  const n = text.length;
  const first = text.charCodeAt(start);
  let dot = false;
  let i = start + 1;
  for (; i < n; i++) {
    const d = text.charCodeAt(i);
    if (d >= 48 && d <= 57) continue;
    if (d === 46) dot = true;
    else if (d === 101 || d === 69)
      return -1; // an exponent
    else if (d !== 43 && d !== 45) break;
  }
  if (i - start >= 16 && (dot || !isSafeInteger(text, first === 45 ? start + 1 : start, i))) return -1;
  if (dot && text.charCodeAt(i - 1) === 48) return -1; // "0.50"
  if (dot && text.startsWith('0.000000', first === 45 ? start + 1 : start)) return -1; // below 1e-6: printed "1e-7"
  if (first === 45 && i - start === 2 && text.charCodeAt(start + 1) === 48) return -1; // "-0"
  return i;
}

const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER); // "9007199254740991"

/**
 * Whether the digits text[from, to) (an integer literal without sign, exponent or point) spell a safe
 * integer: exact as a double, and printed back as the same digits (JSON allows no leading zero). Up to
 * 15 digits always; 16 digits up to 9007199254740991, e.g. epoch microseconds (1796418838220000).
 */
function isSafeInteger(text: string, from: number, to: number): boolean {
  const digits = to - from;
  if (digits < MAX_SAFE_DIGITS.length) return true;
  if (digits > MAX_SAFE_DIGITS.length) return false;
  for (let k = 0; k < digits; k++) {
    const d = text.charCodeAt(from + k);
    const max = MAX_SAFE_DIGITS.charCodeAt(k);
    if (d !== max) return d < max;
  }
  return true;
}

/** Whether the double of `literal` prints back as exactly `literal` (so nothing is lost by parsing). */
export function isCanonicalNumber(literal: string): boolean {
  return String(Number(literal)) === literal;
}

/** Puts every unquoted number literal that is not canonical in double quotes. Strings are skipped. */
export function quoteInexactNumbers(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = endOfString(text, i);
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      const literal = text.slice(start, i);
      // Only a literal of JSON's number grammar: a malformed one ("01", "1.2.3", "-") stays for JSON.parse to refuse.
      if (typeof literalValue(literal) === 'string') {
        out += text.slice(copiedUpTo, start) + '"' + literal + '"';
        copiedUpTo = i;
      }
      continue;
    }
    i++;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/**
 * What parseJsonExact makes of an unquoted number literal: its number when canonical, else its text; undefined
 * when it is not of JSON's grammar (JSON.parse refuses the frame). Also the rule of frame-template.ts.
 */
export function literalValue(literal: string): number | string | undefined {
  if (isCanonicalNumber(literal)) return Number(literal);
  return JSON_NUMBER.test(literal) ? literal : undefined;
}

/** JSON's number grammar (RFC 8259, section 6). */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Index just past the closing quote of the string that starts at `start` (or the text's end). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i += 2;
    else if (c === 34) return i + 1;
    else i++;
  }
  return i;
}

/** The characters (char codes, or bytes) a number literal is read over: digits . e E + - (also frame-template.ts). */
export function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
}
