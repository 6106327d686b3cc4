// avaya-analytics-mqtt: makes a state node's output broker-ready, for core `mqtt out` wired straight
// after it (no function node in between). Per change of a record: the full record, retained, on
// <prefix>/record/<producer>/<dimension…> (an empty retained payload when the entity is deleted or
// evicted, which clears the topic); optionally the changed measures, not retained, on the parallel
// <prefix>/delta/… tree (with MQTT 5 user properties and a message expiry when asked); per lifecycle
// event that changes the feed, the retained health of this collector's feed of the producer. The
// scheme and its escaping are lib/broker.ts. A node of its own rather than a state-node option: the
// state node's output stays what every other flow reads (changed/previous/labels), the broker's
// settings (prefix, collector, QoS, MQTT 5) stay out of it, and one state node can feed both.
// No flood after a reconnect comes from the state node: a resync that brings unchanged data sends
// nothing, so nothing is published again. No flood after a restart (or from the second collector of
// a hot/hot pair) comes from the broker: core `mqtt in` on <prefix>/record/# wired into this node
// tells it what the broker retains (a digest per topic), and a record the broker already holds, byte
// for byte, is not published again, as long as this node has not published on its topic itself. Once
// it has, a held copy may be older than a publish of ours still on its way (the other collector's newer
// record lands, then our older one overwrites it): from then on only a repeat of our own last publish
// is skipped.
import { textOf } from '../shared/text';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import {
  deltaPayload,
  deltaTopic,
  DEFAULT_PREFIX,
  feedStateOf,
  healthTopic,
  prefixProblem,
  PublishMessageObject,
  RECORD_LEVEL,
  recordPayload,
  recordTopic,
  type FeedHealth,
} from '../../lib/broker';
import type {
  DoneFunction,
  Node,
  NodeDef,
  NodeMessage,
  NodeRedApi,
  NodeStatus,
  SendFunction,
} from '../shared/node-red';
import { CONFIG_SCHEMAS } from '../shared/schemas';
import { cachedTranslator } from '../shared/status-texts';
import { ThrottledStatus } from '../shared/throttled-status';
import { upgradeConfig } from '../shared/upgrade';

const TYPE = 'avaya-analytics-mqtt';

interface MqttNodeDef extends NodeDef {
  prefix?: string;
  collector?: string;
  qos?: number | string;
  deltas?: boolean;
  mqtt5?: boolean;
  expiry?: number | string;
  version?: number;
}

function qosOf(value: unknown, fallback: 0 | 1 | 2): 0 | 1 | 2 {
  const n = Number(value);
  return n === 0 || n === 1 || n === 2 ? n : fallback;
}

export = function registerMqtt(RED: NodeRedApi): void {
  /** The status texts, each key translated once (status-texts.ts). */
  const statusText = cachedTranslator(RED._);
  function AvayaAnalyticsMqtt(this: Node, stored: MqttNodeDef): void {
    const def = upgradeConfig(stored, CONFIG_SCHEMAS[TYPE]) as MqttNodeDef;
    RED.nodes.createNode(this, def);
    const node = this;
    let prefix = String(def.prefix ?? '')
      .trim()
      .replace(/\/+$/, '');
    if (prefix === '') prefix = DEFAULT_PREFIX;
    const problem = prefixProblem(prefix);
    if (problem !== null) {
      node.warn(RED._(`${TYPE}.warn.bad-prefix`, { prefix, problem, fallback: DEFAULT_PREFIX }));
      prefix = DEFAULT_PREFIX;
    }
    const collector = String(def.collector ?? '').trim() || hostname();
    const qos = qosOf(def.qos, 1);
    const deltas = def.deltas === true;
    const mqtt5 = def.mqtt5 === true;
    const expiry = Math.max(0, Math.round(Number(def.expiry ?? 60)) || 0);
    /** The health last published per producer (a repeat of the same state is not published again). */
    const feeds = new Map<string, FeedHealth>();
    let records = 0;
    let clears = 0;
    let skipped = 0;
    /**
     * Per topic under <prefix>/record/: the digest of what the broker retains (from mqtt in on that tree), or, once
     * this node has published there, OURS followed by the digest of its last publish (which the mirror then leaves
     * alone). One map, one entry per topic: what a collector publishes on is bounded by the entities it sees.
     */
    const retained = new Map<string, string>();
    let mirrored = false;
    const recordTree = `${prefix}/${RECORD_LEVEL}/`;

    const status = new ThrottledStatus(node, (): NodeStatus => {
      const live = [...feeds.values()].filter((f) => f.state === 'live').length;
      const fill = feeds.size > 0 && live === feeds.size ? 'green' : 'yellow';
      return {
        fill,
        shape: 'dot',
        text: statusText(`${TYPE}.status.counts`, { records, clears, skipped, live, feeds: feeds.size }),
      };
    });
    status.update();

    function entityMsgs(msg: NodeMessage): NodeMessage[] {
      const producer = msg.producer as string;
      const dimension = msg.dimension as Record<string, string>;
      const topic = recordTopic(prefix, producer, dimension);
      if (msg.eventAction === 'DELETE') {
        retained.set(topic, OURS);
        clears++;
        const clear: NodeMessage = new PublishMessageObject(topic, '', true, qos);
        if (mqtt5) clear.userProperties = { collector, producer, eventAction: 'DELETE' };
        return [clear];
      }
      const record = msg.payload as Record<string, unknown>;
      if (record === null || typeof record !== 'object' || Array.isArray(record))
        throw new Error(RED._(`${TYPE}.errors.no-record`));
      const payload = recordPayload(record);
      const out: NodeMessage[] = [];
      const digest = mirrored ? digestOf(payload) : '';
      const held = digest === '' ? undefined : retained.get(topic);
      if (held !== undefined && (held === digest || held === OURS + digest)) {
        skipped++; // the broker holds this very record (our last run, the other collector, or our last publish)
      } else {
        // marked even before the mirror starts: a publish from then may still be on its way when it does
        retained.set(topic, OURS + digest);
        records++;
        const rec: NodeMessage = new PublishMessageObject(topic, payload, true, qos);
        if (mqtt5) rec.userProperties = { collector, producer };
        out.push(rec);
      }
      const changed = Array.isArray(msg.changed) ? (msg.changed as string[]) : [];
      if (deltas && changed.length > 0) {
        const delta: NodeMessage = new PublishMessageObject(
          deltaTopic(prefix, producer, dimension),
          deltaPayload(record, changed),
          false,
          0,
        );
        if (mqtt5) {
          delta.userProperties = { collector, producer, eventAction: 'UPSERT', pumpup: String(msg.pumpup === true) };
          if (expiry > 0) delta.messageExpiryInterval = expiry;
        }
        out.push(delta);
      }
      return out;
    }

    function healthMsg(msg: NodeMessage): NodeMessage | null {
      const producer = typeof msg.producer === 'string' && msg.producer !== '' ? msg.producer : (msg.topic as string);
      if (typeof producer !== 'string' || producer === '') return null;
      const state = feedStateOf(msg.control as string, msg.synced === true);
      if (state === null || feeds.get(producer)?.state === state) return null;
      const p = msg.payload as { reason?: unknown; at?: unknown; cause?: { short?: unknown } } | undefined;
      // The short cause ("TLS: untrusted CA") when the event has one: a consumer shows it in its status.
      const short = p?.cause?.short;
      const text = typeof short === 'string' && short !== '' ? short : p?.reason;
      const reason = typeof text === 'string' && text !== '' ? `: ${text}` : '';
      const since = p && typeof p.at === 'number' ? p.at : Date.now();
      const health: FeedHealth = { collector, producer, state, cause: `${String(msg.control)}${reason}`, since };
      feeds.set(producer, health);
      return { topic: healthTopic(prefix, collector, producer), payload: JSON.stringify(health), retain: true, qos: 1 };
    }

    /** A msg of core mqtt in on the broker's record tree: remember what the broker retains. */
    function mirror(msg: NodeMessage): void {
      mirrored = true;
      const topic = msg.topic as string;
      if (retained.get(topic)?.startsWith(OURS) === true) return; // ours to decide from now on (see the header)
      let payload = msg.payload;
      if (Buffer.isBuffer(payload)) payload = payload.toString('utf8');
      else if (payload !== null && typeof payload === 'object') payload = JSON.stringify(payload); // mqtt in "auto-detect": parsed, same order
      if (payload === undefined || payload === null || payload === '') retained.delete(topic);
      else retained.set(topic, digestOf(Buffer.isBuffer(payload) ? payload.toString('utf8') : textOf(payload)));
    }

    node.on('input', (msg: NodeMessage, send: SendFunction, done: DoneFunction) => {
      try {
        if (
          msg.eventAction === undefined &&
          msg.control === undefined &&
          msg.producer === undefined &&
          typeof msg.topic === 'string' &&
          msg.topic.startsWith(`${prefix}/`)
        ) {
          // From mqtt in on our own tree: records tell what the broker holds; health and deltas are not needed.
          if (msg.topic.startsWith(recordTree)) mirror(msg);
        } else if (typeof msg.control === 'string') {
          const out = healthMsg(msg);
          if (out !== null) send(out);
          status.update();
        } else if (
          (msg.eventAction === 'UPSERT' || msg.eventAction === 'DELETE') &&
          typeof msg.producer === 'string' &&
          msg.dimension !== null &&
          typeof msg.dimension === 'object'
        ) {
          send([entityMsgs(msg)]);
          status.update();
        } else if (msg.action === undefined) {
          // Snapshot/get replies of the state node are not changes: passed over quietly; anything else is a wiring
          // mistake.
          throw new Error(RED._(`${TYPE}.errors.unknown-msg`));
        }
        done();
      } catch (err) {
        done(err instanceof Error ? err : new Error(String(err)));
      }
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      status.dispose();
      done();
    });
  }

  RED.nodes.registerType(TYPE, AvayaAnalyticsMqtt);
};

/** Marks a topic this node has published on; no base64 digest starts with it. */
const OURS = '!';

/** 16 bytes of SHA-1, base64: equal records give equal digests; kept instead of the payload (100,000 records). */
function digestOf(payload: string): string {
  return createHash('sha1').update(payload).digest('base64').slice(0, 22);
}
