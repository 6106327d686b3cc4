// The flows of a scaled-out deployment (README "Scaling out"), used by `npm run demo:cluster`, the broker
// tests and the examples: a collector (subscribe → state → avaya-analytics-mqtt → core mqtt out, plus core
// mqtt in on its own record tree so it publishes nothing the broker already holds), and a consumer (core
// mqtt in on the record and health trees → state), which never talks to Avaya.
import { healthTopic } from '../lib/broker';
import { stateFlowNode } from './config-nodes';

export type FlowNode = Record<string, unknown>;

export interface BrokerOptions {
  host: string;
  port: number;
  /** MQTT protocol version: 4 (3.1.1) or 5. */
  protocolVersion?: 4 | 5;
  clientId?: string;
}

/**
 * A core mqtt-broker config node; with `collector`, its birth and Last Will report that collector's health (retained).
 */
export function brokerNode(id: string, options: BrokerOptions, prefix?: string, collector?: string): FlowNode {
  const health = prefix !== undefined && collector !== undefined ? healthTopic(prefix, collector) : '';
  const lwt = (state: string, cause: string) => (health === '' ? '' : JSON.stringify({ collector, state, cause }));
  return {
    id,
    type: 'mqtt-broker',
    name: collector ? `broker (${collector})` : 'broker',
    broker: options.host,
    port: String(options.port),
    clientid: options.clientId ?? '',
    autoConnect: true,
    usetls: false,
    protocolVersion: String(options.protocolVersion ?? 4),
    keepalive: '15',
    cleansession: true,
    autoUnsubscribe: true,
    birthTopic: health,
    birthQos: '1',
    birthRetain: 'true',
    birthPayload: lwt('online', 'birth'),
    birthMsg: {},
    closeTopic: health,
    closeQos: '1',
    closeRetain: 'true',
    closePayload: lwt('offline', 'closed'),
    closeMsg: {},
    willTopic: health,
    willQos: '1',
    willRetain: 'true',
    willPayload: lwt('offline', 'last will'),
    willMsg: {},
    userProps: '',
    sessionExpiry: '',
  };
}

export interface CollectorOptions {
  tab: string;
  /** The avaya-analytics-server config node's id (defined by the caller). */
  server: string;
  producers: readonly string[];
  prefix: string;
  collector: string;
  broker: BrokerOptions;
  deltas?: boolean;
  mqtt5?: boolean;
  /** Wire core mqtt in on <prefix>/record/# into the formatter (publish nothing the broker holds). Default true. */
  mirror?: boolean;
}

export function collectorNodes(o: CollectorOptions): FlowNode[] {
  const z = o.tab;
  const id = (s: string) => `${z}-${s}`;
  const nodes: FlowNode[] = [];
  o.producers.forEach((producer, i) => {
    nodes.push({
      id: id(`sub${i}`),
      type: 'avaya-analytics-subscribe',
      z,
      name: producer,
      server: o.server,
      producer,
      source: '',
      emitPumpup: true,
      controlOutput: false,
      lifecycle: 'inband',
      outputs: 1,
      version: 2,
      x: 160,
      y: 80 + 60 * i,
      wires: [[id('state')]],
    });
  });
  nodes.push(
    stateFlowNode(id('state'), { z, name: 'view', x: 400, y: 80, wires: [[id('fmt')]] }),
    {
      id: id('fmt'),
      type: 'avaya-analytics-mqtt',
      z,
      name: '',
      prefix: o.prefix,
      collector: o.collector,
      qos: 1,
      deltas: o.deltas ?? false,
      mqtt5: o.mqtt5 ?? false,
      expiry: 60,
      version: 1,
      x: 600,
      y: 80,
      wires: [[id('out')]],
    },
    {
      id: id('out'),
      type: 'mqtt out',
      z,
      name: '',
      topic: '',
      qos: '',
      retain: '',
      respTopic: '',
      contentType: '',
      userProps: '',
      correl: '',
      expiry: '',
      broker: id('broker'),
      x: 800,
      y: 80,
      wires: [],
    },
    brokerNode(id('broker'), o.broker, o.prefix, o.collector),
  );
  if (o.mirror !== false) {
    nodes.push({
      id: id('mirror'),
      type: 'mqtt in',
      z,
      name: 'what the broker holds',
      topic: `${o.prefix}/record/#`,
      qos: '1',
      datatype: 'utf8',
      broker: id('broker'),
      nl: false,
      rap: true,
      rh: 0,
      inputs: 0,
      x: 400,
      y: 160,
      wires: [[id('fmt')]],
    });
  }
  return nodes;
}

export interface ConsumerOptions {
  tab: string;
  prefix: string;
  broker: BrokerOptions;
  /** Where the state node's output goes (e.g. a function that records it). */
  wires?: string[][];
  /** Id of the state node (default <tab>-state). */
  stateId?: string;
  /** Topic filter below the prefix (default everything: record/# and health/#). */
  producer?: string;
}

/** Core mqtt in (records and health, output auto-detect) → avaya-analytics-state. */
export function consumerNodes(o: ConsumerOptions): FlowNode[] {
  const z = o.tab;
  const id = (s: string) => `${z}-${s}`;
  const state = o.stateId ?? id('state');
  const tree = o.producer === undefined ? '#' : `${o.producer}/#`;
  return [
    {
      id: id('records'),
      type: 'mqtt in',
      z,
      name: 'records',
      topic: `${o.prefix}/record/${tree}`,
      qos: '1',
      datatype: 'auto-detect',
      broker: id('broker'),
      nl: false,
      rap: true,
      rh: 0,
      inputs: 0,
      x: 160,
      y: 80,
      wires: [[state]],
    },
    {
      id: id('health'),
      type: 'mqtt in',
      z,
      name: 'feed health',
      topic: `${o.prefix}/health/#`,
      qos: '1',
      datatype: 'auto-detect',
      broker: id('broker'),
      nl: false,
      rap: true,
      rh: 0,
      inputs: 0,
      x: 160,
      y: 140,
      wires: [[state]],
    },
    ...(o.stateId === undefined
      ? [stateFlowNode(state, { z, name: 'view from the broker', x: 400, y: 100, wires: o.wires ?? [[]] })]
      : []),
    brokerNode(id('broker'), o.broker),
  ];
}
