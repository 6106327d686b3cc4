// The two Node-RED flows under test.
//  ours: avaya-analytics-server → one avaya-analytics-subscribe per producer (data and control
//        outputs) → one avaya-analytics-state → bench-sink.
//  diy:  what a user would wire with core nodes only: websocket in (client) → switch (echo the text
//        heartbeat through websocket out) → json → a function that merges the delta into a view kept
//        in context → bench-sink; an inject sends '--heartbeat--' every 8 s, another one sends the
//        subscriptionRedirect frames (the bench harness did the REST login and subscriptions once,
//        see by-hand.ts, and put the frames in that inject).
//  floor: Node-RED's own cost for two hops: bench-parse (a bare ws client that JSON.parses each frame
//        and sends it) → bench-pass (sends it on) → bench-sink (see floor-nodes.ts).

type FlowNode = Record<string, unknown> & { id: string; type: string };

const TAB = 'bench-tab';

/** Node-RED tells flow nodes from config nodes by their editor position. */
function placed(nodes: FlowNode[]): FlowNode[] {
  return nodes.map((n, i) => (n.z === TAB ? { x: 100 + 200 * (i % 5), y: 60 + 60 * Math.floor(i / 5), ...n } : n));
}

export function oursFlow(restUrl: string, producers: string[], maxEntities: number): FlowNode[] {
  const subs = producers.map((producer, i) => ({
    id: `bench-sub-${i}`,
    type: 'avaya-analytics-subscribe',
    version: 2,
    z: TAB,
    server: 'bench-server',
    producer,
    source: '',
    emitPumpup: true,
    // The default wiring: one wire carries the data and the lifecycle events.
    controlOutput: false,
    wires: [['bench-state']],
  }));
  return placed([
    { id: TAB, type: 'tab', label: 'bench' },
    {
      id: 'bench-server',
      type: 'avaya-analytics-server',
      name: 'bench',
      url: restUrl,
      tenant: '0',
      tls: '',
      heartbeat: '8',
      tokenVerification: 'none',
      // The bench's sender speaks plain HTTP/WS (TLS would measure OpenSSL, the same for every contender).
      allowCleartext: true,
    },
    ...subs,
    {
      id: 'bench-state',
      type: 'avaya-analytics-state',
      z: TAB,
      emit: 'all',
      measures: '',
      maxEntities,
      persist: 'none',
      wires: [['bench-sink']],
    },
    { id: 'bench-sink', type: 'bench-sink', z: TAB, wires: [] },
  ]);
}

/**
 * The merge a user would write: parse string-encoded fields, normalize 20-digit timestamps, merge into a view in
 * context.
 */
const MERGE = `const f = msg.payload;
if (f.heartbeat === true) return null;
let dim = f.dimension;
if (typeof dim === 'string') dim = JSON.parse(dim);
let data = f.realtimeData;
if (typeof data === 'string') data = JSON.parse(data);
if (!dim || Object.keys(dim).length === 0) return null; // pumpupComplete marker
const producer = f.producerId || 'Agent_SoD_3.5'; // short frames: only agent deltas here
let key = producer;
for (const k of Object.keys(dim).sort()) key += '/' + k + '=' + dim[k];
let views = context.get('views');
if (!views) { views = new Map(); context.set('views', views); }
let rec = views.get(key);
if (!rec) { rec = Object.assign({}, dim); views.set(key, rec); }
for (const k in data) {
  const v = data[k];
  rec[k] = v === 'UNKNOWN' ? null : (typeof v === 'string' && v.length === 20 && /^\\d+$/.test(v)) ? Number(v) : v;
}
msg.topic = key;
msg.payload = rec;
return msg;`;

export function diyFlow(endpoint: string, redirects: string[]): FlowNode[] {
  return placed([
    { id: TAB, type: 'tab', label: 'bench' },
    {
      id: 'diy-wsc',
      type: 'websocket-client',
      path: endpoint,
      tls: '',
      wholemsg: 'false',
      hb: '0',
      subprotocol: '',
      headers: [],
    },
    { id: 'diy-in', type: 'websocket in', z: TAB, server: '', client: 'diy-wsc', wires: [['diy-switch']] },
    {
      id: 'diy-switch',
      type: 'switch',
      z: TAB,
      property: 'payload',
      propertyType: 'msg',
      rules: [{ t: 'eq', v: '--heartbeat--', vt: 'str' }, { t: 'else' }],
      checkall: 'false',
      repair: false,
      outputs: 2,
      wires: [['diy-out'], ['diy-json']],
    },
    { id: 'diy-json', type: 'json', z: TAB, property: 'payload', action: 'obj', pretty: false, wires: [['diy-merge']] },
    {
      id: 'diy-merge',
      type: 'function',
      z: TAB,
      func: MERGE,
      outputs: 1,
      noerr: 0,
      initialize: '',
      finalize: '',
      libs: [],
      wires: [['bench-sink']],
    },
    { id: 'bench-sink', type: 'bench-sink', z: TAB, wires: [] },
    { id: 'diy-out', type: 'websocket out', z: TAB, server: '', client: 'diy-wsc', wires: [] },
    {
      id: 'diy-heartbeat',
      type: 'inject',
      z: TAB,
      props: [{ p: 'payload' }],
      repeat: '8',
      once: false,
      topic: '',
      payload: '--heartbeat--',
      payloadType: 'str',
      wires: [['diy-out']],
    },
    {
      id: 'diy-redirects',
      type: 'inject',
      z: TAB,
      props: [{ p: 'payload' }],
      repeat: '',
      once: false,
      topic: '',
      payload: JSON.stringify(redirects),
      payloadType: 'json',
      wires: [['diy-split']],
    },
    {
      id: 'diy-split',
      type: 'function',
      z: TAB,
      func: 'for (const frame of msg.payload) node.send({ payload: frame });\nreturn null;',
      outputs: 1,
      noerr: 0,
      initialize: '',
      finalize: '',
      libs: [],
      wires: [['diy-out']],
    },
  ]);
}

export function floorFlow(endpoint: string, redirects: string[]): FlowNode[] {
  return placed([
    { id: TAB, type: 'tab', label: 'bench' },
    { id: 'floor-parse', type: 'bench-parse', z: TAB, endpoint, redirects, wires: [['floor-pass']] },
    { id: 'floor-pass', type: 'bench-pass', z: TAB, wires: [['bench-sink']] },
    { id: 'bench-sink', type: 'bench-sink', z: TAB, wires: [] },
  ]);
}
