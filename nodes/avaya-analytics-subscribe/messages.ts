// The msgs of avaya-analytics-subscribe — the contract with avaya-analytics-state:
//   output 1: { topic: entityKey, payload: measures, dimension, producer, source, pumpup, eventAction }
//   output 2: { topic: producer, producer, control, payload: { state, reason?, at } }
import { randomBytes } from 'node:crypto';
import type { AnalyticsMessage } from '../../lib/api.js';
import type { NodeMessage } from '../shared/node-red.js';

export type ControlEvent =
  | 'pumpupComplete'
  | 'connected'
  | 'ready'
  | 'stale'
  | 'disconnected'
  | 'auth-failed'
  | 'subscribed'
  | 'unsubscribed';

export interface DataMessage extends NodeMessage {
  topic: string;
  payload: Record<string, unknown>;
  dimension: Record<string, string>;
  producer: string;
  source: string;
  pumpup: boolean;
  eventAction: 'UPSERT' | 'DELETE';
  /** Only when true: a short-envelope row that may belong to another producer too (see lib/api.ts). */
  ambiguous?: true;
}

export interface ControlMessage extends NodeMessage {
  topic: string;
  producer: string;
  control: ControlEvent;
  payload: { state: ControlEvent; reason?: string; at: number };
}

/**
 * Message ids for the msgs a node creates: a random prefix and a counter, 16 hex digits like the
 * runtime's own. Node-RED would otherwise draw 8 random bytes per msg (a visible cost at 100k msg/s).
 */
export class MessageIds {
  private prefix = '';
  private n = 0x1_0000_0000;

  next(): string {
    if (this.n > 0xffff_ffff) {
      this.prefix = randomBytes(4).toString('hex');
      this.n = 0;
    }
    return this.prefix + (this.n++).toString(16).padStart(8, '0');
  }
}

/** Built as one literal with a fixed shape: the message's objects are handed on, not copied. */
export function dataMessage(m: AnalyticsMessage, msgid: string): DataMessage {
  const msg: DataMessage = {
    _msgid: msgid,
    topic: m.key,
    payload: m.measures,
    dimension: m.dimension,
    producer: m.producerId,
    source: m.sourceId,
    pumpup: m.pumpup,
    eventAction: m.eventAction,
  };
  if (m.ambiguous) msg.ambiguous = true;
  return msg;
}

export function controlMessage(producer: string, state: ControlEvent, reason?: string): ControlMessage {
  const payload: ControlMessage['payload'] = reason ? { state, reason, at: Date.now() } : { state, at: Date.now() };
  return { topic: producer, producer, control: state, payload };
}
