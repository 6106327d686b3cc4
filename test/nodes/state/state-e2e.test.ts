// End to end: simulator (HTTPS/WSS, its CA in a tls-config node) → server → two subscribe nodes
// (Agent, AgentByAccount; both outputs wired) → state. Traffic runs, the sockets are dropped several
// times (changes and an agent removal happen while they are down), and the final view must equal the
// simulator's ground truth for every entity, normalized the way the client normalizes the wire.
import assert from 'node:assert/strict';
import { at } from '../../state/fixtures/at';
import { isDeepStrictEqual } from 'node:util';
import { entityKey } from '../../../lib/index';
import { normalizeMeasures } from '../../../lib/frames/normalize';
import { schemaFromDescriptor } from '../../../lib/frames/producer-schema';
import type { RunningSimulator } from '../../../simulator/index';
import {
  collect,
  helper,
  serverConfig,
  serverNode,
  simulator,
  subscribeNode,
  tlsConfigNode,
  unload,
  USER,
  type FlowNode,
} from '../../helpers/node-red-test-helper';
import type { Msg } from '../../helpers/contract-messages';
import { attach, stateFlow, stateNode, stateSubscribers, type Harness } from '../../helpers/state-node-flow';
import { sleep, until } from '../../helpers/wait';

const PRODUCERS = ['Agent_SoD_3.5', 'AgentByAccount_SoD_3.5'];
const DROPS = 3;

/** The simulator's current records of one producer as the state node should hold them. */
function truthView(sim: RunningSimulator, producer: string): Record<string, Record<string, unknown>> {
  const schema = schemaFromDescriptor(sim.model.producer(producer));
  assert.ok(schema, `no schema for ${producer}`);
  const view: Record<string, Record<string, unknown>> = {};
  for (const entity of sim.control.truth(USER, producer)[producer] ?? []) {
    const measures = normalizeMeasures({ ...entity.realtimeData }, schema.measureTypes);
    view[entityKey(producer, entity.dimension)] = { ...measures, ...entity.dimension };
  }
  return view;
}

function stateView(snapshot: Msg, producer: string): Record<string, Record<string, unknown>> {
  const view: Record<string, Record<string, unknown>> = {};
  for (const [key, record] of Object.entries(snapshot.payload as Record<string, Record<string, unknown>>)) {
    if (key.startsWith(producer + '/')) view[key] = { ...record };
  }
  return view;
}

function e2eFlow(
  sim: RunningSimulator,
  bothWires: boolean,
): { flow: FlowNode[]; credentials: Record<string, Record<string, string>> } {
  const cfg = serverConfig(sim);
  const [tab, state, ...rest] = stateFlow({ derived: false });
  assert.ok(tab !== undefined && state !== undefined, 'stateFlow gives a tab and a state node');
  const subscribers = stateSubscribers(PRODUCERS, {}, bothWires);
  return {
    flow: [tab, ...cfg.nodes, ...subscribers, state, ...rest, { id: 'ctl', z: 'tab', type: 'helper' }],
    credentials: cfg.credentials,
  };
}

/** An agent supervisor1 sees through exactly one group, so removing it from that group hides it. */
function agentInOneGroup(sim: RunningSimulator, exclude: Set<string>): { agentId: string; groupId: string } {
  const members = sim.model.dimdata('GroupMember', USER) as Array<{ groupId: string; agentId?: string }>;
  const groupsOf = new Map<string, string[]>();
  for (const m of members)
    if (m.agentId !== undefined) groupsOf.set(m.agentId, [...(groupsOf.get(m.agentId) ?? []), m.groupId]);
  for (const [agentId, groups] of groupsOf)
    if (groups.length === 1 && !exclude.has(agentId)) return { agentId, groupId: at(groups, 0) };
  assert.fail('no agent in exactly one group');
}

describe('avaya-analytics-state end to end: simulator → server → subscribe → state', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;

  before(async () => {
    sim = await simulator({ agents: 16, heartbeatIntervalMs: 200, clientHeartbeatTimeoutMs: 60_000 });
  });
  after(async () => {
    await sim.close();
  });
  afterEach(unload);

  for (const [wiring, bothWires] of [
    ['output 1 only', false],
    ['both outputs', true],
  ] as const) {
    it(`keeps a view equal to the ground truth across deltas, deletes and dropped sockets (${wiring} into the state node)`, async () => {
      const { flow, credentials } = e2eFlow(sim, bothWires);
      await helper.load([tlsConfigNode, serverNode, subscribeNode, stateNode], flow, credentials);
      const h: Harness = attach('state');
      const ctl = collect('ctl');
      const completes = (producer: string): number =>
        ctl.filter((m) => m.control === 'pumpupComplete' && m.producer === producer).length;
      const allCompleted = (n: number): boolean => PRODUCERS.every((p) => completes(p) >= n);

      await until('first pumpups', () => allCompleted(1), 20_000);
      const first = await h.snapshot();
      assert.equal(first.synced, true);
      for (const p of PRODUCERS) assert.ok(Object.keys(stateView(first, p)).length > 0, `no ${p} entities`);

      const removed = new Set<string>();
      for (let round = 1; round <= DROPS; round++) {
        sim.control.trigger(40); // live deltas
        if (round === 1) {
          // A delete while connected: the server sends DELETE for the agent's entities.
          const { agentId, groupId } = agentInOneGroup(sim, removed);
          const loss = sim.control.removeAgentFromGroup(agentId, groupId);
          assert.ok(loss && loss.lostBy.includes(USER) && loss.deletesSent > 0, 'the removal sent no delete');
          removed.add(agentId);
          await until('DELETE outputs', () =>
            h
              .changes()
              .some(
                (m) =>
                  m.eventAction === 'DELETE' &&
                  (m.dimension as Record<string, unknown>).agentId === agentId &&
                  !m.evicted,
              ),
          );
        }
        await sleep(100);

        const lostBefore = ctl.filter((m) => m.control === 'disconnected').length;
        assert.ok(sim.control.dropSockets(USER) > 0, 'no socket to drop');
        await until(
          'disconnected events',
          () => ctl.filter((m) => m.control === 'disconnected').length >= lostBefore + PRODUCERS.length,
        );
        assert.equal((await h.snapshot()).synced, false, 'the view is not synced while the stream is down');

        // While the sockets are down: changes the client never sees as deltas, and an agent that vanishes
        // without a delete reaching us. Only the pumpup after the reconnect can bring the view back.
        sim.control.trigger(40);
        if (round === 2) {
          const { agentId, groupId } = agentInOneGroup(sim, removed);
          assert.ok(sim.control.removeAgentFromGroup(agentId, groupId)?.lostBy.includes(USER));
          removed.add(agentId);
          await until(
            'eviction of the agent removed while disconnected',
            () =>
              h
                .changes()
                .some((m) => m.evicted === true && (m.dimension as Record<string, unknown>).agentId === agentId),
            20_000,
          );
        }
        await until(`pumpups after drop ${round}`, () => allCompleted(round + 1), 20_000);
      }
      sim.control.trigger(60);

      // Deltas are in flight until the stream is quiet: compare until equal, then assert on the final view.
      let last: Msg | undefined;
      const equal = (): boolean => PRODUCERS.every((p) => isDeepStrictEqual(stateView(last!, p), truthView(sim, p)));
      const deadline = Date.now() + 10_000;
      do {
        last = await h.snapshot();
        if (equal()) break;
        await sleep(100);
      } while (Date.now() < deadline);
      for (const p of PRODUCERS)
        assert.deepStrictEqual(stateView(last, p), truthView(sim, p), `${p} view differs from the ground truth`);
      assert.equal(last.synced, true);
      for (const agentId of removed) {
        assert.ok(
          !Object.values(last.payload as Record<string, { agentId?: unknown }>).some((r) => r.agentId === agentId),
          `removed agent ${agentId} still in the view`,
        );
      }
      assert.ok(sim.control.stats().faults.drops >= DROPS);
      assert.equal(h.caught.length, 0, JSON.stringify(h.caught.map((m): unknown => m.error)));
      // Each lifecycle event reached the state node's output once, however many wires brought it.
      const passedOn = h.lifecycle().map((m): unknown => m._msgid);
      assert.equal(new Set(passedOn).size, passedOn.length, 'a lifecycle event was applied twice');
      assert.equal(passedOn.length, ctl.length, 'every event of output 2 was applied once');
    });
  }
});
