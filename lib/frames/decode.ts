// Decodes one WebSocket frame of the Open Interface. Pure and total: it never throws, whatever arrives
// (bad JSON, wrong types, binary, oversize), and returns a 'malformed' result instead.
//
// Both encodings (dimension / realtimeData as objects or as JSON strings) and both envelopes (short:
// dimension, realtimeData, flags; long: also pumpupIdentifier, extra, sourceId, producerId, eventAction)
// are accepted. Missing flags are false. Dimension and realtimeData are the objects JSON.parse made,
// turned prototype-less in place: JSON.parse defines "__proto__" as a plain own property, and without
// a prototype no name ("constructor", "toString") reads anything the feed did not send. Copying them
// instead would cost more than the parse itself for an 80-measure row (a copy into an
// Object.create(null) object is a dictionary insert per measure).
//
// Hot path: a try/catch for the parse and one for the checks (not one per field), no logging, no copy of the
// parsed objects. Given the feed's FrameTemplates, the layouts it repeats are read from the bytes instead of
// parsed (frame-template.ts): the same objects, the same checks after.
//
// What the flow must never see (see SECURITY.md, "Decoding rules"):
//  - the keys "__proto__", "constructor" and "prototype": Node-RED clones a msg for every extra wire
//    with lodash.clonedeep, which turns an own "__proto__" key into the copy's PROTOTYPE, even on a
//    prototype-less object. They are deleted from dimension and realtimeData and counted.
//  - measure values that are objects or arrays (a measure is a string, number, boolean or null; a
//    value nested 10,000 levels deep overflows the clone's stack): deleted and counted.
//  - strings longer than MAX_STRING_CHARS, keys longer than MAX_KEY_CHARS: deleted and counted
//    (in a dimension they make the frame malformed: a truncated identity would be a wrong one).
//  - numbers a double cannot hold exactly: parsed by parseJsonExact, they arrive as their wire text.

import { rememberBuiltRow } from './built-names';
import { parseJsonExact } from './exact-json';
import type { FrameTemplates } from './frame-template';
import { normalizeMeasure, type MeasureTypes } from './normalize';

/** The text frame the server sends and the client echoes (and sends on its own every N seconds). */
export const HEARTBEAT_TEXT = '--heartbeat--';

export type MessageKind = 'heartbeat' | 'pumpup' | 'pumpupComplete' | 'delta' | 'delete';

export interface DecodedMessage {
  type: 'message';
  /**
   * heartbeat: the JSON heartbeat; pumpupComplete: the end-of-pumpup marker (it may still carry a
   * row, see `dimension`); delete: eventAction DELETE; pumpup: a row of a pumpup; delta: an update.
   */
  kind: MessageKind;
  /** Keys as on the wire (canonical case needs the producer: see producer-schema.ts). */
  dimension: Record<string, string>;
  /** Values as on the wire (see normalize.ts). */
  realtimeData: Record<string, unknown>;
  /**
   * The names of realtimeData's string values, in enumeration order (collected by the decoder's one
   * enumeration, so normalization need not enumerate again: a frame with more than ~1,000 measures is a
   * dictionary-mode object, and every enumeration of it sorts its names). Absent: enumerate.
   */
  stringMeasures?: string[];
  /**
   * The measure types realtimeData's strings were normalized with, in the decoder's one pass over them (see
   * MeasureTypesOf); null when they were not, and normalization is still to be done.
   */
  normalizedWith?: MeasureTypes | null;
  pumpup: boolean;
  pumpupComplete: boolean;
  heartbeat: boolean;
  /** Long form only; null in the short form. */
  producerId: string | null;
  sourceId: string | null;
  pumpupIdentifier: string | null;
  eventAction: 'UPSERT' | 'DELETE';
  /** What decoding dropped from this frame; null when nothing was. */
  dropped: DroppedInput | null;
}

/** The server's `--heartbeat--` text frame. */
export interface PingFrame {
  type: 'ping';
}

/** {"code":500,"message":"…"}: the guide's WebSocket error (the server closes the socket after it). */
export interface ServerErrorFrame {
  type: 'server-error';
  code: number;
  message: string;
}

/** {"code":200,"message":"OK"} and similar acknowledgements. */
export interface StatusFrame {
  type: 'status';
  code: number;
  message: string;
}

export interface MalformedFrame {
  type: 'malformed';
  reason: string;
  /** The start of the frame, for diagnosis. */
  sample: string;
}

export type Frame = DecodedMessage | PingFrame | ServerErrorFrame | StatusFrame | MalformedFrame;

/** Longest accepted measure string or dimension value (the guide's values are names, ids, states). */
export const MAX_STRING_CHARS = 1024;
/** Longest accepted measure or dimension name. */
export const MAX_KEY_CHARS = 256;

/** What decoding removed from one frame's realtimeData and dimension (null in the normal case). */
export interface DroppedInput {
  /** "__proto__", "constructor", "prototype" keys. */
  hostileKeys: number;
  /** Measure values that were objects or arrays. */
  nestedValues: number;
  /** Strings over MAX_STRING_CHARS and keys over MAX_KEY_CHARS. */
  longStrings: number;
  /** The names dropped (clipped), for the log. */
  names: string[];
}

const PING: PingFrame = Object.freeze({ type: 'ping' });
const SAMPLE_LENGTH = 120;

/**
 * Thrown internally only; decodeFrame turns it into a MalformedFrame. Not an Error on purpose: this is the
 * per-frame path, and an Error captures a stack trace for every malformed frame a hostile server sends.
 */
class Bad {
  constructor(readonly reason: string) {}
}

/**
 * The measure types of the one producer a frame with this producerId (null: the short envelope) and
 * dimension goes to; undefined when it goes to none or to several, or when values are not normalized. With
 * them the decoder normalizes realtimeData (normalize.ts) in the same pass that checks it: a second pass
 * over an agent row's 98 measures cost ~0.6 µs more (one read and one write by name per string).
 */
export type MeasureTypesOf = (producerId: string | null, dimension: Record<string, string>) => MeasureTypes | undefined;

/**
 * @param data      the frame (ws delivers text frames as Buffers)
 * @param isBinary  binary frames are never valid on this interface
 * @param maxBytes  frames larger than this are refused without parsing
 * @param typesOf   when given: realtimeData is normalized with the types it returns (see MeasureTypesOf)
 * @param templates when given: the layouts this feed repeats, read and learned (frame-template.ts)
 */
export function decodeFrame(
  data: string | Buffer,
  isBinary = false,
  maxBytes = Infinity,
  typesOf?: MeasureTypesOf,
  templates?: FrameTemplates,
): Frame {
  if (isBinary) return malformed('binary frame', '');
  if (data.length > maxBytes) return malformed(`oversize frame (${data.length} bytes > ${maxBytes})`, '');
  const bytes = typeof data === 'string' ? null : data;
  // A layout the feed repeats is read from the bytes (frame-template.ts): no text, no JSON.parse.
  const known = bytes === null || templates === undefined ? null : templates.read(bytes);
  if (known !== null) return decodeOrMalformed(known, typesOf, bytes as Buffer, templates);
  // toString() without arguments: Node's shortest path to a UTF-8 string (no encoding lookup).
  const text = bytes === null ? (data as string) : bytes.toString();
  if (text.length === HEARTBEAT_TEXT.length && text === HEARTBEAT_TEXT) return PING;
  let root: unknown;
  try {
    root = parseJsonExact(text);
  } catch (err) {
    return malformedBy(err, text);
  }
  if (bytes !== null) templates?.learn(bytes, root); // before decodeRoot changes the objects
  return decodeOrMalformed(root, typesOf, text);
}

/** decodeRoot, or the malformed frame it found (`data`: the frame, for the sample). */
function decodeOrMalformed(
  root: unknown,
  typesOf: MeasureTypesOf | undefined,
  data: string | Buffer,
  templates?: FrameTemplates,
): Frame {
  try {
    return decodeRoot(root, typesOf, templates);
  } catch (err) {
    return malformedBy(err, typeof data === 'string' ? data : data.toString());
  }
}

/** The malformed frame an error thrown while decoding `text` stands for. */
function malformedBy(err: unknown, text: string): MalformedFrame {
  if (err instanceof Bad) return malformed(err.reason, text);
  return malformed(err instanceof SyntaxError ? 'invalid JSON' : 'undecodable frame', text);
}

/** The frame's parsed JSON, checked and turned into a Frame (its objects changed in place). */
function decodeRoot(root: unknown, typesOf: MeasureTypesOf | undefined, templates?: FrameTemplates): Frame {
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new Bad('frame is not a JSON object');
  const o = root as Record<string, unknown>;
  if (o.dimension === undefined && o.realtimeData === undefined && o.code !== undefined) return statusFrame(o);

  const drops: Drops = { current: null };
  const dimension = copyDimension(o.dimension, drops);
  // A producerId that is no string makes the frame malformed below (optionalString): here it only routes.
  const types = typesOf?.(typeof o.producerId === 'string' ? o.producerId : null, dimension);
  // The names of the string measures, for a normalization after routing; none when they are normalized here.
  const stringMeasures = types === undefined ? [] : undefined;
  const realtimeData = copyMeasures(o.realtimeData, drops, types, stringMeasures, templates);
  const heartbeat = flag(o.heartbeat);
  const pumpup = flag(o.pumpup);
  const pumpupComplete = flag(o.pumpupComplete);
  const eventAction = action(o.eventAction);
  let kind: MessageKind;
  if (heartbeat) kind = 'heartbeat';
  else if (pumpupComplete) kind = 'pumpupComplete';
  else if (eventAction === 'DELETE') kind = 'delete';
  else if (pumpup) kind = 'pumpup';
  else kind = 'delta';
  if ((kind === 'delta' || kind === 'pumpup' || kind === 'delete') && isEmpty(dimension))
    throw new Bad(`${kind} without a dimension`);
  return {
    type: 'message',
    kind,
    dimension,
    realtimeData,
    stringMeasures,
    normalizedWith: types ?? null,
    pumpup,
    pumpupComplete,
    heartbeat,
    producerId: optionalString(o.producerId, 'producerId'),
    sourceId: optionalString(o.sourceId, 'sourceId'),
    pumpupIdentifier: optionalString(o.pumpupIdentifier, 'pumpupIdentifier'),
    eventAction,
    dropped: drops.current,
  };
}

/** An object, a JSON string of an object, or absent/null (empty). Anything else is malformed. */
function objectField(v: unknown, name: string): Record<string, unknown> | null {
  if (v === undefined || v === null || v === '') return null;
  let value: unknown = v;
  if (typeof value === 'string') value = parseJsonExact(value);
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new Bad(`${name} is not an object`);
  return value as Record<string, unknown>;
}

/** Collects what a frame loses (allocated only when something is dropped). */
interface Drops {
  current: DroppedInput | null;
}

function droppedCount(drops: Drops): number {
  const d = drops.current;
  return d === null ? 0 : d.hostileKeys + d.nestedValues + d.longStrings;
}

function drop(drops: Drops, kind: 'hostileKeys' | 'nestedValues' | 'longStrings', name: string): void {
  const d = (drops.current ??= { hostileKeys: 0, nestedValues: 0, longStrings: 0, names: [] });
  d[kind]++;
  if (d.names.length < 5) d.names.push(name.length > 40 ? `${name.slice(0, 40)}…` : name);
}

/** A key that a deep clone (or a naive merge) would treat as the object's prototype or constructor. */
export function isHostileKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/** The parsed dimension, prototype-less; unquoted numeric identifiers become their wire text. */
function copyDimension(v: unknown, drops: Drops): Record<string, string> {
  const src = objectField(v, 'dimension');
  if (src === null) return Object.create(null) as Record<string, string>;
  // Prototype-less first, then for…in: it lists the own names, as Object.keys would, without an array per frame.
  Object.setPrototypeOf(src, null);
  for (const key in src) {
    if (isHostileKey(key)) {
      delete src[key];
      drop(drops, 'hostileKeys', key);
      continue;
    }
    if (key.length > MAX_KEY_CHARS) throw new Bad('dimension name too long');
    const value = src[key];
    if (typeof value === 'string') {
      if (value.length > MAX_STRING_CHARS) throw new Bad(`dimension value of "${key}" too long`);
      continue;
    }
    // Identifiers sometimes arrive unquoted. parseJsonExact left only numbers whose double prints
    // back as the wire text, so String() gives exactly what the server sent.
    if (typeof value === 'number' && Number.isFinite(value)) src[key] = String(value);
    else throw new Bad(`dimension value of "${key}" is not a string`);
  }
  return src as Record<string, string>;
}

/**
 * The parsed realtimeData, prototype-less (it is this frame's own object: nothing else holds it). The names of its
 * strings are listed in `strings` for normalizeMeasures when it is given, else the strings are normalized here with
 * `types`.
 */
function copyMeasures(
  v: unknown,
  drops: Drops,
  types: MeasureTypes | undefined,
  strings: string[] | undefined,
  templates: FrameTemplates | undefined,
): Record<string, unknown> {
  const src = objectField(v, 'realtimeData');
  if (src === null) return Object.create(null) as Record<string, unknown>;
  // A wide row a template built: its names without enumerating it (a dictionary-mode object sorts its names at
  // every enumeration: ~50 µs for 1,600 of them, more than the lookups below).
  const built = templates?.wideOf(src);
  if (built !== undefined) {
    const { names, values: read, from } = built;
    const before = droppedCount(drops);
    // Its values as they are now, unless its strings are normalized later (strings given).
    const values = strings === undefined ? new Array<unknown>(names.length) : undefined;
    for (let i = 0; i < names.length; i++) {
      const value = checkMeasure(src, names[i] as string, read[from + i], drops, types, strings);
      if (values !== undefined) values[i] = value;
    }
    // Kept for the state node (built-names.ts) while they are exactly the object's: nothing was deleted from it.
    if (droppedCount(drops) === before) rememberBuiltRow(src, names, values);
    return src; // prototype-less already
  }
  for (const key in src) checkMeasure(src, key, src[key], drops, types, strings);
  return Object.setPrototypeOf(src, null) as Record<string, unknown>;
}

/**
 * Drops, lists or normalizes one measure of src (see copyMeasures). Returns its value as it is now in src: normalized
 * when it was, undefined when it was dropped.
 */
function checkMeasure(
  src: Record<string, unknown>,
  key: string,
  value: unknown,
  drops: Drops,
  types: MeasureTypes | undefined,
  strings: string[] | undefined,
): unknown {
  // Strings first (most measures of this interface): the same verdicts as checking the key, then the value.
  if (typeof value === 'string') {
    if (isHostileKey(key)) return dropMeasure(src, key, drops, 'hostileKeys');
    if (value.length > MAX_STRING_CHARS || key.length > MAX_KEY_CHARS)
      return dropMeasure(src, key, drops, 'longStrings');
    if (strings === undefined) return normalizeMeasure(src, key, value, types);
    strings.push(key);
    return value;
  }
  if (isHostileKey(key)) return dropMeasure(src, key, drops, 'hostileKeys');
  if (value !== null && typeof value === 'object') return dropMeasure(src, key, drops, 'nestedValues');
  if (key.length > MAX_KEY_CHARS) return dropMeasure(src, key, drops, 'longStrings');
  return value;
}

function dropMeasure(
  src: Record<string, unknown>,
  key: string,
  drops: Drops,
  kind: 'hostileKeys' | 'nestedValues' | 'longStrings',
): undefined {
  delete src[key];
  drop(drops, kind, key);
  return undefined;
}

function flag(v: unknown): boolean {
  return v === true || v === 'true';
}

function action(v: unknown): 'UPSERT' | 'DELETE' {
  if (v === undefined || v === null) return 'UPSERT';
  if (typeof v !== 'string') throw new Bad('eventAction is not a string');
  return v === 'DELETE' || v.toUpperCase() === 'DELETE' ? 'DELETE' : 'UPSERT';
}

function optionalString(v: unknown, name: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new Bad(`${name} is not a string`);
  return v;
}

function statusFrame(o: Record<string, unknown>): ServerErrorFrame | StatusFrame {
  const code = typeof o.code === 'number' ? o.code : Number(o.code);
  if (!Number.isFinite(code)) throw new Bad('code is not a number');
  const raw = o.message ?? o.error ?? '';
  const message = (typeof raw === 'string' ? raw : JSON.stringify(raw)).slice(0, 500);
  return code >= 400 ? { type: 'server-error', code, message } : { type: 'status', code, message };
}

/** Whether an object has no enumerable key (a pumpupComplete marker's empty dimension). */
export function isEmpty(o: Readonly<Record<string, unknown>>): boolean {
  for (const _ in o) return false;
  return true;
}

function malformed(reason: string, text: string): MalformedFrame {
  return { type: 'malformed', reason, sample: text.length > SAMPLE_LENGTH ? text.slice(0, SAMPLE_LENGTH) + '…' : text };
}
