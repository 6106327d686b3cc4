// Wide rows (over a hundred measures, read by a frame template into a dictionary-mode object) through a real
// Node-RED runtime: a state node reads the names the decoder kept for such a payload instead of enumerating it
// (lib/frames/built-names.ts), which is right only while nobody changed the payload on its way. Two subscribe nodes
// feed two state nodes, one of them through a Change node that adds a measure:
//   sub1 → [stateA, add]: stateA gets the original msg (the names are used), add gets a copy;
//   sub2 → [add, stateA]: add gets the original and changes it, stateA a copy.
// add → stateB. Every record must hold what the server sent, and stateB's the added measure too.
import assert from 'node:assert/strict';
import { startRawServer, SOURCE_ID, type RawServer } from '../../helpers/raw-server';
import { ALL_NODES, collect, helper, serverConfig, type FlowNode } from '../../helpers/node-red-test-helper';
import { requireFromNodeRed } from '../../helpers/node-red-selection';
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

function flow(server: RawServer): { nodes: FlowNode[]; credentials: Record<string, object> } {
  const cfg = serverConfig({ restUrl: server.restUrl, caPem: server.caPem } as never);
  const subscribe = (id: string, producer: string, wires: string[][]): FlowNode => ({
    id,
    type: 'avaya-analytics-subscribe',
    version: 2,
    server: 'server',
    producer,
    source: '',
    emitPumpup: true,
    wires,
  });
  const state = (id: string, out: string): FlowNode => ({
    id,
    type: 'avaya-analytics-state',
    emit: 'never',
    wires: [[out]],
  });
  return {
    nodes: [
      ...cfg.nodes,
      subscribe('sub1', AGENT, [['stateA', 'add']]),
      subscribe('sub2', GROUP, [['add', 'stateA']]),
      {
        id: 'add',
        type: 'change',
        rules: [{ t: 'set', p: 'payload.added', pt: 'msg', to: '1', tot: 'num' }],
        wires: [['stateB']],
      },
      state('stateA', 'outA'),
      state('stateB', 'outB'),
      { id: 'outA', type: 'helper' },
      { id: 'outB', type: 'helper' },
    ],
    credentials: cfg.credentials,
  };
}

describe('state node: wide rows straight from a subscribe node, and through a node that changes them', function () {
  this.timeout(30_000);
  let server: RawServer;

  beforeEach(async () => {
    server = await startRawServer();
  });
  afterEach(async () => {
    await helper.unload();
    await server.close();
  });

  it('holds every measure the server sent, and the one the Change node added where it went through it', async () => {
    const f = flow(server);
    const socket = server.nextSocket();
    await helper.load([...ALL_NODES, stateNode, changeNode], f.nodes, f.credentials);
    const ws = await socket;
    let redirects = 0;
    await server.nextFrame((t) => t.includes('subscriptionRedirect') && ++redirects === 2);
    // A pumpup, then three laps of deltas of the whole row: the templates learn the layouts early on.
    for (const producer of [AGENT, GROUP]) {
      for (let i = 0; i < ENTITIES; i++) ws.send(frame(producer, dimensionOf(producer, i), measures(i, 0), true));
      ws.send(complete(producer));
    }
    for (let lap = 1; lap <= 3; lap++)
      for (let i = 0; i < ENTITIES; i++)
        for (const producer of [AGENT, GROUP])
          ws.send(frame(producer, dimensionOf(producer, i), measures(i, lap), false));
    const last = (producer: string): string => `${producer}/${producer === AGENT ? 'agentId' : 'groupId'}=a`;
    ws.send(frame(AGENT, { agentId: 'a' }, { agentState: 'LAST' }, false));
    ws.send(frame(GROUP, { groupId: 'a' }, { agentState: 'LAST' }, false));

    const snapshot = async (node: string, out: Rec[]): Promise<Record<string, Rec>> => {
      out.length = 0;
      helper.getNode(node).receive({ action: 'snapshot' });
      await until(`${node}'s snapshot`, () => out.length > 0);
      return out[0]!.payload as Record<string, Rec>;
    };
    const outA = collect('outA') as Rec[];
    const outB = collect('outB') as Rec[];
    await until('the last deltas', async () => {
      const a = await snapshot('stateA', outA);
      const b = await snapshot('stateB', outB);
      return [AGENT, GROUP].every((p) => a[last(p)] !== undefined && b[last(p)] !== undefined);
    });
    const a = await snapshot('stateA', outA);
    const b = await snapshot('stateB', outB);
    for (const producer of [AGENT, GROUP]) {
      for (let i = 0; i < ENTITIES; i++) {
        const dimension = dimensionOf(producer, i);
        const key = `${producer}/${Object.keys(dimension)[0]}=${Object.values(dimension)[0]}`;
        const sent = { ...dimension, ...measures(i, 3) };
        assert.deepEqual({ ...a[key] }, sent, `stateA, ${key}`);
        assert.deepEqual({ ...b[key] }, { ...sent, added: 1 }, `stateB, ${key}`);
      }
    }
  });
});
