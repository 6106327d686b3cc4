// View equals truth through the broker: simulator → a collector Node-RED (subscribe → state →
// avaya-analytics-mqtt → core mqtt out) → Debian's Mosquitto on a free loopback port → an MQTT client in
// this test. The retained record topics must equal the simulator's ground truth after the pumpup and
// after live deltas; agents that leave a group are cleared (empty retained payload); after a socket
// drop and resync the view is right again and no unchanged record was published again. Then key values
// with "/", "+", "#", "%" and non-ASCII characters, sent by a raw Open Interface server, round-trip:
// through the topic tree and back into a consumer's state node fed by core mqtt in.
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { healthTopic, parseEntityTopic, recordTopic } from '../../lib/broker';
import { entityKey } from '../../lib/entity-key';
import { collectorNodes } from '../../scripts/cluster-flows';
import type { RunningSimulator } from '../../simulator/index';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red-process';
import { startRawServer, type RawServer } from '../helpers/raw-server';
import { PASSWORD, simulator, USER } from '../helpers/node-red-test-helper';
import { AGENT_PRODUCER } from '../state/fixtures/guide-scollins';
import { mosquittoPath, startMosquitto, TopicMirror, type Mosquitto } from '../helpers/mosquitto';
import {
  brokerRecords,
  consumerWithView,
  deploy,
  healthOf,
  simServer,
  sorted,
  truthTopics,
  type Rec,
} from '../helpers/broker-flows';
import { sleep, until } from '../helpers/wait';
import { tlsConfigNode } from '../helpers/flow-nodes';

const PREFIX = 'avaya/test';
const PRODUCERS = ['Agent_SoD_3.5', 'AgentByAccount_SoD_3.5'];
const COLLECTOR = 'c1';

/** An agent supervisor1 sees through exactly one group, so removing it from that group hides it. */
function agentInOneGroup(sim: RunningSimulator, exclude: Set<string>): { agentId: string; groupId: string } {
  const members = sim.model.dimdata('GroupMember', USER) as Array<{ groupId: string; agentId?: string }>;
  const groupsOf = new Map<string, string[]>();
  for (const m of members)
    if (m.agentId !== undefined) groupsOf.set(m.agentId, [...(groupsOf.get(m.agentId) ?? []), m.groupId]);
  for (const [agentId, groups] of groupsOf)
    if (groups.length === 1 && !exclude.has(agentId)) return { agentId, groupId: groups[0]! };
  assert.fail('no agent in exactly one group');
}

describe('the view through the broker: simulator → collector Node-RED → Mosquitto → MQTT client', function () {
  this.timeout(120_000);
  let broker: Mosquitto;
  let red: NodeRedProcess;
  let sim: RunningSimulator;
  let mirror: TopicMirror;

  before(async function () {
    if (mosquittoPath() === null)
      throw new Error('mosquitto is not installed: apt-get install mosquitto mosquitto-clients (.ci/run does)');
    broker = await startMosquitto();
    red = await startNodeRed();
  });
  after(async () => {
    await mirror?.close();
    await red?.close();
    await sim?.close();
    await broker?.close();
  });

  /** Waits until the broker's record topics equal the ground truth; on a timeout, says which differ. */
  async function brokerEqualsTruth(label: string): Promise<void> {
    const equal = (): boolean =>
      isDeepStrictEqual(sorted(brokerRecords(mirror, PREFIX)), sorted(truthTopics(sim, USER, PRODUCERS, PREFIX)));
    try {
      await until(label, equal, 20_000);
    } catch (err) {
      assert.deepEqual(sorted(brokerRecords(mirror, PREFIX)), sorted(truthTopics(sim, USER, PRODUCERS, PREFIX)), label);
      throw err;
    }
  }

  /** Log index after which both producers' health went through synchronising to live again. */
  async function resynced(from: number, label: string): Promise<void> {
    await until(
      label,
      () =>
        PRODUCERS.every((p) => {
          const states = mirror
            .since(from, healthTopic(PREFIX, COLLECTOR, p))
            .map((m) => (JSON.parse(m.payload) as { state: string }).state);
          const sync = states.indexOf('synchronising');
          return sync >= 0 && states.indexOf('live', sync) > sync;
        }),
      30_000,
    );
  }

  it('holds one retained record per entity equal to the ground truth: after the pumpup, deltas, group removals, and socket drops without a flood', async () => {
    sim = await simulator({ agents: 16, heartbeatIntervalMs: 200, clientHeartbeatTimeoutMs: 60_000 });
    mirror = await TopicMirror.open(broker.url, `${PREFIX}/#`);
    // Without the broker mirror (mqtt in → formatter): what is measured is the state node's own "nothing unchanged".
    const collector = collectorNodes({
      tab: 'col',
      server: 'server',
      producers: PRODUCERS,
      prefix: PREFIX,
      collector: COLLECTOR,
      broker: { host: '127.0.0.1', port: broker.port },
      mirror: false,
    });
    await deploy(red, [
      { id: 'col', type: 'tab', label: 'collector' },
      ...simServer(sim, USER, PASSWORD),
      ...collector,
    ]);

    // 1. The pumpup.
    await brokerEqualsTruth('the retained records after the pumpup');
    await until(
      'health live',
      () => PRODUCERS.every((p) => healthOf(mirror, healthTopic(PREFIX, COLLECTOR, p))?.state === 'live'),
      20_000,
    );
    assert.deepEqual(
      healthOf(mirror, healthTopic(PREFIX, COLLECTOR)),
      { collector: COLLECTOR, state: 'online', cause: 'birth' },
      'the broker node birth message',
    );
    const first = brokerRecords(mirror, PREFIX);
    assert.ok(first.size > 16, `only ${first.size} records`);
    for (const m of mirror.log.filter((l) => l.topic.startsWith(`${PREFIX}/record/`)))
      assert.ok(!('timeInStateMs' in (JSON.parse(m.payload) as Rec)), 'timeInStateMs is not published');

    // 2. Live deltas.
    sim.control.trigger(60);
    await brokerEqualsTruth('the retained records after live deltas');

    // 3. Agents leave the group: their topics are cleared.
    const removed = new Set<string>();
    const clearedFrom = mirror.log.length;
    const { agentId, groupId } = agentInOneGroup(sim, removed);
    const loss = sim.control.removeAgentFromGroup(agentId, groupId);
    assert.ok(loss && loss.deletesSent > 0, 'the removal sent no delete');
    removed.add(agentId);
    await brokerEqualsTruth('the retained records after an agent left its group');
    const agentTopic = recordTopic(PREFIX, 'Agent_SoD_3.5', { agentId });
    assert.ok(first.has(agentTopic), 'the agent had a record');
    assert.ok(
      mirror.since(clearedFrom).some((m) => m.topic === agentTopic && m.payload === '' && m.retain === false),
      'an empty payload cleared the agent topic',
    );
    // A late subscriber sees the retained tree without the agent.
    const late = await TopicMirror.open(broker.url, `${PREFIX}/record/#`);
    await until(
      'the late subscriber got the retained records',
      () => late.topics.size === brokerRecords(mirror, PREFIX).size,
      10_000,
    );
    assert.deepEqual(sorted(brokerRecords(late, PREFIX)), sorted(truthTopics(sim, USER, PRODUCERS, PREFIX)));
    assert.ok(!late.topics.has(agentTopic));
    await late.close();

    // 4. A socket drop with nothing changed meanwhile: the resync publishes no record at all.
    let from = mirror.log.length;
    assert.ok(sim.control.dropSockets(USER) > 0, 'no socket to drop');
    await resynced(from, 'the resync after a quiet drop');
    await brokerEqualsTruth('the retained records after a quiet drop');
    assert.deepEqual(
      mirror.since(from, `${PREFIX}/record/`).map((m) => m.topic),
      [],
      'records published by a resync that brought nothing new',
    );

    // 5. A drop with changes and a removal while down: only what changed is published, plus the clear of the evicted
    // agent.
    const before = new Map(mirror.topics);
    from = mirror.log.length;
    assert.ok(sim.control.dropSockets(USER) > 0, 'no socket to drop');
    sim.control.trigger(40);
    const gone = agentInOneGroup(sim, removed);
    assert.ok(sim.control.removeAgentFromGroup(gone.agentId, gone.groupId)?.lostBy.includes(USER));
    removed.add(gone.agentId);
    await resynced(from, 'the resync after a drop with changes');
    await brokerEqualsTruth('the retained records after a drop with changes');
    const published = mirror.since(from, `${PREFIX}/record/`);
    const held = new Map(before);
    for (const m of published) {
      assert.notEqual(m.payload, held.get(m.topic) ?? '', `${m.topic} was published again unchanged`);
      held.set(m.topic, m.payload);
    }
    const changed = new Set(
      [...new Set([...before.keys(), ...mirror.topics.keys()])].filter(
        (t) => t.startsWith(`${PREFIX}/record/`) && before.get(t) !== mirror.topics.get(t),
      ),
    );
    for (const m of published)
      assert.ok(changed.has(m.topic), `${m.topic} was published though its record is the same as before the drop`);
    assert.ok(
      published.some(
        (m) => m.topic === recordTopic(PREFIX, 'Agent_SoD_3.5', { agentId: gone.agentId }) && m.payload === '',
      ),
      'the evicted agent was cleared',
    );
    await mirror.close();
  });

  it('round-trips key values with "/", "+", "#", "%", "=" and non-ASCII characters through the topic tree and back into a consumer state node', async () => {
    const ODD = 'avaya/odd'; // a tree of its own: the first test's retained topics stay on the broker
    const raw: RawServer = await startRawServer();
    mirror = await TopicMirror.open(broker.url, `${ODD}/#`);
    try {
      const P = AGENT_PRODUCER;
      const ids = ['a/b', 'c+d', 'e#f', 'Zoë 東京/#+', '%41', 'x=y', ' '];
      const row = (agentId: string, state: string): string =>
        JSON.stringify({
          dimension: { agentId },
          realtimeData: { agentState: state, agentDisplayName: `Agent ${agentId}` },
          pumpup: true,
          pumpupComplete: false,
          heartbeat: false,
        });
      const complete = '{"dimension":{},"realtimeData":{},"pumpup":true,"pumpupComplete":true,"heartbeat":false}';
      const flow = [
        { id: 'col', type: 'tab', label: 'collector' },
        tlsConfigNode('tls', raw.caPem, 'raw CA'),
        {
          id: 'server',
          type: 'avaya-analytics-server',
          name: '',
          url: raw.restUrl,
          tls: 'tls',
          credentials: { username: 'supervisor1', password: 'password1' },
        },
        ...collectorNodes({
          tab: 'col',
          server: 'server',
          producers: [P],
          prefix: ODD,
          collector: 'raw',
          broker: { host: '127.0.0.1', port: broker.port },
        }),
        ...consumerWithView('con', ODD, broker.port),
      ];
      await deploy(red, flow);
      const ws = await until('the raw server connection', () => raw.sockets[0], 30_000);
      await until(
        'the subscription redirect',
        () => raw.received.some((t) => t.includes('"subscriptionRedirect"')),
        30_000,
      );
      for (const id of ids) ws.send(row(id, 'READY'));
      ws.send(complete);

      const topics = ids.map((agentId) => recordTopic(ODD, P, { agentId }));
      await until('every odd key published', () => topics.every((t) => mirror.topics.has(t)), 20_000);
      for (const [i, topic] of topics.entries()) {
        const levels = topic.split('/');
        assert.equal(levels.length, ODD.split('/').length + 3, `${topic}: the key made extra levels`);
        assert.ok(
          levels.every((l) => l !== '' && !/[+#]/.test(l) && !l.includes('\u0000')),
          `${topic} is not MQTT-safe`,
        );
        const back = parseEntityTopic(topic)!;
        assert.equal(back.producer, P);
        assert.equal(back.dimension.agentId, ids[i]);
        assert.equal((JSON.parse(mirror.topics.get(topic)!) as Rec).agentId, ids[i]);
      }
      assert.equal(recordTopic(ODD, P, { agentId: 'Zoë 東京/#+' }), `${ODD}/record/${P}/agentId=Zoë 東京%2F%23%2B`);

      type Snapshot = { payload: Record<string, Rec>; synced: boolean };
      const view = async (): Promise<Snapshot> => (await (await fetch(`${red.base}/api/view`)).json()) as Snapshot;
      const keys = (s: Snapshot): string[] => Object.keys(s.payload).sort();
      const expected = ids.map((agentId) => entityKey(P, { agentId })).sort();
      let last: Snapshot | null = null;
      const rebuilt = await until(
        'the consumer view',
        async () => {
          const s = (last = await view());
          return s.synced && isDeepStrictEqual(keys(s), expected) ? s : null;
        },
        20_000,
      ).catch((err: Error) => {
        assert.deepEqual(
          { synced: last?.synced, keys: last && keys(last) },
          { synced: true, keys: expected },
          `${err.message}\n${red.output().slice(-3000)}`,
        );
        throw err;
      });
      assert.equal(rebuilt.payload[entityKey(P, { agentId: 'Zoë 東京/#+' })]?.agentDisplayName, 'Agent Zoë 東京/#+');

      // A DELETE clears the topic, and the consumer drops the entity.
      ws.send(
        JSON.stringify({
          producerId: P,
          sourceId: 'Oceana_Streams_127.0.0.1_3.5',
          pumpupIdentifier: null,
          extra: null,
          eventAction: 'DELETE',
          dimension: { agentId: 'a/b' },
          realtimeData: {},
          pumpup: false,
          pumpupComplete: false,
          heartbeat: false,
        }),
      );
      await until('the cleared topic', () => !mirror.topics.has(topics[0]!), 10_000);
      await until(
        'the consumer without a/b',
        async () =>
          isDeepStrictEqual(
            keys(await view()),
            expected.filter((k) => k !== entityKey(P, { agentId: 'a/b' })),
          ),
        10_000,
      );
      await sleep(50);
    } finally {
      await mirror.close();
      await raw.close();
    }
  });
});
