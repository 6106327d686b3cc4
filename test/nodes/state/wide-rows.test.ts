// Wide rows (over a hundred measures, read by a frame template into a dictionary-mode object) through a real
// Node-RED runtime: a state node reads the names the decoder kept for such a payload instead of enumerating it
// (lib/frames/built-names.ts), which is right only while nobody changed the payload on its way. Two subscribe nodes
// feed two state nodes, one of them through a Change node that adds a measure:
//   sub1 → [stateA, add]: stateA gets the original msg (the names are used), add gets a copy;
//   sub2 → [add, stateA]: add gets the original and changes it, stateA a copy.
// add → stateB. Every record must hold what the server sent, and stateB's the added measure too. Then a deploy of the
// modified nodes that only rewires sub1 (Node-RED does not restart it) puts the Change node in front of stateA.
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { startRawServer, SOURCE_ID, type RawServer } from '../../helpers/raw-server';
import { StateStore, type EntityUpdate } from '../../../lib/state/index';
import { ALL_NODES, collect, helper, onTab, serverConfig, type FlowNode } from '../../helpers/node-red-test-helper';
import { requireFromNodeRed } from '../../helpers/node-red-selection';
import { stateFlowNode, subscribeFlowNode } from '../../../scripts/config-nodes';
import { stateNode } from '../../helpers/state-node-flow';
import { until } from '../../helpers/wait';

const AGENT = 'Agent_SoD_3.5';
const GROUP = 'AgentGroup_SoD_3.5';
const WIDTH = 200;
const ENTITIES = 30;
const changeNode = requireFromNodeRed<unknown>('@node-red/nodes/core/function/15-change.js');

type Rec = Record<string, unknown>;

/** The measures of entity `i` in lap `lap`: WIDTH counters and a state. */
function measures(i: number, lap: number): Rec {
  const out: Rec = { agentState: lap % 2 === 0 ? 'READY' : 'BUSY' };
  for (let k = 0; k < WIDTH; k++) out[`counter${k}`] = (k * 13 + i * 7 + lap) % 1000;
  return out;
}

function frame(producerId: string, dimension: Record<string, string>, realtimeData: Rec, pumpup: boolean): string {
  return JSON.stringify({
    dimension,
    realtimeData,
    pumpupIdentifier: pumpup ? 'p1' : null,
    pumpup,
    pumpupComplete: false,
    heartbeat: false,
    sourceId: SOURCE_ID,
    producerId,
    eventAction: 'UPSERT',
  });
}

const complete = (producerId: string): string =>
  JSON.stringify({ dimension: {}, realtimeData: {}, pumpup: true, pumpupComplete: true, heartbeat: false, producerId });

const dimensionOf = (producer: string, i: number): Record<string, string> =>
  producer === AGENT ? { agentId: `a${i}` } : { groupId: `g${i}` };

type Wiring = 'two-wires' | 'rewired';

function flow(server: RawServer, wiring: Wiring): { nodes: FlowNode[]; credentials: Record<string, object> } {
  const cfg = serverConfig({ restUrl: server.restUrl, caPem: server.caPem } as never);
  const subscribe = (id: string, producer: string, wires: string[][]): FlowNode =>
    subscribeFlowNode(id, { server: 'server', producer, controlOutput: false, outputs: 1, wires });
  const state = (id: string, out: string): FlowNode => stateFlowNode(id, { emit: 'never', wires: [[out]] });
  // On a tab, with a place: nodes without one are started like config nodes, which a deploy does not rewire.
  const flowNodes: FlowNode[] = [
    ...(wiring === 'two-wires'
      ? [subscribe('sub1', AGENT, [['stateA', 'add']]), subscribe('sub2', GROUP, [['add', 'stateA']])]
      : [subscribe('sub1', AGENT, [['add']]), subscribe('sub2', GROUP, [['stateB']])]),
    {
      id: 'add',
      type: 'change',
      rules: [{ t: 'set', p: 'payload.added', pt: 'msg', to: '1', tot: 'num' }],
      wires: [[wiring === 'two-wires' ? 'stateB' : 'stateA']],
    },
    state('stateA', 'outA'),
    state('stateB', 'outB'),
    { id: 'outA', type: 'helper' },
    { id: 'outB', type: 'helper' },
  ].map((n, i) => ({ ...n, x: 100 + 100 * i, y: 100 }));
  return { nodes: [...cfg.nodes, ...onTab(flowNodes)], credentials: cfg.credentials };
}

const keyOf = (producer: string, i: number | 'a'): string =>
  `${producer}/${producer === AGENT ? 'agentId' : 'groupId'}=${producer === AGENT ? 'a' : 'g'}${i}`;

/** Laps of deltas of every entity's whole row (`from` to `to`), then a last delta of entity "aa" and "ga". */
function sendLaps(ws: WebSocket, from: number, to: number, last: string): void {
  for (let lap = from; lap <= to; lap++)
    for (let i = 0; i < ENTITIES; i++)
      for (const producer of [AGENT, GROUP])
        ws.send(frame(producer, dimensionOf(producer, i), measures(i, lap), false));
  ws.send(frame(AGENT, { agentId: 'aa' }, { agentState: last }, false));
  ws.send(frame(GROUP, { groupId: 'ga' }, { agentState: last }, false));
}

/** The state node's records once it holds the last delta `last` of `producers`. */
async function recordsAfter(
  node: string,
  out: Rec[],
  last: string,
  producers = [AGENT, GROUP],
): Promise<Record<string, Rec>> {
  const snapshot = async (): Promise<Record<string, Rec>> => {
    out.length = 0;
    helper.getNode(node).receive({ action: 'snapshot' });
    await until(`${node}'s snapshot`, () => out.length > 0);
    return out[0]!.payload as Record<string, Rec>;
  };
  return until(`${node}: the last deltas`, async () => {
    const records = await snapshot();
    return producers.every((p) => records[keyOf(p, 'a')]?.agentState === last) && records;
  });
}

/** Asserts that every entity holds lap `lap`'s row, plus `added` for the producers listed in `added`. */
function assertRecords(records: Record<string, Rec>, lap: number, added: string[], what: string): void {
  for (const producer of [AGENT, GROUP]) {
    for (let i = 0; i < ENTITIES; i++) {
      const sent = { ...dimensionOf(producer, i), ...measures(i, lap) };
      const key = keyOf(producer, i);
      assert.deepEqual({ ...records[key] }, added.includes(producer) ? { ...sent, added: 1 } : sent, `${what}, ${key}`);
    }
  }
}

describe('state node: wide rows straight from a subscribe node, and through a node that changes them', function () {
  this.timeout(30_000);
  let server: RawServer;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with call(), and put back after each test
  const apply = StateStore.prototype.apply;
  /** The updates the stores applied with names given (what a state node read without enumerating). */
  let byNames: EntityUpdate[];

  beforeEach(async () => {
    server = await startRawServer();
    byNames = [];
    StateStore.prototype.apply = function (this: StateStore, update, diff, names) {
      if (names !== undefined) byNames.push(update);
      return apply.call(this, update, diff, names);
    };
  });
  afterEach(async () => {
    StateStore.prototype.apply = apply;
    await helper.unload();
    await server.close();
  });

  /** Loads the flow, waits for both subscriptions, and sends a pumpup of lap 0 and the deltas of laps 1 to 3. */
  async function start(wiring: Wiring): Promise<WebSocket> {
    const f = flow(server, wiring);
    const socket = server.nextSocket();
    await helper.load([...ALL_NODES, stateNode, changeNode], f.nodes, f.credentials);
    const ws = await socket;
    let redirects = 0;
    await server.nextFrame((t) => t.includes('subscriptionRedirect') && ++redirects === 2);
    for (const producer of [AGENT, GROUP]) {
      for (let i = 0; i < ENTITIES; i++) ws.send(frame(producer, dimensionOf(producer, i), measures(i, 0), true));
      ws.send(complete(producer));
    }
    sendLaps(ws, 1, 3, 'LAST3'); // the templates learn the layouts early on
    return ws;
  }

  it('holds every measure the server sent, and the one the Change node added where it went through it', async () => {
    await start('two-wires');
    const outA = collect('outA') as Rec[];
    const outB = collect('outB') as Rec[];
    assertRecords(await recordsAfter('stateA', outA, 'LAST3'), 3, [], 'stateA');
    assertRecords(await recordsAfter('stateB', outB, 'LAST3'), 3, [AGENT, GROUP], 'stateB');
    // Only sub1's originals came with names: the rows stateA got on sub1's first wire.
    assert.ok(byNames.length > ENTITIES, `rows read by their names: ${byNames.length}`);
    assert.ok(byNames.every((u) => u.producer === AGENT && !('added' in (u.payload as Rec))));
  });

  it("makes a row of over 900 measures the state node's output, and no other wire's msg sees that", async () => {
    // sub1 → [stateA, tap1]: stateA gets the original, whose object becomes its output's record; tap1 a copy.
    // sub2 → [tap2, stateA]: tap2 gets the original, stateA a copy (no names: a record built as always).
    const wide = (i: number, lap: number): Rec => {
      const out: Rec = { agentState: `S${lap}`, lastStateChangeTimestamp: 1_000 * lap };
      for (let k = 0; k < 1_000; k++) out[`counter${k}`] = (k + i + lap) % 100;
      return out;
    };
    const cfg = serverConfig({ restUrl: server.restUrl, caPem: server.caPem } as never);
    const subscribe = (id: string, producer: string, wires: string[][]): FlowNode =>
      subscribeFlowNode(id, { server: 'server', producer, controlOutput: false, outputs: 1, wires });
    const flowNodes: FlowNode[] = [
      subscribe('sub1', AGENT, [['stateA', 'tap1']]),
      subscribe('sub2', GROUP, [['tap2', 'stateA']]),
      stateFlowNode('stateA', { emit: 'all', derived: true, wires: [['outA']] }),
      { id: 'tap1', type: 'helper' },
      { id: 'tap2', type: 'helper' },
      { id: 'outA', type: 'helper' },
    ].map((n, i) => ({ ...n, x: 100 + 100 * i, y: 100 }));
    const socket = server.nextSocket();
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with call(), and put back below
    const recordFrom = StateStore.prototype.recordFrom;
    let made = 0;
    StateStore.prototype.recordFrom = function (this: StateStore, entity, row) {
      made++;
      return recordFrom.call(this, entity, row);
    };
    try {
      await helper.load([...ALL_NODES, stateNode], [...cfg.nodes, ...onTab(flowNodes)], cfg.credentials);
      const tapped: Record<string, Rec[]> = { [AGENT]: collect('tap1'), [GROUP]: collect('tap2') };
      const taps = (producer: string): Rec[] => tapped[producer]!.filter((m) => m.control === undefined);
      const outA = collect('outA') as Rec[];
      const ws = await socket;
      let redirects = 0;
      await server.nextFrame((t) => t.includes('subscriptionRedirect') && ++redirects === 2);
      const LAPS = 12;
      for (let lap = 0; lap < LAPS; lap++)
        for (let i = 0; i < 5; i++)
          for (const producer of [AGENT, GROUP])
            ws.send(frame(producer, dimensionOf(producer, i), wide(i, lap), false));
      const rows = (): Rec[] => outA.filter((m) => m.eventAction !== undefined);
      await until('every output', () => rows().length === 2 * 5 * LAPS && taps(GROUP).length === 5 * LAPS).catch(
        (err: Error) => {
          throw new Error(`${err.message}: ${rows().length} outputs, ${taps(AGENT).length}, ${taps(GROUP).length}`);
        },
      );
      for (const msg of rows()) {
        const producer = msg.producer as string;
        const i = Number(String(msg.topic).slice(-1));
        const lap = Number(String((msg.payload as Rec).agentState).slice(1));
        const since = 1_000 * lap;
        assert.deepEqual(
          { ...(msg.payload as Rec), timeInStateMs: 0 },
          { ...dimensionOf(producer, i), ...wide(i, lap), stateSince: since, timeInStateMs: 0 },
          `${String(msg.topic)}, lap ${lap}`,
        );
      }
      for (const producer of [AGENT, GROUP]) {
        assert.equal(taps(producer).length, 5 * LAPS);
        taps(producer).forEach((msg, n) =>
          assert.deepEqual({ ...(msg.payload as Rec) }, wide(n % 5, Math.floor(n / 5)), `${producer}'s other wire`),
        );
      }
      // The templates learn the layout after a few frames; from then on sub1's rows become records themselves.
      assert.ok(made >= 5 && made <= 5 * LAPS, `records made of their rows: ${made}`);
    } finally {
      StateStore.prototype.recordFrom = recordFrom;
    }
  });

  it('forgets the names once a deploy of the modified nodes puts a Change node on the first wire', async () => {
    const ws = await start('two-wires');
    const outA = collect('outA') as Rec[];
    await recordsAfter('stateA', outA, 'LAST3');
    const f = flow(server, 'rewired');
    await helper.setFlows(f.nodes, 'nodes', f.credentials); // sub1 is rewired, not restarted (its socket stays)
    byNames = [];
    sendLaps(ws, 4, 4, 'LAST4');
    const records = await recordsAfter('stateA', outA, 'LAST4', [AGENT]);
    for (let i = 0; i < ENTITIES; i++) {
      const key = keyOf(AGENT, i);
      assert.deepEqual({ ...records[key] }, { ...dimensionOf(AGENT, i), ...measures(i, 4), added: 1 }, key);
    }
    assert.deepEqual(
      byNames.filter((u) => u.producer === AGENT),
      [],
      'no row of sub1 came with names',
    );
    assert.ok(byNames.length > 0, "sub2's rows still do: its first wire goes to stateB");
  });
});
