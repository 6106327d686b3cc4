// Shared by the broker tests: deploying flows into a real Node-RED, the simulator's server node, and the
// ground truth as the broker must hold it (one retained record per entity, normalized as the client does).
import assert from 'node:assert/strict';
import { recordTopic } from '../../lib/broker';
import { entityKey } from '../../lib/index';
import { normalizeMeasures } from '../../lib/frames/normalize';
import { schemaFromDescriptor } from '../../lib/frames/producer-schema';
import { consumerNodes, type FlowNode } from '../../scripts/cluster-flows';
import { serverFlowNode } from '../../scripts/config-nodes';
import type { RunningSimulator } from '../../simulator/index';
import type { NodeRedProcess } from './node-red-process';
import type { TopicMirror } from './mosquitto';
import { sleep } from './wait';
import { tlsConfigNode } from './flow-nodes';

export type Rec = Record<string, unknown>;

export async function deploy(red: NodeRedProcess, flows: FlowNode[]): Promise<void> {
  const res = await fetch(`${red.base}/flows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'full' },
    body: JSON.stringify({ flows }),
  });
  assert.equal(res.status, 200, await res.text());
}

/** tls-config (the simulator's CA) and the server node, ids tls / server. */
export function simServer(sim: RunningSimulator, username: string, password: string): FlowNode[] {
  return [
    tlsConfigNode('tls', sim.caPem ?? '', 'simulator CA'),
    serverFlowNode('server', { url: sim.restUrl, tls: 'tls', credentials: { username, password } }),
  ];
}

/** The record a state node (derived on) holds for a truth entity, without the ticking timeInStateMs. */
function truthRecord(measures: Rec, dimension: Record<string, string>): Rec {
  const record: Rec = { ...measures, ...dimension };
  if (typeof measures.lastStateChangeTimestamp === 'number') record.stateSince = measures.lastStateChangeTimestamp;
  return record;
}

/** The simulator's current entities of a producer, by entity key. */
export function truthByKey(sim: RunningSimulator, user: string, producer: string): Map<string, Rec> {
  const schema = schemaFromDescriptor(sim.model.producer(producer));
  assert.ok(schema, `no schema for ${producer}`);
  const out = new Map<string, Rec>();
  for (const e of sim.control.truth(user, producer)[producer] ?? []) {
    out.set(
      entityKey(producer, e.dimension),
      truthRecord(normalizeMeasures({ ...e.realtimeData }, schema.measureTypes), e.dimension),
    );
  }
  return out;
}

/** The retained record topics the broker must hold for these producers, topic → record. */
export function truthTopics(
  sim: RunningSimulator,
  user: string,
  producers: readonly string[],
  prefix: string,
): Map<string, Rec> {
  const out = new Map<string, Rec>();
  for (const producer of producers) {
    const schema = schemaFromDescriptor(sim.model.producer(producer));
    assert.ok(schema, `no schema for ${producer}`);
    for (const e of sim.control.truth(user, producer)[producer] ?? []) {
      out.set(
        recordTopic(prefix, producer, e.dimension),
        truthRecord(normalizeMeasures({ ...e.realtimeData }, schema.measureTypes), e.dimension),
      );
    }
  }
  return out;
}

/** What a subscriber of <prefix>/record/# holds now, topic → parsed record. */
export function brokerRecords(mirror: TopicMirror, prefix: string): Map<string, Rec> {
  const out = new Map<string, Rec>();
  for (const [topic, payload] of mirror.topics)
    if (topic.startsWith(`${prefix}/record/`)) out.set(topic, JSON.parse(payload) as Rec);
  return out;
}

/** Sorted entries, for a deepEqual that names the differing topic. */
export function sorted(map: Map<string, Rec>): Array<[string, Rec]> {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The feed state the broker holds for a collector's producer (null if none). */
export function healthOf(mirror: TopicMirror, topic: string): { state: string; cause?: string } | null {
  const text = mirror.topics.get(topic);
  return text === undefined ? null : (JSON.parse(text) as { state: string; cause?: string });
}

/**
 * A consumer on its own tab: core mqtt in (records, health) → state, and GET /api/<path> answering with
 * the state node's snapshot as { payload, synced } (a change node asks, a switch routes the reply).
 */
export function consumerWithView(
  tab: string,
  prefix: string,
  port: number,
  path = 'view',
  protocolVersion: 4 | 5 = 4,
): FlowNode[] {
  const id = (s: string) => `${tab}-${s}`;
  return [
    { id: tab, type: 'tab', label: 'consumer' },
    ...consumerNodes({ tab, prefix, broker: { host: '127.0.0.1', port, protocolVersion }, wires: [[id('reply')]] }),
    {
      id: id('ask-in'),
      type: 'http in',
      z: tab,
      name: '',
      url: `/${path}`,
      method: 'get',
      upload: false,
      swaggerDoc: '',
      x: 100,
      y: 300,
      wires: [[id('ask')]],
    },
    {
      id: id('ask'),
      type: 'change',
      z: tab,
      name: '',
      rules: [{ t: 'set', p: 'action', pt: 'msg', to: 'snapshot', tot: 'str' }],
      x: 300,
      y: 300,
      wires: [[id('state')]],
    },
    {
      id: id('reply'),
      type: 'switch',
      z: tab,
      name: '',
      property: 'res',
      propertyType: 'msg',
      rules: [{ t: 'nnull' }],
      checkall: 'true',
      repair: false,
      outputs: 1,
      x: 500,
      y: 300,
      wires: [[id('wrap')]],
    },
    {
      id: id('wrap'),
      type: 'change',
      z: tab,
      name: '',
      rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"payload": payload, "synced": synced}', tot: 'jsonata' }],
      x: 600,
      y: 300,
      wires: [[id('res')]],
    },
    { id: id('res'), type: 'http response', z: tab, name: '', statusCode: '', headers: {}, x: 700, y: 300, wires: [] },
  ];
}

export type Snapshot = { payload: Record<string, Rec>; synced: boolean };

export async function readView(red: NodeRedProcess, path = 'view'): Promise<Snapshot> {
  let res = await fetch(`${red.base}/api/${path}`);
  // Right after a deploy the flow may not have started yet: its route answers 404 until then.
  for (let i = 0; res.status === 404 && i < 100; i++) {
    await sleep(100);
    res = await fetch(`${red.base}/api/${path}`);
  }
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Snapshot;
}

/** A snapshot's records without the ticking timeInStateMs, sorted by key. */
export function viewRecords(s: Snapshot): Array<[string, Rec]> {
  const out = new Map<string, Rec>();
  for (const [key, record] of Object.entries(s.payload)) {
    const rest = { ...record };
    delete rest.timeInStateMs;
    out.set(key, rest);
  }
  return sorted(out);
}
