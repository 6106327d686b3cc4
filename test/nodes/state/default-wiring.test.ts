// The way a new user wires it: an avaya-analytics-subscribe node with its defaults (one output), ONE
// wire to an avaya-analytics-state node with its defaults, in a REAL Node-RED, against a raw Open
// Interface server that is not our simulator (test/helpers/raw-server.ts) and that the test drives
// frame by frame. The guide's scollins pumpup and deltas, then the server drops the socket and revokes
// the token; the client logs in again, resubscribes, and gets a new pumpup without jsmith and with
// fewer measures for scollins; then a DELETE. After each step the state node's view (read over HTTP
// with a snapshot) must equal what the server said. Then the same again with the control output wired
// into the state node as well: the same view, and no event processed twice.
import { functionNode, tlsConfigNode } from '../../helpers/flow-nodes';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import type { WebSocket } from 'ws';
import { entityKey } from '../../../lib/entity-key';
import { normalizeMeasures } from '../../../lib/frames/normalize';
import { startNodeRed, type NodeRedProcess } from '../../helpers/node-red-process';
import { SOURCE_ID, startRawServer, type RawServer } from '../../helpers/raw-server';
import { AGENT_PRODUCER as P, PUMPUP_FRAMES, READY_NOT_READY_FRAMES } from '../../state/fixtures/guide-scollins';

import { until } from '../../helpers/wait';

type Rec = Record<string, unknown>;

/** What the server has said so far, per entity key: the measures as sent (merged deltas). */
class Truth {
  readonly entities = new Map<string, { dimension: Record<string, string>; wire: Rec }>();

  apply(frame: string, opening: Set<string> | null): void {
    const f = JSON.parse(frame) as {
      dimension: Record<string, string>;
      realtimeData: Rec;
      pumpupComplete: boolean;
      eventAction?: string;
    };
    if (f.pumpupComplete) return;
    const key = entityKey(P, f.dimension);
    if (f.eventAction === 'DELETE') {
      this.entities.delete(key);
      return;
    }
    const known = this.entities.get(key);
    // The first row of an entity in a pumpup replaces what was known of it.
    const fresh = opening !== null && !opening.has(key);
    opening?.add(key);
    this.entities.set(key, {
      dimension: f.dimension,
      wire: { ...(fresh || !known ? {} : known.wire), ...f.realtimeData },
    });
  }

  /** A pumpup: only what it sends exists afterwards. */
  pumpup(frames: readonly string[]): void {
    const opening = new Set<string>();
    for (const frame of frames) this.apply(frame, opening);
    for (const key of [...this.entities.keys()]) if (!opening.has(key)) this.entities.delete(key);
  }

  /**
   * The records a state node must show: dimension fields, normalized measures, stateSince (timeInStateMs
   * is left out: it ticks).
   */
  records(): Record<string, Rec> {
    const out: Record<string, Rec> = {};
    for (const [key, e] of this.entities) {
      const measures = normalizeMeasures(Object.assign(Object.create(null), e.wire) as Rec, undefined);
      const record: Rec = { ...e.dimension };
      for (const [name, value] of Object.entries(measures)) if (!(name in e.dimension)) record[name] = value;
      if (typeof record.lastStateChangeTimestamp === 'number') record.stateSince = record.lastStateChangeTimestamp;
      out[key] = record;
    }
    return out;
  }
}

const row = (agentId: string, measures: Rec, pumpup: boolean): string =>
  JSON.stringify({ dimension: { agentId }, realtimeData: measures, pumpup, pumpupComplete: false, heartbeat: false });
const COMPLETE = '{"dimension":{},"realtimeData":{},"pumpup":true,"pumpupComplete":true,"heartbeat":false}';
/** The long envelope: the only one with eventAction. */
const deleteFrame = (agentId: string): string =>
  JSON.stringify({
    producerId: P,
    sourceId: SOURCE_ID,
    pumpupIdentifier: null,
    extra: null,
    eventAction: 'DELETE',
    dimension: { agentId },
    realtimeData: {},
    pumpup: false,
    pumpupComplete: false,
    heartbeat: false,
  });

const FIRST_PUMPUP = [
  ...PUMPUP_FRAMES.slice(0, 3),
  row(
    'jsmith',
    {
      agentState: 'READY',
      workState: 'IDLE',
      agentDisplayName: 'John Smith',
      offered: 3,
      lastStateChangeTimestamp: '00000001496919000000',
    },
    true,
  ),
  row(
    'mjones',
    {
      agentState: 'NOT_READY',
      nrReasonCodeName: 'Lunch',
      agentDisplayName: 'Mary Jones',
      lastStateChangeTimestamp: '00000001496919100000',
    },
    true,
  ),
  COMPLETE,
];
/** After the reconnect: jsmith is gone, scollins has far fewer measures (no workState, no consultsAccepted, ...). */
const SECOND_PUMPUP = [
  row(
    'scollins',
    {
      agentState: 'READY',
      agentDisplayName: 'Siobhan Collins',
      nrReasonCode: '0',
      lastStateChangeTimestamp: '00000001496919465045',
      active: 1,
    },
    true,
  ),
  row(
    'mjones',
    {
      agentState: 'NOT_READY',
      nrReasonCodeName: 'Lunch',
      agentDisplayName: 'Mary Jones',
      lastStateChangeTimestamp: '00000001496919100000',
    },
    true,
  ),
  COMPLETE,
];

interface Observed {
  outputs: Rec[];
  snapshot: { payload: Record<string, Rec>; synced: boolean; count: number };
}

/**
 * one: the default single wire; both: the control output wired into the state node too; fanout: two
 * subscribe nodes of the same producer into one state node, and the first also into a second state node.
 */
type Wiring = 'one' | 'both' | 'fanout';

function flow(raw: RawServer, wiring: Wiring): unknown[] {
  // A tab of its own per run: the recorded outputs live in its flow context.
  const z = `tab-${wiring}`;
  const fn = (id: string, func: string, wires: string[][]) => functionNode(id, z, func, wires);
  return [
    { id: z, type: 'tab', label: 'default wiring', disabled: false, info: '' },
    tlsConfigNode('tls1', raw.caPem, 'raw CA'),
    // The server node as the dialog creates it: only URL, TLS and credentials filled in.
    {
      id: 'srv1',
      type: 'avaya-analytics-server',
      name: '',
      url: raw.restUrl,
      tls: 'tls1',
      credentials: { username: 'supervisor1', password: 'password1' },
    },
    // The subscribe and state nodes as dropped from the palette: only server and producer set.
    ...(wiring === 'both'
      ? [
          {
            id: 'sub1',
            type: 'avaya-analytics-subscribe',
            version: 2,
            z,
            server: 'srv1',
            producer: P,
            controlOutput: true,
            outputs: 2,
            x: 100,
            y: 100,
            wires: [['state1'], ['state1']],
          },
        ]
      : wiring === 'fanout'
        ? [
            {
              id: 'sub1',
              type: 'avaya-analytics-subscribe',
              version: 2,
              z,
              server: 'srv1',
              producer: P,
              x: 100,
              y: 100,
              wires: [['state1', 'state2']],
            },
            {
              id: 'sub2',
              type: 'avaya-analytics-subscribe',
              version: 2,
              z,
              server: 'srv1',
              producer: P,
              x: 100,
              y: 160,
              wires: [['state1']],
            },
          ]
        : [
            {
              id: 'sub1',
              type: 'avaya-analytics-subscribe',
              version: 2,
              z,
              server: 'srv1',
              producer: P,
              x: 100,
              y: 100,
              wires: [['state1']],
            },
          ]),
    { id: 'state1', type: 'avaya-analytics-state', z, x: 300, y: 100, wires: [['route']] },
    { id: 'state2', type: 'avaya-analytics-state', z, emit: 'never', x: 300, y: 160, wires: [['wrap2']] },
    fn('wrap2', 'msg.payload = { payload: msg.payload, synced: msg.synced, count: msg.count };\nreturn msg;', [
      ['res1'],
    ]),
    {
      id: 'in3',
      type: 'http in',
      z,
      name: '',
      url: '/view2',
      method: 'get',
      upload: false,
      swaggerDoc: '',
      x: 100,
      y: 400,
      wires: [['ask2']],
    },
    fn('ask2', "msg.action = 'snapshot';\nreturn msg;", [['state2']]),
    // Snapshot replies answer the HTTP request that asked; every other output is recorded.
    fn(
      'route',
      "if (msg.action === 'snapshot' && msg.res) {\n" +
        '  msg.payload = { payload: msg.payload, synced: msg.synced, count: msg.count };\n' +
        '  return msg;\n' +
        '}\n' +
        "const o = flow.get('outputs') || [];\n" +
        'o.push({ topic: msg.topic, control: msg.control, eventAction: msg.eventAction, evicted: msg.evicted, synced: msg.synced, pumpup: msg.pumpup, changed: msg.changed });\n' +
        "flow.set('outputs', o);\nreturn null;",
      [['res1']],
    ),
    {
      id: 'in1',
      type: 'http in',
      z,
      name: '',
      url: '/view',
      method: 'get',
      upload: false,
      swaggerDoc: '',
      x: 100,
      y: 200,
      wires: [['ask']],
    },
    fn('ask', "msg.action = 'snapshot';\nreturn msg;", [['state1']]),
    {
      id: 'in2',
      type: 'http in',
      z,
      name: '',
      url: '/outputs',
      method: 'get',
      upload: false,
      swaggerDoc: '',
      x: 100,
      y: 300,
      wires: [['outs']],
    },
    fn('outs', "msg.payload = flow.get('outputs') || [];\nreturn msg;", [['res1']]),
    { id: 'res1', type: 'http response', z, name: '', statusCode: '', headers: {}, x: 500, y: 200, wires: [] },
  ];
}

describe('the default wiring in a real Node-RED: subscribe (defaults) → one wire → state (defaults), against a raw server', function () {
  this.timeout(90_000);
  let raw: RawServer;
  let red: NodeRedProcess;

  before(async () => {
    red = await startNodeRed();
  });
  after(async () => {
    await red?.close();
  });
  beforeEach(async () => {
    raw = await startRawServer();
  });
  afterEach(async () => {
    await raw?.close();
  });

  async function observe(path = 'view'): Promise<Observed> {
    const view = await fetch(`${red.base}/api/${path}`);
    assert.equal(view.status, 200, await view.clone().text());
    const snapshot = (await view.json()) as Observed['snapshot'];
    const outputs = (await (await fetch(`${red.base}/api/outputs`)).json()) as Rec[];
    return { outputs, snapshot };
  }

  /** The view with the ticking timeInStateMs left out. */
  function viewOf(o: Observed): Record<string, Rec> {
    const out: Record<string, Rec> = {};
    for (const [key, record] of Object.entries(o.snapshot.payload)) {
      const rest = { ...record };
      delete rest.timeInStateMs; // it ticks
      out[key] = rest;
    }
    return out;
  }

  async function viewEquals(truth: Truth, label: string, synced = true, path = 'view'): Promise<Observed> {
    let last: Observed | null = null;
    try {
      return await until(label, async () => {
        last = await observe(path);
        return last.snapshot.synced === synced && isDeepStrictEqual(viewOf(last), truth.records()) ? last : null;
      });
    } catch (err) {
      // Say what differs rather than only "timed out".
      if (last)
        assert.deepEqual(
          { synced: (last as Observed).snapshot.synced, view: viewOf(last) },
          { synced, view: truth.records() },
          label,
        );
      throw err;
    }
  }

  async function deploy(wiring: Wiring): Promise<void> {
    const res = await fetch(`${red.base}/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify({ flows: flow(raw, wiring) }),
    });
    assert.equal(res.status, 200, await res.text());
  }

  /** The socket of the n-th connection, once its subscriptionRedirect arrived (the pumpup may start then). */
  async function redirected(n: number): Promise<{ ws: WebSocket; token: string }> {
    const ws = await until(`connection ${n}`, () => raw.sockets[n - 1], 30_000);
    const redirects = () => raw.received.filter((t) => t.includes('"subscriptionRedirect"'));
    await until(`redirect ${n}`, () => redirects().length >= n, 30_000);
    const redirect = JSON.parse(redirects()[n - 1]!) as { authorization: string };
    return { ws, token: redirect.authorization };
  }

  async function scenario(wiring: Wiring): Promise<void> {
    await deploy(wiring);
    const truth = new Truth();
    // Every view to check: with the fan-out, the second state node (fed by one of the two subscribe nodes) too.
    const views = wiring === 'fanout' ? ['view', 'view2'] : ['view'];
    const allEqual = async (label: string, synced = true): Promise<Observed> => {
      for (const path of views.slice(1)) await viewEquals(truth, `${label} (${path})`, synced, path);
      return viewEquals(truth, label, synced);
    };
    /** Lifecycle events state1 passes on per event: once per subscribe node feeding it. */
    const perEvent = wiring === 'fanout' ? 2 : 1;

    // 1. The pumpup (the guide's scollins rows, jsmith, mjones), then the guide's deltas.
    const first = await redirected(1);
    for (const frame of FIRST_PUMPUP) first.ws.send(frame);
    truth.pumpup(FIRST_PUMPUP);
    await allEqual('the view after the first pumpup');
    for (const frame of READY_NOT_READY_FRAMES) {
      first.ws.send(frame);
      truth.apply(frame, null);
    }
    const afterDeltas = await allEqual('the view after the deltas');
    assert.equal(
      afterDeltas.snapshot.payload[`${P}/agentId=scollins`]?.workState,
      'UNAVAILABLE',
      'the guide leaves scollins with a workState',
    );

    // 2. The server drops the socket and revokes the token: the old token gets 401 from now on.
    const revoked = first.token;
    raw.override = (req, res) => {
      if (req.authorization !== `Bearer ${revoked}`) return false;
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"message":"token revoked"}');
      return true;
    };
    first.ws.terminate();
    const second = await redirected(2);
    assert.notEqual(second.token, revoked, 'logged in again');
    const beforePumpup = await observe();
    assert.equal(beforePumpup.snapshot.synced, false, 'synced is false from the loss until the pumpup completes');

    // 3. The new pumpup: jsmith is gone, scollins has fewer measures.
    for (const frame of SECOND_PUMPUP) second.ws.send(frame);
    truth.pumpup(SECOND_PUMPUP);
    const resynced = await allEqual('the view after the reconnect and the new pumpup');
    const scollins = resynced.snapshot.payload[`${P}/agentId=scollins`]!;
    for (const gone of ['workState', 'consultsAccepted', 'agentFirstName'])
      assert.equal(gone in scollins, false, `${gone} was not in the new pumpup`);
    assert.equal(resynced.snapshot.payload[`${P}/agentId=jsmith`], undefined, 'jsmith was not in the new pumpup');

    // 4. A DELETE.
    second.ws.send(deleteFrame('mjones'));
    truth.apply(deleteFrame('mjones'), null);
    const final = await allEqual('the view after the DELETE');

    // What the state node sent: one eviction of jsmith, one delete of mjones, and the lifecycle events once each.
    const outs = final.outputs;
    const deletes = outs
      .filter((o) => o.eventAction === 'DELETE')
      .map((o) => `${String(o.topic)}:${o.evicted === true}`);
    assert.deepEqual(deletes, [`${P}/agentId=jsmith:true`, `${P}/agentId=mjones:false`]);
    const events = outs.filter((o) => o.control !== undefined).map((o) => `${String(o.control)}:${String(o.synced)}`);
    assert.equal(events.filter((e) => e.startsWith('pumpupComplete:')).length, 2 * perEvent, events.join());
    assert.equal(events.filter((e) => e.startsWith('disconnected:')).length, perEvent, events.join());
    assert.ok(events.includes('disconnected:false'), 'the loss is passed on with synced false');
    assert.deepEqual(
      events.filter((e) => e.startsWith('pumpupComplete:')),
      new Array(2 * perEvent).fill('pumpupComplete:true'),
    );
    // The records the state node sent between the two pumpups carry synced false, and after it true.
    const firstComplete = outs.findIndex((o) => o.control === 'pumpupComplete');
    for (const o of outs.slice(0, firstComplete))
      if (o.control === undefined) assert.equal(o.synced, false, JSON.stringify(o));
  }

  it('keeps a view equal to what the server said after a pumpup, deltas, a reconnect with a smaller pumpup, and a DELETE', async () => {
    await scenario('one');
  });

  it('gives the same view with the control output wired into the state node as well, processing nothing twice', async () => {
    await scenario('both');
  });

  it('keeps both views right with two subscribe nodes of the producer into one state node and one of them into a second', async () => {
    await scenario('fanout');
  });
});
