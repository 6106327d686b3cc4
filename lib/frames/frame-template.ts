// Frame templates: an exact parse of the frames a feed repeats, read from the socket's bytes without
// JSON.parse.
//
// A feed repeats a handful of frame layouts: every agent row of a producer has the same names in the same
// order, only the values change. A template is one layout learned from a frame: the constant bytes between
// the values (`{"dimension":{"agentId":` … `,"active":` …) and a constructor per object that assigns the
// values in the frame's order. Reading a frame with it compares the constant bytes (four at a time) and
// parses each value (a string without escapes, a number, true, false or null); any other byte, at any place,
// makes it give up, and the frame is parsed the usual way (decode.ts: parseJsonExact). An agent row of
// 2.3 KB: ~3.4 µs, against ~6.6 µs for its UTF-8 decoding, the exactness pre-scan and JSON.parse
// (bench/README.md, twelfth round).
//
// An object of WIDE_FIELDS names or more is built by a loop into a prototype-less dictionary instead, and its
// names and values are handed to the decoder (wideOf), which then checks it without enumerating it nor looking
// each name up. A 32 KB row of 1,675 measures: ~200 µs to a checked frame, against ~450 µs with JSON.parse and an
// enumeration (bench/README.md, thirteenth round).
//
// Why the result is what parseJsonExact(bytes.toString()) gives, for every frame a template reads:
//  - every byte of the frame is either a template byte or part of a value, and the frame ends where the
//    template does: whitespace, an escape, another name, a repeated name or a nested value anywhere fails;
//  - a template is kept only when it reads its own frame to what parseJsonExact made of it, names in the same
//    order (integer-like names out of numeric order, which JSON.parse lists first, fail that test), values equal;
//  - strings: the bytes between the quotes, none of them a backslash or a control character (JSON.parse
//    refuses raw ones), decoded as UTF-8 (a quote is ASCII, so no sequence spans a value's end); a short ASCII one
//    is the string the feed's ShortStrings made for the same bytes before (short-strings.ts);
//  - numbers: the same literal rule as quoteInexactNumbers (exact-json.ts): a canonical literal is its number,
//    another one of JSON's grammar its text, anything else gives up.
// Names are written into the generated code as JSON string literals (inert JS string literals, as in
// record-shape.ts); a layout with "__proto__", "constructor" or "prototype" is never learned, so the
// decoder's dropping of them stays on its one path.
import { isHostileKey } from './decode';
import { isNumberChar, literalValue } from './exact-json';
import { ShortStrings } from './short-strings';
import { SmallFrameGate } from './small-frame-gate';

/**
 * Frames shorter than this are read by templates only while the feed repeats their layouts (small-frame-gate.ts): a
 * feed's deltas carry the measures that changed, so their layouts may seldom repeat, and misses cost.
 */
export const MIN_TEMPLATE_BYTES = 1024;
/** The largest ArrayBuffer whose view FrameTemplates keeps for the next frame (a socket read's chunk is 64 KB). */
const MAX_VIEWED_BYTES = 256 * 1024;
/**
 * Templates kept per feed: the layouts one socket repeats, one or two per producer it carries. Four were too few
 * for a pumpup of ten producers at once (bench/README.md, thirteenth round): they took turns in the four places, and
 * which ones a process kept decided its speed. A frame no template reads tries each (most fail at the first word).
 */
const MAX_TEMPLATES = 16;
/**
 * Templates of frames under MIN_TEMPLATE_BYTES, kept apart from the others: a feed's small layouts must not push out
 * its rows' (a pumpup's ten producers need most of the sixteen places).
 */
const MAX_SMALL_TEMPLATES = 4;
/** Fields and objects in the generated constructors above which a layout is not learned: the code stays small. */
const MAX_VALUES = 512;
/**
 * An object with at least this many names is built by a loop into a prototype-less dictionary (buildWide), not by
 * a generated constructor: JSON.parse makes such an object a dictionary too (Node 20's V8 from 128 names on), and
 * a constructor assigning 1,600 names goes through as many hidden classes before V8 gives up on them.
 */
const WIDE_FIELDS = 128;
/**
 * Values above which a layout is not learned, wide objects included (a 32 KB row of counters holds 1,675). A template
 * keeps its constant bytes and their words end to end, a generated constructor per narrow object, and an array of
 * values: ~0.18 MB at this bound (measured; ~0.8 MB while each run had a Buffer of its own), hence MAX_HELD_SLOTS.
 */
const MAX_SLOTS = 2048;
/**
 * Values the templates of one feed hold between them: eight wide layouts of 2,000 values held 1.4 MB (measured; 6.3 MB
 * while each run had a Buffer of its own); sixteen layouts of agent rows, or eight wide ones (the bench's large frames
 * make six).
 */
const MAX_HELD_SLOTS = 16_384;
/**
 * Objects nested deeper than this (the root is 1) are not learned: this feed nests two levels, and a template builds
 * its objects by nested constructor calls, which a hostile nesting must not take to the stack's limit.
 */
const MAX_DEPTH = 4;
/**
 * Frames not read by a template between two attempts to learn one: doubled at each attempt, up to the last, and
 * back to the first when a template learned proves itself (PROVEN_READS frames read): a feed of six layouts learns
 * them all within a few hundred frames, one whose layouts never repeat tries ever more rarely.
 */
const FIRST_GAP = 8;
const LAST_GAP = 4096;
const PROVEN_READS = 32;

/** When to try to learn a layout next (see FIRST_GAP): small and other frames each keep their own. */
class LearnPacing {
  /** Frames no template read since the last attempt, and how many must pass before the next. */
  misses = 0;
  gap = FIRST_GAP;

  /** Whether a frame no template read is an attempt's; the next attempt then waits twice as long. */
  attempt(): boolean {
    if (this.misses < this.gap) return false;
    this.misses = 0;
    this.gap = Math.min(this.gap * 2, LAST_GAP);
    return true;
  }
}

/** The templates of one class of frames (under MIN_TEMPLATE_BYTES, or not): kept, paced and evicted apart. */
class TemplateSet {
  readonly list: FrameTemplate[] = [];
  readonly pacing = new LearnPacing();

  constructor(private readonly max: number) {}

  /** Whether another template of the size of the largest one would fit without evicting one. */
  hasRoom(): boolean {
    let largest = 0;
    for (const t of this.list) largest = Math.max(largest, t.size);
    return this.list.length < this.max && this.held() + largest <= MAX_HELD_SLOTS;
  }

  /** The values the templates hold between them (see MAX_HELD_SLOTS). */
  held(): number {
    let held = 0;
    for (const t of this.list) held += t.size;
    return held;
  }

  /** Keeps a template: the least recently used go first, while there are too many or they hold too many values. */
  add(template: FrameTemplate): void {
    const list = this.list;
    let held = this.held() + template.size;
    while (list.length > 0 && (list.length >= this.max || held > MAX_HELD_SLOTS)) {
      let oldest = 0;
      for (let t = 1; t < list.length; t++) {
        if ((list[t] as FrameTemplate).lastUse < (list[oldest] as FrameTemplate).lastUse) oldest = t;
      }
      held -= (list[oldest] as FrameTemplate).size;
      list.splice(oldest, 1);
    }
    list.push(template);
  }
}

/** A wide object a template built (FrameTemplates.wideOf): its value of names[i] is values[from + i]. */
export interface WideObject {
  readonly names: readonly string[];
  readonly values: readonly unknown[];
  readonly from: number;
}

type Build = (values: unknown[]) => Record<string, unknown>;
type WideBuilder = (names: readonly string[], v: readonly unknown[], from: number) => Record<string, unknown>;
type Bytes = Buffer & {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
};

class FrameTemplate {
  /**
   * The constant runs, end to end in one array each (a row of 1,675 values reads them in order, instead of two
   * objects per run): their bytes, where each run starts in them (and where the bytes end, last), and each run's
   * first bytes as little-endian 32-bit words (length >> 2 of them per run).
   */
  private readonly bytes: Uint8Array;
  private readonly starts: Int32Array;
  private readonly words: Int32Array;
  /**
   * Per run of 4 bytes or more whose length is not a multiple of 4: its last 4 bytes as a word, which covers the
   * bytes its words leave (a byte loop per run was a sixth of a 32 KB row's read).
   */
  private readonly tails: Int32Array;
  /** The values of the frame being read (copied into the built objects at once). */
  private readonly values: unknown[];
  /** FrameTemplates' clock at the last frame read: the least recently used template goes first. */
  lastUse = 0;
  /** Frames read (counted up to PROVEN_READS). */
  reads = 0;
  /** Its constant bytes: a shorter frame cannot have its layout. */
  readonly minBytes: number;
  /** Its values: what it holds (see MAX_HELD_SLOTS). */
  get size(): number {
    return this.values.length;
  }

  constructor(
    runs: readonly Buffer[],
    private readonly build: Build,
    private readonly strings: ShortStrings,
  ) {
    this.values = new Array<unknown>(runs.length - 1);
    this.bytes = Buffer.concat(runs);
    this.minBytes = this.bytes.length;
    this.starts = new Int32Array(runs.length + 1);
    let words = 0;
    for (let r = 0; r < runs.length; r++) {
      this.starts[r + 1] = (this.starts[r] as number) + (runs[r] as Buffer).length;
      words += (runs[r] as Buffer).length >> 2;
    }
    this.words = new Int32Array(words);
    let w = 0;
    for (const run of runs) for (let k = 0; k + 4 <= run.length; k += 4) this.words[w++] = run.readInt32LE(k);
    this.tails = new Int32Array(runs.length);
    runs.forEach((run, r) => {
      if (run.length >= 4 && (run.length & 3) !== 0) this.tails[r] = run.readInt32LE(run.length - 4);
    });
  }

  /**
   * The frame's root object, or null when the frame does not have this layout or a value it cannot read. `view`
   * covers the frame's ArrayBuffer, where the frame starts at `base`.
   */
  read(bytes: Buffer, view: DataView, base: number): Record<string, unknown> | null {
    const b = bytes as Bytes;
    const n = b.length;
    const { bytes: constant, starts, words, tails, values } = this;
    const last = values.length;
    let i = 0;
    let w = 0; // the first word of the run
    for (let slot = 0; ; slot++) {
      const from = starts[slot] as number;
      const length = (starts[slot + 1] as number) - from;
      if (i + length > n) return null;
      const whole = length & ~3;
      for (let k = 0; k < whole; k += 4, w++) if (view.getInt32(base + i + k, true) !== words[w]) return null;
      if (whole === 0) {
        for (let k = 0; k < length; k++) if (b[i + k] !== constant[from + k]) return null;
      } else if (whole !== length && view.getInt32(base + i + length - 4, true) !== tails[slot]) return null;
      i += length;
      if (slot === last) break;
      const c = b[i] as number;
      if (c === 34 /* " */) {
        let j = i + 1;
        let ascii = true;
        for (; j < n; j++) {
          const x = b[j] as number;
          if (x === 34) break;
          if (x === 92 /* \ */ || x < 32) return null; // an escape or a raw control character: JSON.parse decides
          if (x > 127) ascii = false;
        }
        if (j >= n) return null;
        values[slot] = ascii ? this.strings.get(b, i + 1, j) : b.utf8Slice(i + 1, j);
        i = j + 1;
      } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
        i = this.number(b, i, slot);
        if (i < 0) return null;
      } else if (c === 110 /* n */ && b[i + 1] === 117 && b[i + 2] === 108 && b[i + 3] === 108) {
        values[slot] = null;
        i += 4;
      } else if (c === 116 /* t */ && b[i + 1] === 114 && b[i + 2] === 117 && b[i + 3] === 101) {
        values[slot] = true;
        i += 4;
      } else if (c === 102 /* f */ && b[i + 1] === 97 && b[i + 2] === 108 && b[i + 3] === 115 && b[i + 4] === 101) {
        values[slot] = false;
        i += 5;
      } else return null;
    }
    return i === n ? this.build(values) : null;
  }

  /** Reads the number literal at `start` into values[slot]: the index past it, or -1 when it is not JSON's. */
  private number(b: Bytes, start: number, slot: number): number {
    const negative = b[start] === 45;
    let j = negative ? start + 1 : start;
    let d = (b[j] as number) - 48;
    // The common case, read as it goes: an integer without a leading zero that a double holds exactly (at most
    // 2^53 - 1), which prints back exactly ("-0" aside). Summed digit by digit, the double stays exact up to there,
    // and a longer literal rounds to more than that: it goes the slow way (a 16-digit stamp did, at 1.2 µs a frame).
    if (d >= 0 && d <= 9) {
      let value = d;
      j++;
      if (value !== 0) {
        for (d = (b[j] as number) - 48; d >= 0 && d <= 9; d = (b[++j] as number) - 48) value = value * 10 + d;
      }
      if (!isNumberChar(b[j] as number) && value <= Number.MAX_SAFE_INTEGER && !(negative && value === 0)) {
        this.values[slot] = negative ? -value : value;
        return j;
      }
    }
    let end = start + 1;
    while (end < b.length && isNumberChar(b[end] as number)) end++;
    const literal = literalValue(b.latin1Slice(start, end));
    if (literal === undefined) return -1;
    this.values[slot] = literal;
    return end;
  }
}

/** The templates of one feed (a client's socket, across its reconnections). */
export class FrameTemplates {
  private readonly large = new TemplateSet(MAX_TEMPLATES);
  /** Frames under MIN_TEMPLATE_BYTES: their own templates, and the gate that decides whether templates try them. */
  private readonly small = new TemplateSet(MAX_SMALL_TEMPLATES);
  /** A window of small frames opens after a pause: a layout the feed repeats now is learned soon. */
  private readonly smallGate = new SmallFrameGate(() => {
    this.small.pacing.gap = FIRST_GAP;
  });
  private clock = 0;
  /**
   * A view of the last frame's ArrayBuffer, made again only for another one: ws hands out the frames of one socket
   * read as slices of its chunk, and a DataView per frame was ~2 % of a pumpup row's decode. Kept only for buffers
   * of up to MAX_VIEWED_BYTES, so that an idle feed does not hold on to a large frame's memory.
   */
  private viewed: ArrayBufferLike | null = null;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  /** Whether the gate left the frame of the last read() to the usual parse (learn() then leaves it too). */
  private gated = false;
  /** False once `new Function` was refused (node --disallow-code-generation-from-strings). */
  private codegen = true;
  /** The short string values every template of the feed reads, made once (short-strings.ts). */
  private readonly strings = new ShortStrings();
  /** The wide objects the last read built, each followed by its names, the values array and where its own start. */
  private readonly wide: unknown[] = [];
  /** Gives buildWide's objects to `wide` as they are built. */
  private readonly buildWide: WideBuilder = (names, v, from) => {
    const o = buildWide(names, v, from);
    this.wide.push(o, names, v, from);
    return o;
  };
  /** Layouts learned, attempts that learned none, and small frames the gate let templates try (tests, bench). */
  learned = 0;
  refused = 0;
  smallTried = 0;

  /** The frame as parseJsonExact would parse its text, or null: then parse it, and hand it to learn(). */
  read(bytes: Buffer): Record<string, unknown> | null {
    this.wide.length = 0;
    const n = bytes.length;
    const small = n < MIN_TEMPLATE_BYTES;
    this.gated = small && !this.smallGate.admit();
    if (this.gated) return null;
    if (small) this.smallTried++;
    const set = small ? this.small : this.large;
    const templates = set.list;
    // Made when a template is tried, not before: a feed without one keeps no chunk alive (see viewOf).
    let view: DataView | null = null;
    const base = bytes.byteOffset;
    for (let t = 0; t < templates.length; t++) {
      const template = templates[t] as FrameTemplate;
      if (template.minBytes > n) continue;
      view ??= this.viewOf(bytes.buffer);
      const root = template.read(bytes, view, base);
      if (root !== null) {
        template.lastUse = ++this.clock;
        if (small) this.smallGate.hit();
        // Proven: learn the next layout soon, while there is room for it (else each would evict another).
        if (template.reads < PROVEN_READS && ++template.reads === PROVEN_READS && set.hasRoom())
          set.pacing.gap = FIRST_GAP;
        return root;
      }
    }
    set.pacing.misses++;
    return null;
  }

  /**
   * The names and values of `o`, in order, when it is a wide object (WIDE_FIELDS names or more) the last read()
   * built and nobody has changed yet: the decoder reads them instead of enumerating a dictionary-mode object and
   * looking each name up. Else undefined. The values are those of the template, until its next read.
   */
  wideOf(o: object): WideObject | undefined {
    const wide = this.wide;
    for (let k = 0; k < wide.length; k += 4) {
      if (wide[k] === o)
        return { names: wide[k + 1] as string[], values: wide[k + 2] as unknown[], from: wide[k + 3] as number };
    }
    return undefined;
  }

  private viewOf(buffer: ArrayBufferLike): DataView {
    if (buffer === this.viewed) return this.view;
    const view = new DataView(buffer);
    if (buffer.byteLength <= MAX_VIEWED_BYTES) {
      this.viewed = buffer;
      this.view = view;
    }
    return view;
  }

  /**
   * After a frame read() gave up on was parsed the usual way, and before anything changed `root`: learns the
   * frame's layout now and then (each attempt lets more frames pass before the next one). Never throws.
   */
  learn(bytes: Buffer, root: unknown): void {
    if (this.gated || !this.codegen) return;
    const set = bytes.length < MIN_TEMPLATE_BYTES ? this.small : this.large;
    if (!set.pacing.attempt()) return;
    let template: FrameTemplate | null;
    try {
      template = compile(root, this.buildWide, this.strings);
      if (template !== null && !sameJson(template.read(bytes, this.viewOf(bytes.buffer), bytes.byteOffset), root))
        template = null;
      this.wide.length = 0;
    } catch (err) {
      // code generation from strings is disallowed in this process (node --disallow-code-generation-from-strings)
      if (err instanceof EvalError) this.codegen = false;
      template = null;
    }
    if (template === null) {
      this.refused++;
      return;
    }
    this.learned++;
    template.lastUse = ++this.clock;
    set.add(template);
  }
}

/** A template of root's layout, as compact JSON would write it; null when it has none (see the top). */
function compile(root: unknown, wideBuilder: WideBuilder, strings: ShortStrings): FrameTemplate | null {
  if (!isPlainObject(root)) return null;
  const runs: string[] = [];
  const constructors: string[] = [];
  const wides: string[][] = [];
  let run = '';
  let slots = 0;
  let coded = 0; // the generated constructors' fields and objects
  // The layout of an object wide enough for buildWide (scalar values only): its expression, or null.
  const wide = (o: Record<string, unknown>): string | null => {
    const names: string[] = [];
    run += '{';
    for (const name in o) {
      const value = o[name];
      if (isHostileKey(name) || !isScalar(value) || ++slots > MAX_SLOTS) return null;
      run += `${names.length === 0 ? '' : ','}${JSON.stringify(name)}:`;
      runs.push(run);
      run = '';
      names.push(name);
    }
    run += '}';
    wides.push(names);
    return `W(N[${wides.length - 1}],v,${slots - names.length})`;
  };
  // Writes the object's layout into the runs, and returns the expression building it from `v`; null: none.
  const object = (o: Record<string, unknown>, depth: number): string | null => {
    if (depth > MAX_DEPTH) return null;
    if (Object.keys(o).length >= WIDE_FIELDS) return wide(o);
    if (++coded > MAX_VALUES) return null;
    run += '{';
    const fields: string[] = [];
    let first = true;
    for (const name in o) {
      if (isHostileKey(name)) return null;
      run += `${first ? '' : ','}${JSON.stringify(name)}:`;
      first = false;
      const value = o[name];
      let expression: string | null;
      if (isPlainObject(value)) expression = object(value, depth + 1);
      else if (isScalar(value)) {
        if (++coded > MAX_VALUES || ++slots > MAX_SLOTS) return null;
        runs.push(run);
        run = '';
        expression = `v[${slots - 1}]`;
      } else return null; // an array
      if (expression === null) return null;
      fields.push(`this[${JSON.stringify(name)}]=${expression};`);
    }
    run += '}';
    const name = `O${constructors.length}`;
    constructors.push(`function ${name}(v){${fields.join('')}}${name}.prototype=Object.create(null);`);
    return `new ${name}(v)`;
  };
  const expression = object(root, 1);
  if (expression === null) return null;
  runs.push(run);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the compiled constructors (see the top of this file)
  const factory = new Function(
    'W',
    'N',
    `"use strict";${constructors.join('')}return function(v){return ${expression};};`,
  ) as (w: WideBuilder, n: string[][]) => Build;
  const build = factory(wideBuilder, wides);
  // Every field holds a number and then a string before the first real frame: its representation is then the
  // most general one, and does not widen later (which would make the decoder's setPrototypeOf rewrite the
  // object at each frame: see primed() in record-shape.ts).
  build(new Array<unknown>(slots).fill(0));
  build(new Array<unknown>(slots).fill(''));
  return new FrameTemplate(
    runs.map((r) => Buffer.from(r)),
    build,
    strings,
  );
}

/** A wide object: `names` and their values from v[from] on, in the frame's order, as JSON.parse makes it. */
function buildWide(names: readonly string[], v: readonly unknown[], from: number): Record<string, unknown> {
  const o = Object.create(null) as Record<string, unknown>;
  for (let k = 0; k < names.length; k++) o[names[k] as string] = v[from + k];
  return o;
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether a and b are the same JSON value: objects with the same names in the same order, equal scalars. */
function sameJson(a: unknown, b: unknown): boolean {
  if (!isPlainObject(a) || !isPlainObject(b)) return a === b;
  const names: string[] = [];
  for (const name in b) names.push(name);
  let i = 0;
  for (const name in a) if (names[i++] !== name || !sameJson(a[name], b[name])) return false;
  return i === names.length;
}
