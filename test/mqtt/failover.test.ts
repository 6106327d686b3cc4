// Failover through the broker, hot/hot: two collector Node-REDs (two supervisors with the same groups)
// publish the same retained records to one Mosquitto; a consumer Node-RED reads only the broker. One
// collector is killed with SIGKILL: the consumer's view stays equal to the simulator's ground truth as
// the traffic goes on, and its feed health shows the dead collector through the Last Will of its core
// mqtt-broker node. Restarted (a new process, an empty view), the collector joins without a flood: its
// pumpup brings only records the broker already holds, and it publishes none of them (MQTT 5 user
// properties name the publisher of each record).
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { healthTopic } from '../../lib/broker';
import { collectorNodes } from '../../scripts/cluster-flows';
import { startSimulator, type RunningSimulator } from '../../simulator/index';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red-process';
import { USER } from '../helpers/node-red-test-helper';
import { startMosquitto, TopicMirror, type Mosquitto } from '../helpers/mosquitto';
import {
  brokerRecords,
  consumerWithView,
  deploy,
  healthOf,
  readView,
  simServer,
  sorted,
  truthByKey,
  truthTopics,
  viewRecords,
  type Snapshot,
} from '../helpers/broker-flows';
import { until } from '../helpers/wait';

const PREFIX = 'avaya/ha';
const PRODUCERS = ['Agent_SoD_3.5', 'RoutingService_SoD_3.5'];
const SIM = {
  host: '127.0.0.1',
  agents: 16,
  seed: 11,
  rate: 0 as const,
  heartbeatIntervalMs: 200,
  clientHeartbeatTimeoutMs: 60_000,
};

describe('failover through the broker: two hot/hot collectors, one killed, a consumer reading only the broker', function () {
  this.timeout(180_000);
  let broker: Mosquitto;
  let sim: RunningSimulator;
  let mirror: TopicMirror;
  const reds: NodeRedProcess[] = [];

  after(async () => {
    await mirror?.close();
    for (const red of reds) await red.close();
    await sim?.close();
    await broker?.close();
  });

  function collectorFlow(name: 'A' | 'B'): Record<string, unknown>[] {
    const user = name === 'A' ? { u: USER, p: 'password1' } : { u: 'supervisorB', p: 'passwordB' };
    return [
      { id: 'col', type: 'tab', label: `collector ${name}` },
      ...simServer(sim, user.u, user.p),
      ...collectorNodes({
        tab: 'col',
        server: 'server',
        producers: PRODUCERS,
        prefix: PREFIX,
        collector: name,
        broker: { host: '127.0.0.1', port: broker.port, protocolVersion: 5 },
        mqtt5: true,
        deltas: true,
      }),
    ];
  }

  async function startCollector(name: 'A' | 'B'): Promise<NodeRedProcess> {
    const red = await startNodeRed();
    reds.push(red);
    await deploy(red, collectorFlow(name));
    return red;
  }

  function truthView(): Array<[string, Record<string, unknown>]> {
    const all = new Map<string, Record<string, unknown>>();
    for (const p of PRODUCERS) for (const [k, v] of truthByKey(sim, USER, p)) all.set(k, v);
    return sorted(all);
  }

  async function consumerEqualsTruth(consumer: NodeRedProcess, label: string): Promise<Snapshot> {
    let last: Snapshot | null = null;
    try {
      return await until(
        label,
        async () => {
          last = await readView(consumer);
          return last.synced && isDeepStrictEqual(viewRecords(last), truthView()) ? last : null;
        },
        30_000,
      );
    } catch (err) {
      if (last)
        assert.deepEqual(
          { synced: (last as Snapshot).synced, view: viewRecords(last) },
          { synced: true, view: truthView() },
          label,
        );
      throw err;
    }
  }

  /** The retained records equal the truth. Polled: the simulator's triggered traffic goes on for a while after the
   *  consumer first matches, so one comparison at a single moment could catch the broker between two changes. */
  async function brokerEqualsTruth(label: string): Promise<void> {
    const equal = (): boolean =>
      isDeepStrictEqual(sorted(brokerRecords(mirror, PREFIX)), sorted(truthTopics(sim, USER, PRODUCERS, PREFIX)));
    try {
      await until(label, equal, 30_000);
    } catch (err) {
      assert.deepEqual(sorted(brokerRecords(mirror, PREFIX)), sorted(truthTopics(sim, USER, PRODUCERS, PREFIX)), label);
      throw err;
    }
  }

  const feedStates = (from: number, collector: string, producer: string): string[] =>
    mirror
      .since(from, healthTopic(PREFIX, collector, producer))
      .map((m) => (JSON.parse(m.payload) as { state: string }).state);

  it('keeps the consumer equal to the truth when a collector dies, shows it dead by its Last Will, and takes it back without a flood', async () => {
    broker = await startMosquitto();
    // Two supervisors with the same groups: supervisor1's groups, found on a first start of the same seed.
    const probe = await startSimulator(SIM);
    const groups = probe.users.find((u) => u.username === USER)!.groups;
    const users = [...probe.users, { username: 'supervisorB', password: 'passwordB', groups: [...groups] }];
    await probe.close();
    sim = await startSimulator({ ...SIM, users });
    for (const p of PRODUCERS)
      assert.deepEqual(
        sim.control.truth('supervisorB', p),
        sim.control.truth(USER, p),
        'the two supervisors see the same',
      );

    mirror = await TopicMirror.open(broker.url, `${PREFIX}/#`, { protocolVersion: 5 });
    const a = await startCollector('A');
    await startCollector('B');
    const consumer = await startNodeRed();
    reds.push(consumer);
    await deploy(consumer, consumerWithView('con', PREFIX, broker.port));

    await consumerEqualsTruth(consumer, 'the consumer view with both collectors up');
    await until(
      'both collectors live',
      () =>
        ['A', 'B'].every((c) => PRODUCERS.every((p) => healthOf(mirror, healthTopic(PREFIX, c, p))?.state === 'live')),
      30_000,
    );
    await brokerEqualsTruth('the retained records with both collectors up');

    // Kill A. Its broker connection drops without a DISCONNECT: Mosquitto publishes its Last Will.
    a.child.kill('SIGKILL');
    await until('the Last Will of A', () => healthOf(mirror, healthTopic(PREFIX, 'A'))?.state === 'offline', 30_000);
    assert.equal(healthOf(mirror, healthTopic(PREFIX, 'A'))?.cause, 'last will');
    assert.equal(
      healthOf(mirror, healthTopic(PREFIX, 'A', PRODUCERS[0]))?.state,
      'live',
      "A's own last word stays retained: only the Last Will tells it is dead",
    );

    // The traffic goes on; B alone keeps the broker, and so the consumer, equal to the truth.
    for (let round = 1; round <= 3; round++) {
      sim.control.trigger(40);
      const view = await consumerEqualsTruth(consumer, `the consumer view after round ${round} without A`);
      assert.equal(view.synced, true, 'B is live, so the consumer view is synced');
    }

    // A restarts (a new process, an empty state node): it resyncs, and publishes no record the broker holds.
    const from = mirror.log.length;
    await startCollector('A');
    await until(
      'A online and live again',
      () =>
        healthOf(mirror, healthTopic(PREFIX, 'A'))?.state === 'online' &&
        PRODUCERS.every((p) => feedStates(from, 'A', p).includes('live')),
      60_000,
    );
    const fromA = mirror.since(from, `${PREFIX}/record/`).filter((m) => m.userProperties?.collector === 'A');
    assert.deepEqual(
      fromA.map((m) => m.topic),
      [],
      'records the restarted collector published again',
    );
    assert.ok(truthView().length > 16);
    await consumerEqualsTruth(consumer, 'the consumer view after A came back');

    // Both publish again: the traffic still ends up equal, whoever publishes first.
    sim.control.trigger(40);
    await consumerEqualsTruth(consumer, 'the consumer view with both collectors again');
    await brokerEqualsTruth('the retained records with both collectors again');
    const deltas = mirror.since(from, `${PREFIX}/delta/`);
    assert.ok(deltas.length > 0 && deltas.every((m) => !m.retain), 'deltas are published, not retained');
  });
});
