// The data msg of the message contract (lib/flow-messages.ts), in a module of its own so that
// lib/broker.ts, which builds such msgs from broker records and is itself read by flow-messages.ts,
// can make and name it without an import circle.

/** A pumpup row, delta or delete of one entity (subscribe output 1). */
export type DataMessage = {
  _msgid: string;
  /** The entity key (entityKey(producer, dimension)): a state node keys its record by it. */
  topic: string;
  /** The measures of this update only, normalized. Empty for a DELETE. */
  payload: Record<string, unknown>;
  /** The entity's identifying keys, canonical names, string values. */
  dimension: Record<string, string>;
  producer: string;
  source: string;
  /** A row of the snapshot sent after each (re)subscription. */
  pumpup: boolean;
  eventAction: 'UPSERT' | 'DELETE';
  /** Only when true: a short-envelope row that may belong to another producer too (see lib/api.ts). */
  ambiguous?: true;
  /**
   * Only when true: the payload is the entity's whole record as a broker holds it (lib/broker.ts), not the
   * measures that just changed, so it says nothing about when its state changed.
   */
  record?: true;
};

/**
 * A new data msg: a plain object (its prototype is Object.prototype, as a literal's is, so it is a plain object to
 * flows, `util.inspect` and `deepStrictEqual`), made by `new` rather than by an object literal.
 *
 * Why not a literal: V8 tracks where a literal's objects are made, and once most of them outlive a young-generation
 * collection (a pumpup's rows wait in Node-RED's deliveries) it may make that literal's objects in the old generation
 * for the rest of the process. Every later msg, and the payload, record and change lists a state node hangs on it,
 * then die there: the bench's steady case grew the old generation by ~2.7 MB/s (1.3 KB a msg) and ran a major
 * collection every ~3.7 s. In V8 (Node 20 and 22) only literals and arrays carry allocation sites: objects made by
 * `new` are made young (the records are made the same way: lib/state/record-shape.ts). Nor a copy of a template
 * (`{ ...base, payload }`, as broker msgs were made): the properties a state node then adds gave nearly every msg
 * hidden classes of its own, some 1.1 KB a msg in the old generation (bench/README.md, the twentieth round).
 */
export const DataMessageObject = plainObjects(function (
  this: DataMessage,
  msgid: string,
  topic: string,
  payload: Record<string, unknown>,
  dimension: Record<string, string>,
  producer: string,
  source: string,
  pumpup: boolean,
  eventAction: DataMessage['eventAction'],
): void {
  this._msgid = msgid;
  this.topic = topic;
  this.payload = payload;
  this.dimension = dimension;
  this.producer = producer;
  this.source = source;
  this.pumpup = pumpup;
  this.eventAction = eventAction;
});

/**
 * The constructor of plain objects that `init` fills: their prototype is Object.prototype, as an object literal's
 * is, and being made by `new`, V8 makes them young (see DataMessageObject). Also the mqtt node's publishes
 * (lib/broker.ts). Not a type test: as for Object itself, `x instanceof` such a constructor is true of any object.
 */
export function plainObjects<T, A extends unknown[]>(init: (this: T, ...args: A) => void): new (...args: A) => T {
  (init as unknown as { prototype: object }).prototype = Object.prototype;
  return init as unknown as new (...args: A) => T;
}
