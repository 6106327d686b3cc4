import assert from 'node:assert/strict';
import { entityKey } from '../../../lib/entity-key';
import type { Entity } from '../../../simulator/model/contract';
import type { RunningSimulator } from '../../../simulator/options';
import type { SubscriptionResponse } from '../../../simulator/subscriptions';
import { AGENT, RawClient, Rest, startTestSimulator, StateBuilder } from '../../helpers/sim-wire';
import { sleep } from '../../helpers/wait';

/** The control API's truth in the shape StateBuilder builds (producer → key → measures). */
function truthState(truth: Record<string, Entity[]>): Map<string, Map<string, Record<string, unknown>>> {
  const state = new Map<string, Map<string, Record<string, unknown>>>();
  for (const [producerId, entities] of Object.entries(truth)) {
    state.set(producerId, new Map(entities.map((e) => [entityKey(producerId, e.dimension), { ...e.realtimeData }])));
  }
  return state;
}

function assertSameState(actual: StateBuilder['state'], expected: ReturnType<typeof truthState>): void {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [producerId, records] of expected) {
    const mine = actual.get(producerId)!;
    assert.deepEqual([...mine.keys()].sort(), [...records.keys()].sort(), `entities of ${producerId}`);
    for (const [key, measures] of records) assert.deepEqual(mine.get(key), measures, key);
  }
}

interface Supervisor {
  username: string;
  token: string;
  client: RawClient;
  responses: SubscriptionResponse[];
}

describe('simulator ground truth', () => {
  let sim: RunningSimulator;
  let rest: Rest;
  const supervisors: Supervisor[] = [];

  async function supervisor(username: string, producers: string[]): Promise<Supervisor> {
    const token = await rest.login(username);
    const responses: SubscriptionResponse[] = [];
    for (const producerId of producers) responses.push(await rest.subscribe(token, username, producerId));
    const client = await RawClient.connect(responses[0]!.endpoint, sim.caPem);
    const s = { username, token, client, responses };
    supervisors.push(s);
    return s;
  }

  async function pumpedUp(s: Supervisor): Promise<void> {
    const from = s.client.frames.length;
    for (const response of s.responses) s.client.redirect(response, s.token);
    for (const response of s.responses) {
      await s.client.waitFor(
        (f) => f.json?.['pumpupComplete'] === true && f.json['producerId'] === response.producerId,
        10_000,
        from,
      );
    }
  }

  beforeEach(async () => {
    sim = await startTestSimulator({ envelope: 'long', encoding: 'mixed', agents: 60 });
    rest = new Rest(sim);
  });
  afterEach(async () => {
    for (const s of supervisors.splice(0)) await s.client.close();
    await rest.close();
    await sim.close();
  });

  it("pumpup + deltas received by raw clients add up to the control API's truth for every producer, with traffic running throughout", async () => {
    const producers = sim.model
      .producers()
      .map((p) => p.header.producerId)
      .filter((id) => id !== 'Admin_Admin_3.5');
    assert.equal(producers.length, 10);
    // Five each (the licence): supervisor1 sees everything, supervisor2 a part.
    const one = await supervisor('supervisor1', producers.slice(0, 5));
    const two = await supervisor('supervisor2', producers.slice(5));
    sim.control.setRate(2000); // deltas arrive during the pumpups too
    await Promise.all([pumpedUp(one), pumpedUp(two)]);
    await sleep(400);
    sim.control.setRate(0);
    await one.client.sync();
    await two.client.sync();
    const stats = sim.control.stats();
    assert.ok(stats.deltasGenerated > 100, `${stats.deltasGenerated} deltas generated`);
    for (const s of [one, two]) {
      const built = new StateBuilder(() => assert.fail('long envelope carries producerId')).apply(s.client.frames);
      assertSameState(built.state, truthState(sim.control.truth(s.username)));
    }
    const everything = truthState(sim.control.truth('supervisor1', AGENT)).get(AGENT)!.size;
    assert.ok(
      truthState(sim.control.truth('supervisor2', AGENT)).get(AGENT)!.size < everything,
      'supervisor2 sees fewer agents',
    );
    // The truth over HTTP is the same.
    const overHttp = await fetch(`${sim.controlUrl}/truth?user=supervisor2`).then((r) => r.json());
    assert.deepEqual(overHttp, JSON.parse(JSON.stringify(sim.control.truth('supervisor2'))));
    assert.equal(sim.control.stats().duplicateSockets, 0);
    assert.equal(sim.control.stats().duplicateSubscriptions, 0);
  });

  it('also adds up in the short envelope with string values (one producer per socket)', async () => {
    const short = await startTestSimulator({ envelope: 'short', encoding: 'string' });
    const other = new Rest(short);
    try {
      const token = await other.login('supervisor2');
      const response = await other.subscribe(token, 'supervisor2', AGENT);
      const client = await RawClient.connect(response.endpoint, short.caPem);
      try {
        short.control.setRate(1000);
        client.redirect(response, token);
        await client.waitForPumpupComplete();
        await sleep(300);
        short.control.setRate(0);
        await client.sync();
        const built = new StateBuilder(() => AGENT).apply(client.frames);
        assertSameState(built.state, truthState(short.control.truth('supervisor2')));
      } finally {
        await client.close();
      }
    } finally {
      await other.close();
      await short.close();
    }
  });

  it("sends DELETE only to users who lost sight of the agent, for each subscribed producer's entities of it", async () => {
    const producers = [AGENT, 'AgentByAccount_SoD_3.5'];
    const all = await supervisor('supervisor1', producers);
    const two = await supervisor('supervisor2', producers);
    const three = await supervisor('supervisor3', producers);
    for (const s of supervisors) await pumpedUp(s);
    // An agent supervisor2 sees and supervisor3 does not.
    const seenByThree = new Set(sim.control.truth('supervisor3', AGENT)[AGENT]!.map((e) => e.dimension['agentId']));
    const seenByTwo = sim.control.truth('supervisor2', AGENT)[AGENT]!;
    const agentId = seenByTwo.map((e) => e.dimension['agentId']!).find((id) => !seenByThree.has(id))!;
    assert.ok(agentId);
    const groups = sim.users.find((u) => u.username === 'supervisor2')!.groups;
    const removal = groups.map((g) => sim.control.removeAgentFromGroup(agentId, g)).find((r) => r !== undefined)!;
    assert.ok(removal, "removed from one of supervisor2's groups");
    assert.ok(removal.lostBy.includes('supervisor2'));
    assert.ok(!removal.lostBy.includes('supervisor3'));
    for (const s of supervisors) await s.client.sync();

    const expectedKeys = removal.entities
      .filter((e) => producers.includes(e.producerId))
      .map((e) => entityKey(e.producerId, e.dimension))
      .sort();
    assert.ok(expectedKeys.length >= 2, 'the agent has an Agent and an AgentByAccount entity');
    for (const s of [all, two, three]) {
      const built = new StateBuilder(() => assert.fail('long envelope')).apply(s.client.frames);
      const deleted = built.deletes.map((d) => d.key).sort();
      if (removal.lostBy.includes(s.username)) assert.deepEqual(deleted, expectedKeys, s.username);
      else assert.deepEqual(deleted, [], s.username);
      assertSameState(built.state, truthState(sim.control.truth(s.username)));
    }
    assert.equal(
      removal.deletesSent,
      expectedKeys.length * removal.lostBy.filter((u) => ['supervisor1', 'supervisor2'].includes(u)).length,
    );

    // Adding the agent back sends nothing; a fresh pumpup brings it back.
    const from = two.client.frames.length;
    assert.equal(sim.control.addAgentToGroup(agentId, removal.groupId), true);
    await two.client.sync();
    assert.ok(
      !two.client.frames.slice(from).some((f) => JSON.stringify(f.json?.['dimension'] ?? '').includes(agentId)),
    );
    await pumpedUp(two);
    const rebuilt = new StateBuilder(() => assert.fail('long envelope')).apply(two.client.frames);
    assertSameState(rebuilt.state, truthState(sim.control.truth('supervisor2')));
    assert.equal(sim.control.stats().duplicateSockets, 0);
    assert.equal(sim.control.stats().duplicateSubscriptions, 0);
  });
});
