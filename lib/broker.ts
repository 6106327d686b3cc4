// Broker-ready views: the MQTT topic scheme, its escaping, the retained record payload and the feed
// health of a collector, and the way back (a msg of core `mqtt in` read as state-node input). No
// Node-RED and no MQTT client here: the avaya-analytics-mqtt node formats, core `mqtt out` publishes,
// and the state node of a consumer reads what core `mqtt in` delivers.
//
// Topics (every name and value escaped, see escapeLevel):
//   <prefix>/record/<producer>/<name>=<value>/<name>=<value>…   retained: the full record; empty = cleared
//   <prefix>/delta/<producer>/<name>=<value>…                   not retained: the changed measures
//   <prefix>/health/<collector>/<producer>                      retained: that collector's feed of that producer
//   <prefix>/health/<collector>                                 retained: birth / Last Will of the collector
// The dimension levels follow the entity key (lib/entity-key.ts): one level per dimension key, in key
// order, so a topic is a function of the entity (both collectors of a hot/hot pair publish the same
// topic) and a consumer can filter with wildcards (…/record/AgentByAccount_SoD_3.5/accountId=8501014/#).
// A topic is read back from its end, without knowing the prefix: the trailing levels holding "=" are
// the dimension, the level before them the producer (an escaped name never holds "="), and the level
// before that must be "record".
import { entityKey, sortedNames } from './entity-key';
import { DataMessageObject, plainObjects, type DataMessage } from './data-message';

export const RECORD_LEVEL = 'record';
export const DELTA_LEVEL = 'delta';
export const HEALTH_LEVEL = 'health';
export const DEFAULT_PREFIX = 'avaya/default';

/** Per collector and producer. */
export const FEED_STATES = ['live', 'synchronising', 'stale', 'disconnected'] as const;
export type FeedState = (typeof FEED_STATES)[number];
/** Per collector: its birth and Last Will messages (set on the core mqtt-broker node). */
export const COLLECTOR_STATES = ['online', 'offline'] as const;
export type CollectorState = (typeof COLLECTOR_STATES)[number];

/** Fields of a record that differ between two collectors of the same data: left out of the broker's copy. */
export const LOCAL_FIELDS: ReadonlySet<string> = new Set(['timeInStateMs']);

// ---- escaping -----------------------------------------------------------------------------------

// "%" (the escape itself), the level separator "/", the wildcards "+" and "#", "=" (separates a
// dimension name from its value), and the control characters (NUL is forbidden in MQTT topics, the
// others are discouraged). Each is written as the percent-encoded UTF-8 bytes, as in a URL.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const UNSAFE = /[\u0000-\u001f\u007f-\u009f%/+#=]/g;

/** Makes one topic level of any string: reversible (unescapeLevel), never empty, never a wildcard. */
export function escapeLevel(text: string): string {
  if (text === '') return '%';
  return text.replace(UNSAFE, (c) => encodeURIComponent(c));
}

/** The string escapeLevel made this level of. Throws URIError for a level it cannot have made. */
export function unescapeLevel(level: string): string {
  if (level === '%') return '';
  return decodeURIComponent(level);
}

/**
 * Checks a configured prefix: levels of their own, no wildcards, no NUL, no empty level. Returns the
 * problem or null.
 */
export function prefixProblem(prefix: string): string | null {
  if (prefix === '') return 'empty';
  // eslint-disable-next-line no-control-regex -- NUL is what is refused
  if (/[+#\u0000]/.test(prefix)) return 'wildcard';
  if (prefix.split('/').some((level) => level === '')) return 'empty level';
  if (prefix.startsWith('$')) return 'starts with $';
  return null;
}

// ---- topics -------------------------------------------------------------------------------------

function entityLevels(producer: string, dimension: Readonly<Record<string, string>>): string {
  const parts = [escapeLevel(producer)];
  for (const name of sortedNames(dimension))
    parts.push(escapeLevel(name) + '=' + escapeLevel(dimension[name] ?? '').replace(/^%$/, ''));
  return parts.join('/');
}

export function recordTopic(prefix: string, producer: string, dimension: Readonly<Record<string, string>>): string {
  return `${prefix}/${RECORD_LEVEL}/${entityLevels(producer, dimension)}`;
}

export function deltaTopic(prefix: string, producer: string, dimension: Readonly<Record<string, string>>): string {
  return `${prefix}/${DELTA_LEVEL}/${entityLevels(producer, dimension)}`;
}

/** The health topic of one collector's feed of a producer, or of the collector itself (no producer). */
export function healthTopic(prefix: string, collector: string, producer?: string): string {
  const base = `${prefix}/${HEALTH_LEVEL}/${escapeLevel(collector)}`;
  return producer === undefined ? base : `${base}/${escapeLevel(producer)}`;
}

/** Producer and dimension of a record (or delta) topic, read from its end; null when it is none. */
export function parseEntityTopic(
  topic: string,
  level: string = RECORD_LEVEL,
): { producer: string; dimension: Record<string, string> } | null {
  const levels = topic.split('/');
  let i = levels.length - 1;
  while (i >= 0 && levels[i]?.includes('=') === true) i--;
  const producerLevel = levels[i];
  if (i < 1 || producerLevel === undefined || levels[i - 1] !== level) return null;
  try {
    const producer = unescapeLevel(producerLevel);
    if (producer === '') return null;
    // "__proto__" is a name like any other
    const dimension: Record<string, string> = Object.create(null) as Record<string, string>;
    for (let j = i + 1; j < levels.length; j++) {
      const pair = levels[j] as string; // j < levels.length
      const at = pair.indexOf('=');
      const name = unescapeLevel(pair.slice(0, at));
      if (Object.prototype.hasOwnProperty.call(dimension, name)) return null;
      dimension[name] = decodeURIComponent(pair.slice(at + 1)); // an empty value is written as nothing
    }
    return { producer, dimension };
  } catch {
    return null; // a "%" not followed by an escape: not a topic of this scheme
  }
}

// ---- publishes (the avaya-analytics-mqtt node's msgs for core mqtt out) ------------------------------

/** A msg for core `mqtt out`: what a collector publishes for each change. */
export type PublishMessage = {
  topic: string;
  payload: string;
  retain: boolean;
  qos: 0 | 1 | 2;
  userProperties?: Record<string, string>;
  messageExpiryInterval?: number;
};

/**
 * A publish, made by `new` rather than by an object literal, for the reason a data msg is (lib/data-message.ts): a
 * pumpup's records queue in Node-RED on their way to mqtt out, V8 may then make the literal's objects in the old
 * generation for good, and each record's JSON (young, held by an old msg) would die there too. A plain object
 * (its prototype is Object.prototype) to every flow.
 */
export const PublishMessageObject = plainObjects(function (
  this: PublishMessage,
  topic: string,
  payload: string,
  retain: boolean,
  qos: 0 | 1 | 2,
): void {
  this.topic = topic;
  this.payload = payload;
  this.retain = retain;
  this.qos = qos;
});

// ---- payloads -----------------------------------------------------------------------------------

/**
 * The retained payload of a record: JSON with its names sorted and without LOCAL_FIELDS, so two
 * collectors holding the same data publish the same bytes (no flapping between equal records).
 */
export function recordPayload(record: Readonly<Record<string, unknown>>): string {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(record).sort()) if (!LOCAL_FIELDS.has(name)) out[name] = record[name];
  return JSON.stringify(out);
}

/** The payload of a delta: the changed measures with their new values (names sorted). */
export function deltaPayload(record: Readonly<Record<string, unknown>>, changed: readonly string[]): string {
  const out: Record<string, unknown> = {};
  for (const name of [...changed].sort()) if (!LOCAL_FIELDS.has(name)) out[name] = record[name] ?? null;
  return JSON.stringify(out);
}

export interface FeedHealth {
  collector: string;
  producer: string;
  state: FeedState;
  /** What brought this state: the lifecycle event, and its reason when it had one. */
  cause: string;
  /** Epoch ms when this state began. */
  since: number;
}

export interface CollectorHealth {
  collector: string;
  state: CollectorState;
  cause?: string;
}

/** The feed state a lifecycle event (as a state node passes it on, with msg.synced) leads to. */
export function feedStateOf(event: string, synced: boolean): FeedState | null {
  switch (event) {
    case 'subscribed':
    case 'connected':
      return 'synchronising';
    case 'pumpupComplete':
    case 'ready':
      return synced ? 'live' : 'synchronising';
    case 'stale':
      return 'stale';
    case 'disconnected':
    case 'auth-failed':
    case 'failed':
    case 'unsubscribed':
      return 'disconnected';
    default:
      return null;
  }
}

// ---- reading what core `mqtt in` delivers (a consumer's state node) ------------------------------

export type BrokerInput =
  | { kind: 'data'; msg: DataMessage }
  | {
      kind: 'health';
      collector: string;
      producer: string | undefined;
      state: FeedState | CollectorState;
      cause: string;
    };

/** A broker msg that is one of ours but unusable (bad JSON): the caller reports it. */
export class BrokerMessageError extends Error {}

type Msg = { [key: string]: unknown };

function isEmpty(payload: unknown): boolean {
  return (
    payload === undefined || payload === null || payload === '' || (Buffer.isBuffer(payload) && payload.length === 0)
  );
}

function objectOf(payload: unknown): Record<string, unknown> | null {
  let value = payload;
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * Reads a msg of core `mqtt in` (msg.topic, msg.payload as a parsed object, a string or a Buffer):
 * a record topic becomes a data msg (an UPSERT of the record's measures, or a DELETE for an empty
 * payload), a health topic a health report. Null when the topic is not of this scheme.
 */
export function readBrokerMessage(msg: Msg): BrokerInput | null {
  const topic = msg.topic;
  if (typeof topic !== 'string') return null;
  const levels = topic.split('/');
  if (levels[levels.length - 2] === HEALTH_LEVEL || levels[levels.length - 3] === HEALTH_LEVEL) {
    const body = objectOf(msg.payload);
    if (body !== null && typeof body.collector === 'string' && typeof body.state === 'string') {
      const producer =
        typeof body.producer === 'string' && levels[levels.length - 3] === HEALTH_LEVEL ? body.producer : undefined;
      const states: readonly string[] = producer === undefined ? COLLECTOR_STATES : FEED_STATES;
      if (!states.includes(body.state))
        throw new BrokerMessageError(`unknown health state ${JSON.stringify(body.state).slice(0, 40)} on ${topic}`);
      return {
        kind: 'health',
        collector: body.collector,
        producer,
        state: body.state as FeedState | CollectorState,
        cause: typeof body.cause === 'string' ? body.cause : '',
      };
    }
    if (levels[levels.length - 2] === HEALTH_LEVEL || isEmpty(msg.payload)) return null;
  }
  const entity = parseEntityTopic(topic);
  if (entity === null) return null;
  const { producer, dimension } = entity;
  const msgid = typeof msg._msgid === 'string' ? msg._msgid : '';
  const key = entityKey(producer, dimension);
  if (isEmpty(msg.payload))
    return { kind: 'data', msg: new DataMessageObject(msgid, key, {}, dimension, producer, '', false, 'DELETE') };
  const record = objectOf(msg.payload);
  if (record === null)
    throw new BrokerMessageError(
      `the payload of ${topic} is not a JSON object (set the mqtt in node's output to "auto-detect")`,
    );
  const measures: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (!Object.prototype.hasOwnProperty.call(dimension, name) && !LOCAL_FIELDS.has(name))
      measures[name] = record[name];
  }
  const data = new DataMessageObject(msgid, key, measures, dimension, producer, '', false, 'UPSERT');
  data.record = true;
  return { kind: 'data', msg: data };
}
