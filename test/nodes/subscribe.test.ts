// avaya-analytics-subscribe through the Node-RED test helper against the simulator over HTTPS:
// the msg contract (lib/flow-messages.ts: data and lifecycle events in order on output 1, the events
// again on output 2), statuses (i18n keys), input actions, error paths to a Catch node, and that the
// status is not redrawn per message.
import assert from 'node:assert/strict';
import { entityKey } from '../../lib/index';
import type { RunningSimulator } from '../../simulator/index';
import {
  ALL_NODES,
  collect,
  helper,
  type FlowNode,
  onTab,
  serverConfig,
  simulator,
  statusHistory,
  unload,
  USER,
} from '../helpers/node-red-test-helper';
import { sleep, until } from '../helpers/wait';
import type { ServerNode } from '../../nodes/avaya-analytics-server/server-node';

const PRODUCER = 'Agent_SoD_3.5';
const DATA_KEYS = ['_msgid', 'dimension', 'eventAction', 'payload', 'producer', 'pumpup', 'source', 'topic'];
const LIFECYCLE_KEYS = ['_msgid', 'control', 'payload', 'producer', 'topic'];

/** What the tests read of a msg on output 1 (a data msg, or a lifecycle event with `control`) or 2. */
interface Msg {
  topic: string;
  producer: string;
  source: string;
  pumpup: boolean;
  eventAction: string;
  dimension: Record<string, string>;
  payload: Record<string, unknown>;
  control?: string;
  _msgid: string;
}
/** A msg at the Catch node: the msg the node received, plus the error. */
interface CaughtMsg extends Record<string, unknown> {
  error: { message: string; source: { id: string } };
}
/** The data msgs among output 1's msgs (the others are lifecycle events). */
const dataOf = (out: Msg[]): Msg[] => out.filter((m) => m.control === undefined);

function subscribeFlow(sim: RunningSimulator, props: Partial<FlowNode> = {}, serverProps: Partial<FlowNode> = {}) {
  const cfg = serverConfig(sim, serverProps);
  const flow: FlowNode[] = [
    ...cfg.nodes,
    ...onTab([
      {
        id: 'sub',
        type: 'avaya-analytics-subscribe',
        server: 'server',
        producer: PRODUCER,
        source: '',
        emitPumpup: true,
        controlOutput: true,
        outputs: 2,
        version: 2,
        wires: [['out'], ['ctl']],
        ...props,
      },
      { id: 'out', type: 'helper' },
      { id: 'ctl', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]),
  ];
  return { flow, credentials: cfg.credentials };
}

/** The entity keys the simulator says supervisor1 sees for the producer. */
function truthKeys(sim: RunningSimulator): Set<string> {
  const entities = sim.control.truth(USER, PRODUCER)[PRODUCER] ?? [];
  return new Set(entities.map((e) => entityKey(PRODUCER, e.dimension)));
}

describe('avaya-analytics-subscribe', function () {
  let sim: RunningSimulator;

  before(async () => {
    // Fast server heartbeats so that a test sees many of them; the server tolerates our 8 s ones.
    sim = await simulator({ heartbeatIntervalMs: 100, clientHeartbeatTimeoutMs: 60_000 });
  });
  after(async () => {
    await sim.close();
  });
  afterEach(unload);

  async function start(props: Partial<FlowNode> = {}, serverProps: Partial<FlowNode> = {}) {
    const { flow, credentials } = subscribeFlow(sim, props, serverProps);
    await helper.load(ALL_NODES, flow, credentials);
    return {
      out: collect('out') as Msg[],
      ctl: collect('ctl') as Msg[],
      caught: collect('caught') as CaughtMsg[],
      status: statusHistory('sub'),
    };
  }

  it('sends every pumpup row in the contract shape, then pumpupComplete and ready', async () => {
    const { out, ctl, status } = await start();
    await until('pumpupComplete', () => ctl.some((m) => m.control === 'pumpupComplete'));
    await until('ready status', () => status().includes('avaya-analytics-subscribe.status.ready'));

    const rows = dataOf(out);
    assert.ok(rows.length > 0, 'no pumpup rows');
    const sourceId = sim.model.sources()[0]!.sourceId;
    for (const m of rows) {
      assert.deepEqual(Object.keys(m).sort(), DATA_KEYS);
      assert.equal(m.topic, entityKey(PRODUCER, m.dimension));
      assert.equal(m.producer, PRODUCER);
      assert.equal(m.source, sourceId);
      assert.equal(m.pumpup, true);
      assert.equal(m.eventAction, 'UPSERT');
      assert.equal(typeof m.payload, 'object');
    }
    assert.deepEqual(
      new Set(rows.map((m) => m.topic)),
      truthKeys(sim),
      'the pumpup must cover exactly the entities supervisor1 sees',
    );
    // Normalized values: 20-digit timestamps became epoch-ms numbers, UNKNOWN became null.
    const stamps = rows.flatMap((m) =>
      Object.entries(m.payload)
        .filter(([k]) => /Timestamp$/i.test(k))
        .map(([, v]) => v),
    );
    assert.ok(stamps.length > 0, 'no timestamps in the pumpup');
    for (const v of stamps)
      assert.ok(v === null || (typeof v === 'number' && v > 1e12), `timestamp not normalized: ${String(v)}`);

    const controls = ctl.map((m) => m.control);
    assert.ok(controls.indexOf('subscribed') < controls.indexOf('pumpupComplete'), controls.join());
    await until('ready control', () => ctl.some((m) => m.control === 'ready'));
    for (const m of ctl) {
      assert.equal(m.topic, PRODUCER);
      assert.equal(m.producer, PRODUCER);
      assert.equal(m.payload.state, m.control);
      assert.equal(typeof m.payload.at, 'number');
    }
    assert.equal(status()[0], 'avaya-analytics-subscribe.status.connecting');

    // In-band on output 1: the same events (same _msgid), in order with the rows around them.
    const inBand = out.filter((m) => m.control !== undefined);
    for (const m of inBand) assert.deepEqual(Object.keys(m).sort(), LIFECYCLE_KEYS);
    assert.deepEqual(
      inBand.map((m) => `${m.control}:${m._msgid}`),
      ctl.map((m) => `${m.control}:${m._msgid}`),
      "output 2 repeats output 1's events",
    );
    const at = (control: string) => out.findIndex((m) => m.control === control);
    const firstRow = out.findIndex((m) => m.control === undefined);
    const lastRow = out.length - 1 - [...out].reverse().findIndex((m) => m.control === undefined);
    assert.ok(at('subscribed') >= 0 && at('subscribed') < firstRow, 'subscribed before the first row');
    assert.ok(at('pumpupComplete') > lastRow, 'pumpupComplete after the last row');
  });

  it('forwards deltas after the pumpup and never a heartbeat', async () => {
    const { out, ctl } = await start();
    await until('pumpupComplete', () => ctl.some((m) => m.control === 'pumpupComplete'));
    await until('ready', () => ctl.some((m) => m.control === 'ready'));
    const pumpupRows = dataOf(out).length;
    const heartbeatsBefore = sim.control.stats().heartbeatsSent;
    let deltas = 0;
    while (dataOf(out).length === pumpupRows) {
      deltas += sim.control.trigger(20);
      await sleep(50);
      if (deltas > 5000) assert.fail('no delta for the Agent producer reached the flow');
    }
    await sleep(300); // several 100 ms server heartbeats
    assert.ok(sim.control.stats().heartbeatsSent > heartbeatsBefore, 'the simulator sent no heartbeat');
    const keys = truthKeys(sim);
    for (const m of dataOf(out).slice(pumpupRows)) {
      assert.equal(m.pumpup, false);
      assert.ok(Object.keys(m.dimension).length > 0, 'a message without dimension (a heartbeat?) reached the flow');
      assert.ok(keys.has(m.topic) || m.eventAction === 'DELETE', `unknown entity ${m.topic}`);
    }
    assert.ok(!out.some((m) => 'heartbeat' in m || 'pumpupComplete' in m));
  });

  it('sends neither pumpup rows nor pumpupComplete when emitPumpup is off', async () => {
    const { out, ctl, status } = await start({ emitPumpup: false });
    await until('ready status', () => status().includes('avaya-analytics-subscribe.status.ready'));
    await until('ready event', () => ctl.some((m) => m.control === 'ready'));
    assert.equal(dataOf(out).length, 0);
    assert.ok(!ctl.some((m) => m.control === 'pumpupComplete'));
    assert.ok(!out.some((m) => m.control === 'pumpupComplete'), 'nor in-band: a state node would evict every entity');
    assert.ok(
      out.some((m) => m.control === 'subscribed'),
      'the other events still go out',
    );
    let deltas = 0;
    await until('a delta', () => {
      deltas += sim.control.trigger(20);
      return dataOf(out).length > 0 || deltas > 5000;
    });
    assert.ok(dataOf(out).length > 0 && dataOf(out).every((m) => m.pumpup === false));
  });

  it('has one output without the control option', async () => {
    const cfg = serverConfig(sim);
    const flow = [
      ...cfg.nodes,
      ...onTab([
        {
          id: 'sub',
          type: 'avaya-analytics-subscribe',
          version: 2,
          server: 'server',
          producer: PRODUCER,
          source: '',
          emitPumpup: true,
          controlOutput: false,
          wires: [['out']],
        },
        { id: 'out', type: 'helper' },
      ]),
    ];
    await helper.load(ALL_NODES, flow, cfg.credentials);
    const out = collect('out') as Msg[];
    await until('pumpupComplete in-band', () => out.some((m) => m.control === 'pumpupComplete'));
    assert.equal(helper.getNode('sub').wires.length, 1, 'one output');
    assert.deepEqual(new Set(dataOf(out).map((m) => m.topic)), truthKeys(sim), 'every pumpup row before the marker');
  });

  it('msg.action "pumpup" delivers a fresh snapshot', async () => {
    const { out, ctl } = await start();
    await until('first pumpupComplete', () => ctl.some((m) => m.control === 'pumpupComplete'));
    out.length = 0;
    ctl.length = 0;
    helper.getNode('sub').receive({ action: 'pumpup' });
    await until('second pumpupComplete', () => ctl.some((m) => m.control === 'pumpupComplete'));
    const rows = out.filter((m) => m.pumpup);
    assert.deepEqual(new Set(rows.map((m) => m.topic)), truthKeys(sim));
  });

  it('msg.action "unsubscribe" ends the subscription on the server and "subscribe" starts it again', async () => {
    const { ctl, status } = await start();
    await until('ready', () => ctl.some((m) => m.control === 'pumpupComplete'));
    assert.deepEqual(sim.control.stats().users[USER]?.subscriptions, [PRODUCER]);

    helper.getNode('sub').receive({ action: 'unsubscribe' });
    await until('unsubscribed control', () => ctl.some((m) => m.control === 'unsubscribed'));
    await until('server-side unsubscribe', () => sim.control.stats().users[USER]?.subscriptions.length === 0);
    await until('unsubscribed status', () => status().at(-1) === 'avaya-analytics-subscribe.status.unsubscribed');

    ctl.length = 0;
    helper.getNode('sub').receive({ action: 'subscribe' });
    await until('pumpup after re-subscribing', () => ctl.some((m) => m.control === 'pumpupComplete'));
    assert.deepEqual(sim.control.stats().users[USER]?.subscriptions, [PRODUCER]);
    assert.equal(sim.control.stats().duplicateSubscriptions, 0);
  });

  it('reports an unknown action and a pumpup while unsubscribed to a Catch node, keeping the msg', async () => {
    const { ctl, caught } = await start();
    await until('ready', () => ctl.some((m) => m.control === 'pumpupComplete'));
    helper.getNode('sub').receive({ action: 'explode', payload: 'keep me' });
    await until('caught error', () => caught.length === 1);
    assert.equal(caught[0]!.payload, 'keep me');
    assert.equal(caught[0]!.action, 'explode');
    // The Catch node shows err.toString(): the class name, then the message.
    assert.equal(caught[0]!.error.message, 'Error: avaya-analytics-subscribe.errors.unknown-action');
    assert.equal(caught[0]!.error.source.id, 'sub');

    helper.getNode('sub').receive({ action: 'unsubscribe' });
    await until('unsubscribed', () => ctl.some((m) => m.control === 'unsubscribed'));
    helper.getNode('sub').receive({ action: 'pumpup', topic: 't' });
    await until('second caught error', () => caught.length === 2);
    assert.equal(caught[1]!.error.message, 'Error: avaya-analytics-subscribe.errors.not-subscribed');
    assert.equal(caught[1]!.topic, 't');
  });

  it('an unknown producer: a red status on the node, and each warning logged once', async () => {
    const { status } = await start({ producer: 'Nope_SoD_3.5' });
    await until('the refusal in the status', () => status().includes('avaya-analytics-subscribe.status.refused-404'));
    await sleep(200);
    const warned = helper
      .log()
      .args.map(([e]) => e)
      .filter((e) => e.level <= helper.log().WARN)
      .map((e) => String(e.msg));
    const count = (what: RegExp): number => warned.filter((w) => what.test(w)).length;
    assert.equal(count(/Nope_SoD_3\.5 is not listed by the server/), 1, warned.join('\n'));
    assert.equal(count(/subscription to Nope_SoD_3\.5 refused/), 1, warned.join('\n'));
  });

  it('redraws its status at most about once a second under a burst of messages', async () => {
    const { out, ctl, status } = await start();
    await until('ready', () => ctl.some((m) => m.control === 'pumpupComplete'));
    const before = status().length;
    const rowsBefore = dataOf(out).length;
    const t0 = Date.now();
    while (Date.now() - t0 < 1500) {
      sim.control.trigger(500);
      await sleep(10);
    }
    await sleep(200);
    const seconds = (Date.now() - t0) / 1000;
    const messages = dataOf(out).length - rowsBefore;
    const redraws = status().length - before;
    assert.ok(messages > 200, `too few messages to judge (${messages})`);
    assert.ok(
      redraws <= Math.ceil(seconds) + 2,
      `${redraws} status updates for ${messages} messages in ${seconds.toFixed(1)} s`,
    );
    // The counter is part of the status: the last text is the ready key (RED._ returns keys here).
    assert.equal(status().at(-1), 'avaya-analytics-subscribe.status.ready');
  });

  it('an outage of several failed retries sends "disconnected" once per cause, not once per retry', async () => {
    const { ctl } = await start();
    await until('ready', () => ctl.some((m) => m.control === 'pumpupComplete'));
    // Another user of the server node, as a subscribe node is: it sees every state event of the connection.
    const states: string[] = [];
    const kinds = new Set<string>();
    helper.getNode<ServerNode>('server').register({
      id: 'probe',
      onConnectionState: (e) => {
        states.push(e.state);
        if (e.state === 'disconnected') kinds.add(e.cause?.kind ?? '');
      },
      onInputCause: () => undefined,
    });
    ctl.length = 0;
    sim.control.refuseConnections(4000);
    sim.control.dropSockets(USER);
    await until('pumpup after reconnecting', () => ctl.some((m) => m.control === 'pumpupComplete'), 30_000);
    assert.ok(states.filter((s) => s === 'disconnected').length >= 3, `not an outage of retries: ${states.join()}`);
    const controls = ctl.map((m) => m.control);
    assert.equal(controls[0], 'disconnected', controls.join());
    // The socket dropped (one cause), then every retry refused (another): one msg each.
    assert.equal(
      controls.filter((c) => c === 'disconnected').length,
      kinds.size,
      `${controls.join()} / ${[...kinds].join()}`,
    );
  });

  it('shows a dropped socket and a silent (half-open) one, then recovers with a fresh pumpup', async () => {
    // 1 s heartbeats: three silent seconds make the connection stale.
    const { ctl, status } = await start({}, { heartbeat: 1 });
    await until('ready', () => ctl.some((m) => m.control === 'pumpupComplete'));

    ctl.length = 0;
    sim.control.dropSockets(USER);
    await until('disconnected control', () => ctl.some((m) => m.control === 'disconnected'));
    await until('pumpup after reconnecting', () => ctl.some((m) => m.control === 'pumpupComplete'), 15_000);

    ctl.length = 0;
    sim.control.stallSockets(USER);
    await until('stale control', () => ctl.some((m) => m.control === 'stale'), 15_000);
    await until('pumpup after the stale socket', () => ctl.some((m) => m.control === 'pumpupComplete'), 20_000);
    await until('ready status again', () => status().at(-1) === 'avaya-analytics-subscribe.status.ready');
    // (Short-lived states may be skipped by the once-a-second status; control events are not.)
    const stale = ctl.find((m) => m.control === 'stale')!;
    assert.equal(typeof stale.payload.reason, 'string');
    assert.equal(sim.control.stats().duplicateSockets, 0);
  });

  it('without a server or a producer: an error status, and done(err) for every input', async () => {
    const loginsBefore = sim.control.stats().users[USER]!.logins;
    const cfg = serverConfig(sim);
    const flow = [
      ...cfg.nodes,
      ...onTab([
        {
          id: 'sub',
          type: 'avaya-analytics-subscribe',
          version: 2,
          server: 'missing',
          producer: PRODUCER,
          wires: [[]],
        },
        { id: 'sub2', type: 'avaya-analytics-subscribe', version: 2, server: 'server', producer: '', wires: [[]] },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]),
    ];
    await helper.load(ALL_NODES, flow, cfg.credentials);
    const caught = collect('caught') as CaughtMsg[];
    assert.deepEqual(statusHistory('sub')(), ['avaya-analytics-subscribe.status.error']);
    assert.deepEqual(statusHistory('sub2')(), ['avaya-analytics-subscribe.status.error']);
    helper.getNode('sub').receive({ action: 'pumpup' });
    helper.getNode('sub2').receive({ action: 'subscribe' });
    await until('caught', () => caught.length === 2);
    const messages = caught.map((m) => m.error.message).sort();
    assert.deepEqual(messages, [
      'Error: avaya-analytics-subscribe.errors.no-producer',
      'Error: avaya-analytics-subscribe.errors.no-server',
    ]);
    assert.equal(sim.control.stats().users[USER]!.logins, loginsBefore, 'a node without producer must not connect');
  });
});
