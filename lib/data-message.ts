// The data msg of the message contract (lib/flow-messages.ts), in a module of its own so that
// lib/broker.ts, which builds such msgs from broker records and is itself read by flow-messages.ts,
// can name it without an import circle.

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
