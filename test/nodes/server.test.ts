// The avaya-analytics-server config node: one login and one socket for all its users, status fan-out,
// redeploys that keep the connection, removal that unsubscribes and closes, credentials with
// environment variables, refused logins — checked against the simulator's own counters.
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../simulator/index';
import {
  ALL_NODES,
  collect,
  helper,
  type FlowNode,
  PASSWORD,
  serverConfig,
  simulator,
  statusHistory,
  unload,
  USER,
} from '../helpers/node-red-test-helper';
import { sleep, until } from '../helpers/wait';

const AGENT = 'Agent_SoD_3.5';
const SERVICE = 'RoutingService_SoD_3.5';

function subscriber(id: string, producer: string, out: string, extra: Partial<FlowNode> = {}): FlowNode {
  return {
    id,
    type: 'avaya-analytics-subscribe',
    version: 2,
    server: 'server',
    producer,
    source: '',
    emitPumpup: true,
    controlOutput: true,
    outputs: 2,
    wires: [[out], [`${out}-ctl`]],
    ...extra,
  };
}

function sinks(...ids: string[]): FlowNode[] {
  return ids.flatMap((id) => [
    { id, type: 'helper' },
    { id: `${id}-ctl`, type: 'helper' },
  ]);
}

describe('avaya-analytics-server', function () {
  let sim: RunningSimulator;

  beforeEach(async () => {
    sim = await simulator();
  });
  afterEach(async () => {
    await unload();
    await sim.close();
  });

  const userStats = () => sim.control.stats().users[USER]!;

  it('shares one login and one socket among its users and fans the connection state out to each', async () => {
    const cfg = serverConfig(sim);
    const flow = [
      ...cfg.nodes,
      subscriber('a', AGENT, 'outA'),
      subscriber('b', SERVICE, 'outB'),
      ...sinks('outA', 'outB'),
    ];
    await helper.load(ALL_NODES, flow, cfg.credentials);
    const statusA = statusHistory('a');
    const statusB = statusHistory('b');
    const ctlA = collect('outA-ctl');
    const ctlB = collect('outB-ctl');
    await until(
      'both ready',
      () =>
        statusA().includes('avaya-analytics-subscribe.status.ready') &&
        statusB().includes('avaya-analytics-subscribe.status.ready'),
    );
    const stats = userStats();
    assert.deepEqual([...stats.subscriptions].sort(), [AGENT, SERVICE]);
    assert.equal(stats.sockets, 1);
    assert.equal(stats.logins, 1);
    // Connection-level events reach every user.
    await until(
      'ready control on both',
      () => ctlA.some((m) => m.control === 'ready') && ctlB.some((m) => m.control === 'ready'),
    );
  });

  it('two nodes on one producer cost one server subscription', async () => {
    const cfg = serverConfig(sim);
    const flow = [
      ...cfg.nodes,
      subscriber('a', AGENT, 'outA'),
      subscriber('b', AGENT, 'outB'),
      ...sinks('outA', 'outB'),
    ];
    await helper.load(ALL_NODES, flow, cfg.credentials);
    const outA = collect('outA');
    const outB = collect('outB');
    await until('both streams', () => outA.length > 0 && outB.length > 0);
    const stats = sim.control.stats();
    assert.deepEqual(stats.users[USER]!.subscriptions, [AGENT]);
    assert.equal(stats.activeSubscriptions, 1);
  });

  it('keeps login, socket and subscription when a changed subscribe node is redeployed', async () => {
    const cfg = serverConfig(sim);
    const flow = [...cfg.nodes, subscriber('a', AGENT, 'outA'), ...sinks('outA')];
    await helper.load(ALL_NODES, flow, cfg.credentials);
    const first = statusHistory('a');
    await until('ready', () => first().includes('avaya-analytics-subscribe.status.ready'));
    const before = sim.control.stats();
    const replaced = helper.getNode('a');

    const changed = flow.map((n) => (n.id === 'a' ? { ...n, name: 'renamed' } : n));
    await helper.setFlows(changed, 'nodes', cfg.credentials);
    assert.notEqual(helper.getNode('a'), replaced, 'the subscribe node was not recreated');
    const out = collect('outA');
    // A new subscription would bring a pumpup within this time; the adopted one brings none.
    await sleep(500);
    assert.equal(out.filter((m) => m.pumpup).length, 0, 'the redeploy caused a new pumpup');
    const after = sim.control.stats();
    assert.equal(after.logins, before.logins, 'a new login');
    assert.equal(after.openSockets, 1);
    assert.equal(after.duplicateSubscriptions, 0);
    assert.equal(after.duplicateSockets, 0);
    assert.deepEqual(after.users[USER]!.subscriptions, [AGENT]);

    // The replacement node receives the stream: deltas arrive without a new pumpup.
    let deltas = 0;
    await until('a delta at the replacement', () => {
      deltas += sim.control.trigger(20);
      return out.length > 0 || deltas > 5000;
    });
    assert.ok(out.length > 0 && out.every((m) => m.pumpup === false));
    assert.equal(sim.control.stats().logins, before.logins);
  });

  it('moves to the new producer when a redeploy changes it, leaving no orphan subscription', async () => {
    const cfg = serverConfig(sim);
    const flow = [...cfg.nodes, subscriber('a', AGENT, 'outA'), ...sinks('outA')];
    await helper.load(ALL_NODES, flow, cfg.credentials);
    await until('subscribed', () => userStats().subscriptions.includes(AGENT));
    const changed = flow.map((n) => (n.id === 'a' ? { ...n, producer: SERVICE } : n));
    await helper.setFlows(changed, 'nodes', cfg.credentials);
    await until('only the new producer', () => {
      const subs = userStats().subscriptions;
      return subs.length === 1 && subs[0] === SERVICE;
    });
    assert.equal(sim.control.stats().openSockets, 1);
  });

  it('removing one user keeps the connection for the other; removing the last unsubscribes and closes', async () => {
    const cfg = serverConfig(sim);
    const flow = [
      ...cfg.nodes,
      subscriber('a', AGENT, 'outA'),
      subscriber('b', SERVICE, 'outB'),
      ...sinks('outA', 'outB'),
    ];
    await helper.load(ALL_NODES, flow, cfg.credentials);
    await until('both subscribed', () => userStats().subscriptions.length === 2 && userStats().sockets === 1);

    await helper.setFlows(
      flow.filter((n) => n.id !== 'b'),
      'nodes',
      cfg.credentials,
    );
    await until('one subscription left', () => userStats().subscriptions.length === 1);
    assert.deepEqual(userStats().subscriptions, [AGENT]);
    assert.equal(sim.control.stats().openSockets, 1);

    await helper.setFlows(
      flow.filter((n) => n.id !== 'a' && n.id !== 'b'),
      'nodes',
      cfg.credentials,
    );
    await until('no subscription and no socket', () => {
      const stats = sim.control.stats();
      return stats.activeSubscriptions === 0 && stats.openSockets === 0 && userStats().subscriptions.length === 0;
    });
  });

  it('unsubscribes and closes when the flows stop', async () => {
    const cfg = serverConfig(sim);
    await helper.load(ALL_NODES, [...cfg.nodes, subscriber('a', AGENT, 'outA'), ...sinks('outA')], cfg.credentials);
    await until('subscribed', () => userStats().sockets === 1);
    await helper.clearFlows();
    const stats = sim.control.stats();
    assert.equal(stats.activeSubscriptions, 0);
    assert.equal(userStats().subscriptions.length, 0);
    await until('socket closed', () => sim.control.stats().openSockets === 0);
  });

  it('substitutes environment variables in the URL and the credentials', async () => {
    const port = new URL(sim.restUrl).port;
    process.env.AA_TEST_SIM_PORT = port;
    process.env.AA_TEST_SIM_PASSWORD = PASSWORD;
    try {
      const cfg = serverConfig(
        sim,
        { url: 'https://127.0.0.1:${AA_TEST_SIM_PORT}/orca-streams-rest' },
        { password: '${AA_TEST_SIM_PASSWORD}' },
      );
      await helper.load(ALL_NODES, [...cfg.nodes, subscriber('a', AGENT, 'outA'), ...sinks('outA')], cfg.credentials);
      const status = statusHistory('a');
      await until('ready', () => status().includes('avaya-analytics-subscribe.status.ready'));
    } finally {
      delete process.env.AA_TEST_SIM_PORT;
      delete process.env.AA_TEST_SIM_PASSWORD;
    }
  });

  it('shows a refused login as auth-failed and never logs the password', async () => {
    const wrong = 'Wr0ng-Secret-42';
    const cfg = serverConfig(sim, { verbose: true }, { password: wrong });
    await helper.load(ALL_NODES, [...cfg.nodes, subscriber('a', AGENT, 'outA'), ...sinks('outA')], cfg.credentials);
    const status = statusHistory('a');
    const ctl = collect('outA-ctl');
    // The short cause (the helper's RED._ has no catalogs, so the English short form shows).
    await until('auth-failed status', () => status().includes('login refused'));
    await until('auth-failed control', () => ctl.some((m) => m.control === 'auth-failed'));
    assert.ok(sim.control.stats().failedLogins >= 1);
    const logged = JSON.stringify(helper.log().args);
    assert.ok(!logged.includes(wrong), 'the password reached the log');
    assert.ok(!/eyJ[\w-]+\.eyJ/.test(logged), 'a token reached the log');
    assert.ok(!JSON.stringify(ctl).includes(wrong));
  });

  it('logs its steps at info level when verbose, without secrets', async () => {
    const cfg = serverConfig(sim, { verbose: true });
    await helper.load(ALL_NODES, [...cfg.nodes, subscriber('a', AGENT, 'outA'), ...sinks('outA')], cfg.credentials);
    const status = statusHistory('a');
    await until('ready', () => status().includes('avaya-analytics-subscribe.status.ready'));
    const infos = helper
      .log()
      .args.map(([e]) => e)
      .filter((e) => e.id === 'server' && e.level === helper.log().INFO);
    assert.ok(
      infos.some((e) => String(e.msg).includes(`subscribing to ${AGENT}`)),
      'no info line about subscribing',
    );
    const logged = JSON.stringify(helper.log().args);
    assert.ok(!logged.includes(PASSWORD));
    assert.ok(!/eyJ[\w-]+\.eyJ/.test(logged));
  });
});
