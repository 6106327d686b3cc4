// The message contract: every msg that passes between this package's nodes, in one place. The
// subscribe node builds its msgs here, the state node reads its input with parseStateInput() (a tagged
// result, no guessing), and the tests import the same definitions.
//
// One stream, in order. Output 1 of avaya-analytics-subscribe carries the producer's data msgs AND its
// lifecycle events (msg.control), interleaved exactly as they happened: a state node on that single
// wire sees "subscribed", the pumpup rows, "pumpupComplete", the deltas, "disconnected", ... and so
// can evict what a new pumpup no longer sends. Lifecycle events travel in-band because the one wire a
// user draws first must be enough, and on it they stay in order with the rows.
// The optional second output repeats each lifecycle event (the same msg, same _msgid), for flows that
// want them apart; a state node fed by both wires applies each event once (see LifecycleDeduper in message-ids.ts).
//
// No Node-RED imports: these are plain objects, and lib/state reads DataMessage directly.
import type { AnalyticsMessage, FaultCause } from './api';
import { readBrokerMessage, type BrokerInput } from './broker';
import { DataMessageObject, type DataMessage } from './data-message';

// ---- lifecycle events ---------------------------------------------------------------------------

export const LIFECYCLE_EVENTS = [
  'subscribed',
  'connected',
  'pumpupComplete',
  'ready',
  'stale',
  'disconnected',
  'auth-failed',
  /** The server refused the subscription (a 4xx on its POST): no stream until a retry succeeds. */
  'failed',
  'unsubscribed',
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

const LIFECYCLE_SET: ReadonlySet<string> = new Set(LIFECYCLE_EVENTS);

export function isLifecycleEvent(value: unknown): value is LifecycleEvent {
  return typeof value === 'string' && LIFECYCLE_SET.has(value);
}

/** Events after which a view is stale until the next pumpup completes. */
export const LOSS_EVENTS: ReadonlySet<LifecycleEvent> = new Set<LifecycleEvent>([
  'disconnected',
  'stale',
  'auth-failed',
  'failed',
  'unsubscribed',
]);
/**
 * Events that announce a pumpup of THIS producer: entities updated from now on exist on the server.
 * Only "subscribed": it precedes every pumpup (first subscription, reconnect, requested pumpup).
 * "connected" concerns the shared socket, which a pumpup of another producer also reports.
 */
export const RESYNC_EVENTS: ReadonlySet<LifecycleEvent> = new Set<LifecycleEvent>(['subscribed']);

// ---- the msgs -----------------------------------------------------------------------------------

export type { DataMessage } from './data-message';

/** Where a producer's stream stands (subscribe output 1 in-band, and output 2). */
export type LifecycleMessage = {
  _msgid: string;
  /** The producer id. */
  topic: string;
  producer: string;
  control: LifecycleEvent;
  /** `reason`: the cause in words; `cause`: the same classified (kind, short status text, full text), on faults. */
  payload: { state: LifecycleEvent; reason?: string; cause?: FaultCause; at: number };
};

/**
 * A state node's output for a change of one entity (the input msg reused: its other properties travel on).
 * Downstream nodes (alerts, brokers, wallboards) read these and StateLifecycleMessage.
 */
export type StateChangeMessage = {
  /** The entity key. */
  topic: string;
  /** The full current record: dimension fields, every measure so far, derived fields. No prototype. */
  payload: Record<string, unknown>;
  producer: string;
  source: string | undefined;
  dimension: Record<string, string>;
  /** Names of the measures that changed (every one for a new entity; empty for a delete). */
  changed: string[];
  /** Former values of the changed measures. No prototype. */
  previous: Record<string, unknown>;
  /** DELETE for a delete by the server and for an eviction by a pumpup (then `evicted`). */
  eventAction: 'UPSERT' | 'DELETE';
  evicted?: true;
  pumpup: boolean;
  /** Whether the producer's view is complete (its last pumpup completed and no loss since). */
  synced: boolean;
  /** Display names, when a dictionary was received for the producer. */
  labels?: Readonly<Record<string, string>>;
};

/** A state node's output for a lifecycle event: the event as received, plus where the view now stands. */
export type StateLifecycleMessage = LifecycleMessage & { synced: boolean };

export const STATE_COMMANDS = ['snapshot', 'get', 'reset'] as const;
/**
 * msg.action of a state node: its filters and keys (msg.producer, msg.dimension, msg.topic) are the
 * command's to check.
 */
export type StateCommand = (typeof STATE_COMMANDS)[number];

/** Understood by every node of a server (nodes/shared/server-actions.ts); "stats" answers on the node's output. */
export const SERVER_ACTIONS = ['connect', 'disconnect', 'reconnect', 'retry', 'stats'] as const;
const STATS_ACTION: (typeof SERVER_ACTIONS)[number] = 'stats';

export const SUBSCRIBE_COMMANDS = ['pumpup', 'unsubscribe', 'subscribe'] as const;
export type SubscribeCommand = (typeof SUBSCRIBE_COMMANDS)[number];

// ---- building (subscribe node) ------------------------------------------------------------------

/** One fixed shape (DataMessageObject): the client's objects are handed on, not copied. */
export function dataMessage(m: AnalyticsMessage, msgid: string): DataMessage {
  const msg = new DataMessageObject(
    msgid,
    m.key,
    m.measures,
    m.dimension,
    m.producerId,
    m.sourceId,
    m.pumpup,
    m.eventAction,
  );
  if (m.ambiguous) msg.ambiguous = true;
  return msg;
}

export function lifecycleMessage(
  producer: string,
  event: LifecycleEvent,
  msgid: string,
  reason?: string,
  cause?: FaultCause,
): LifecycleMessage {
  const payload: LifecycleMessage['payload'] = { state: event, at: Date.now() };
  if (reason) payload.reason = reason;
  if (cause) payload.cause = cause;
  return { _msgid: msgid, topic: producer, producer, control: event, payload };
}

// ---- reading (state node) -----------------------------------------------------------------------

/**
 * What a state node's input is. The msg itself stays the node's: data is read in place (and reused
 * for the output), lifecycle events and command replies go out as the msg that came in.
 */
export type StateInput =
  | { kind: 'data'; msg: DataMessage }
  | { kind: 'lifecycle'; event: LifecycleEvent; producer: string; msgid: string }
  /** From avaya-analytics-dictionary: `producer` undefined when the msg does not say. */
  | { kind: 'dictionary'; producer: string | undefined; labels: unknown; dictionary: unknown }
  | { kind: 'command'; action: StateCommand }
  /** The reply to a server action (msg.action "stats") sent to a subscribe node upstream: passed on as it is. */
  | { kind: 'reply' }
  /** A feed-health topic of the broker scheme (lib/broker.ts), as core `mqtt in` delivers it. */
  | Extract<BrokerInput, { kind: 'health' }>;

/** A msg the contract does not describe. `code` names the i18n text; the message is English. */
export class FlowMessageError extends Error {
  constructor(
    readonly code: 'unknown-msg' | 'unknown-action' | 'unknown-control' | 'no-producer',
    message: string,
    /** The offending value (cut short), for the localized text. */
    readonly detail = '',
  ) {
    super(message);
    this.name = 'FlowMessageError';
  }
}

/** What a state node takes, for error texts. */
export const STATE_INPUT_EXPECTED =
  'a msg of avaya-analytics-subscribe (msg.producer and msg.dimension, or msg.control), a dictionary (msg.labels), msg.action snapshot, get or reset, or a record or health topic of avaya-analytics-mqtt from core mqtt in';

type Msg = { [key: string]: unknown };

/**
 * Tells what a msg is, by the property that defines each kind: msg.action (a command), msg.control (a
 * lifecycle event), msg.labels without msg.dimension (a dictionary), msg.producer with msg.dimension
 * (data). Checks only what decides the kind; the store checks the values of data it applies (a msg
 * can be hand-made). Throws FlowMessageError for anything else, so it never becomes a bogus record.
 */
export function parseStateInput(msg: Msg): StateInput {
  if (msg.action !== undefined) {
    if (isStateCommand(msg.action)) return { kind: 'command', action: msg.action };
    if (msg.action === STATS_ACTION) return { kind: 'reply' };
    throw new FlowMessageError(
      'unknown-action',
      `unknown msg.action ${JSON.stringify(cut(msg.action))}: expected ${STATE_COMMANDS.join(', ')}`,
      cut(msg.action),
    );
  }
  if (msg.control !== undefined) return readLifecycle(msg);
  if (msg.labels !== undefined && msg.dimension === undefined) return readDictionary(msg);
  if (isDataMessage(msg)) return { kind: 'data', msg };
  // A msg of core `mqtt in` from the broker scheme of lib/broker.ts (a consumer): a record topic is
  // data (an empty retained payload a DELETE), a health topic a feed report. Throws BrokerMessageError
  // for one of ours it cannot read.
  const broker = readBrokerMessage(msg);
  if (broker !== null) return broker;
  throw new FlowMessageError('unknown-msg', `not a msg this node takes: expected ${STATE_INPUT_EXPECTED}`);
}

/**
 * The properties that make a msg data: a non-empty msg.producer and an object msg.dimension. A
 * missing eventAction is an UPSERT and a missing pumpup is false (hand-made msgs); the values are
 * the store's to check.
 */
function isDataMessage(msg: Msg): msg is Msg & DataMessage {
  const d = msg.dimension;
  return (
    typeof msg.producer === 'string' && msg.producer !== '' && d !== null && typeof d === 'object' && !Array.isArray(d)
  );
}

function readLifecycle(msg: Msg): StateInput {
  const event = msg.control;
  if (!isLifecycleEvent(event)) {
    throw new FlowMessageError(
      'unknown-control',
      `unknown msg.control ${JSON.stringify(cut(event))}: expected ${LIFECYCLE_EVENTS.join(', ')}`,
      cut(event),
    );
  }
  // The producer: msg.producer, else msg.topic (hand-made events may name it there).
  const producer = typeof msg.producer === 'string' && msg.producer !== '' ? msg.producer : msg.topic;
  if (typeof producer !== 'string' || producer === '') {
    throw new FlowMessageError(
      'no-producer',
      'a lifecycle event (msg.control) needs msg.producer or msg.topic naming the producer',
    );
  }
  return { kind: 'lifecycle', event, producer, msgid: typeof msg._msgid === 'string' ? msg._msgid : '' };
}

function readDictionary(msg: Msg): StateInput {
  const dictionary = msg.payload;
  const named = dictionary !== null && typeof dictionary === 'object' ? (dictionary as Msg).producerId : undefined;
  const producer =
    typeof msg.producer === 'string' && msg.producer !== ''
      ? msg.producer
      : typeof named === 'string' && named !== ''
        ? named
        : undefined;
  return { kind: 'dictionary', producer, labels: msg.labels, dictionary };
}

function isStateCommand(value: unknown): value is StateCommand {
  return value === 'snapshot' || value === 'get' || value === 'reset';
}

/** A value from a msg for an error text: a string, cut short. */
function cut(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return text.length > 64 ? text.slice(0, 64) + '…' : text;
}
