// Shared by the broker tests: deploying flows into a real Node-RED, the simulator's server node, and the
// ground truth as the broker must hold it (one retained record per entity, normalized as the client does).
import assert from 'node:assert/strict';
import { recordTopic } from '../../lib/broker.js';
import { entityKey, normalizeMeasures, schemaFromDescriptor } from '../../lib/index.js';
import type { FlowNode } from '../../scripts/cluster-flows.js';
import type { RunningSimulator } from '../../simulator/index.js';
import type { NodeRedProcess } from '../compat/node-red-process.js';
import type { TopicMirror } from './broker.js';

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
    { id: 'tls', type: 'tls-config', name: 'simulator CA', cert: '', key: '', ca: '', certname: '', keyname: '', caname: '', servername: '', verifyservercert: true, alpnprotocol: '', credentials: { cadata: sim.caPem ?? '' } },
    { id: 'server', type: 'avaya-analytics-server', name: '', url: sim.restUrl, tenant: '0', tls: 'tls', heartbeat: 8, tokenVerification: 'none', tokenKey: '', jwksUrl: '', verbose: false, version: 1, credentials: { username, password } },
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
    out.set(entityKey(producer, e.dimension), truthRecord(normalizeMeasures({ ...e.realtimeData }, schema.measureTypes), e.dimension));
  }
  return out;
}

/** The retained record topics the broker must hold for these producers, topic → record. */
export function truthTopics(sim: RunningSimulator, user: string, producers: readonly string[], prefix: string): Map<string, Rec> {
  const out = new Map<string, Rec>();
  for (const producer of producers) {
    const schema = schemaFromDescriptor(sim.model.producer(producer));
    assert.ok(schema, `no schema for ${producer}`);
    for (const e of sim.control.truth(user, producer)[producer] ?? []) {
      out.set(recordTopic(prefix, producer, e.dimension), truthRecord(normalizeMeasures({ ...e.realtimeData }, schema.measureTypes), e.dimension));
    }
  }
  return out;
}

/** What a subscriber of <prefix>/record/# holds now, topic → parsed record. */
export function brokerRecords(mirror: TopicMirror, prefix: string): Map<string, Rec> {
  const out = new Map<string, Rec>();
  for (const [topic, payload] of mirror.topics) if (topic.startsWith(`${prefix}/record/`)) out.set(topic, JSON.parse(payload) as Rec);
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
