// The alert node in the test helper's Node-RED, fed contract msgs as subscribe output 1 sends them:
// the msg format, the sentence per locale, list/ack/reset, the same lifecycle event over two wires,
// and a redeploy that restores the raised alerts from the node's context (no second raise).
import assert from 'node:assert/strict';
import { at } from '../../state/fixtures/at';
import { alertNode, helper, statusHistory } from '../../helpers/node-red-test-helper';
import { lifecycleMessage } from '../../../lib/flow-messages';
import { makeCause } from '../../../lib/client/cause';
import { until } from '../../helpers/wait';
import { controlMsg, dataMsg, type Msg } from '../../helpers/contract-messages';
import { stateNode } from '../../helpers/state-node-flow';
import { stateFlowNode } from '../../../scripts/config-nodes';
import { healthTopic, recordTopic } from '../../../lib/broker';

const T = 'avaya-analytics-alert';
const AGENT = 'Agent_SoD_3.5';

/** msg.details of a raise or clear, as far as the tests read it. */
interface AlertDetails {
  rule: unknown;
  entity: { name: string; key: string; dimension: Record<string, string> };
  value: unknown;
  by: unknown;
  limitMs: number;
  durationMs: number;
  record: Record<string, unknown>;
  reason?: unknown;
  acked?: unknown;
}

const RULES = [
  {
    id: 'nr',
    name: 'Not ready too long',
    field: 'agentState',
    op: 'eq',
    value: 'NOT_READY',
    duration: '10m',
    durationBy: 'nrReasonCodeName',
    durations: [{ value: 'Lunch', duration: '60m' }],
  },
  { id: 'feed', kind: 'feed', duration: '0' },
];

function flow(props: Record<string, unknown> = {}) {
  return [
    { id: 'tab', type: 'tab', label: 'alert' },
    {
      id: 'alert',
      z: 'tab',
      type: T,
      name: '',
      server: '',
      producer: '',
      rules: RULES,
      lang: 'en-US',
      store: '',
      version: 1,
      wires: [['out']],
      ...props,
    },
    { id: 'out', z: 'tab', type: 'helper' },
    { id: 'catcher', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
  ];
}

function attach() {
  const out: Msg[] = [];
  const caught: Msg[] = [];
  helper.getNode('out').on('input', (m: Msg) => out.push(m));
  helper.getNode('caught').on('input', (m: Msg) => caught.push(m));
  const node = helper.getNode('alert');
  return { out, caught, send: (...msgs: Msg[]) => msgs.forEach((m) => node.receive(m)) };
}

/** Lunch for 62 min, Coffee for 11 min: one alert each at the pumpup. */
function pumpup(): Msg[] {
  const now = Date.now();
  return [
    controlMsg('subscribed', AGENT),
    dataMsg(
      { agentId: 'scollins' },
      {
        agentState: 'NOT_READY',
        nrReasonCodeName: 'Lunch',
        agentDisplayName: 'Siobhan Collins',
        lastStateChangeTimestamp: now - 62 * 60_000 - 5000,
      },
      { pumpup: true },
    ),
    dataMsg(
      { agentId: 'jdoe' },
      {
        agentState: 'NOT_READY',
        nrReasonCodeName: 'Coffee',
        agentDisplayName: 'John Doe',
        lastStateChangeTimestamp: now - 11 * 60_000,
      },
      { pumpup: true },
    ),
    dataMsg(
      { agentId: 'ready' },
      { agentState: 'READY', agentDisplayName: 'Ready Agent', lastStateChangeTimestamp: now - 99 * 60_000 },
      { pumpup: true },
    ),
    controlMsg('pumpupComplete', AGENT),
  ];
}

describe('avaya-analytics-alert node', () => {
  afterEach(async () => {
    await helper.unload();
  });

  it('sends raise msgs with topic, sentence and details once the pumpup completes', async () => {
    await helper.load([alertNode], flow());
    const h = attach();
    h.send(...pumpup());
    const raises = await until('two raises', () => (h.out.length >= 2 ? h.out : undefined));
    const a = at(raises, 0);
    const b = at(raises, 1);
    const details = a.details as AlertDetails;
    assert.equal(a.alert, 'raise');
    assert.equal(a.topic, `nr/${AGENT}/agentId=scollins`);
    assert.equal(a.payload, 'Siobhan Collins has been NOT_READY (Lunch) for 62 min');
    assert.equal(b.payload, 'John Doe has been NOT_READY (Coffee) for 11 min');
    assert.deepEqual(details.rule, { id: 'nr', name: 'Not ready too long', kind: 'measure' });
    assert.equal(details.entity.name, 'Siobhan Collins');
    assert.equal(details.entity.key, `${AGENT}/agentId=scollins`);
    assert.deepEqual({ ...details.entity.dimension }, { agentId: 'scollins' });
    assert.equal(details.value, 'NOT_READY');
    assert.equal(details.by, 'Lunch');
    assert.equal(details.limitMs, 3_600_000);
    assert.ok(details.durationMs >= 62 * 60_000);
    assert.equal(details.record.agentState, 'NOT_READY');
    assert.equal(h.caught.length, 0);
    // The same pumpupComplete again (a second wire): nothing.
    h.send(controlMsg('pumpupComplete', AGENT));
    // list, then ack, then a DELETE clears.
    h.send({ action: 'list' });
    const list = await until('the list reply', () => h.out.find((m) => m.action === 'list'));
    assert.equal(list.count, 2);
    assert.deepEqual((list.payload as { topic: string }[]).map((x) => x.topic).sort(), [
      `nr/${AGENT}/agentId=jdoe`,
      `nr/${AGENT}/agentId=scollins`,
    ]);
    h.send({ action: 'ack', topic: `nr/${AGENT}/agentId=jdoe` });
    const ack = await until('the ack reply', () => h.out.find((m) => m.action === 'ack'));
    assert.equal(ack.found, true);
    assert.equal((ack.payload as { acked: unknown }).acked, true);
    h.send(dataMsg({ agentId: 'jdoe' }, {}, { eventAction: 'DELETE' }));
    const clear = await until('a clear', () => h.out.find((m) => m.alert === 'clear'));
    assert.equal(clear.topic, `nr/${AGENT}/agentId=jdoe`);
    assert.equal((clear.details as AlertDetails).reason, 'deleted');
    assert.equal((clear.details as AlertDetails).acked, true);
    assert.equal(h.out.filter((m) => m.alert === 'raise').length, 2, 'raised twice');
  });

  it("writes the sentence in the deploying editor's language (de, ja)", async () => {
    await helper.load([alertNode], flow({ lang: 'de-DE' }));
    let h = attach();
    h.send(...pumpup());
    let a = at(await until('a raise', () => (h.out.length >= 1 ? h.out : undefined)), 0);
    assert.equal(a.payload, 'Siobhan Collins ist seit 62 Min. NOT_READY (Lunch)');
    await helper.unload();
    await helper.load([alertNode], flow({ lang: 'ja' }));
    h = attach();
    h.send(...pumpup());
    a = at(await until('a raise', () => (h.out.length >= 1 ? h.out : undefined)), 0);
    assert.equal(a.payload, 'Siobhan Collins は 62分 前から NOT_READY (Lunch) です');
  });

  it('raises the feed-health rule on a stale feed and clears it when the feed is live again', async () => {
    await helper.load([alertNode], flow());
    const h = attach();
    h.send(...pumpup());
    await until('two raises', () => (h.out.length >= 2 ? h.out : undefined));
    h.send(controlMsg('stale', AGENT));
    const raise = await until('the feed raise', () => h.out.find((m) => m.topic === `feed/${AGENT}`));
    assert.equal(raise.alert, 'raise');
    assert.match(raise.payload as string, /^Feed Agent_SoD_3\.5 stale \(server heartbeats missed\) for \d+ s$/);
    assert.equal((raise.details as AlertDetails).value, 'stale');
    // Reconnect and a pumpup with the same data: the feed clears, the agents' alerts are not raised again.
    h.send(controlMsg('disconnected', AGENT), ...pumpup());
    const clear = await until('the feed clear', () =>
      h.out.find((m) => m.topic === `feed/${AGENT}` && m.alert === 'clear'),
    );
    assert.match(clear.payload as string, /^Feed Agent_SoD_3\.5 is live again/);
    h.send({ action: 'list' });
    await until('the list reply', () => h.out.find((m) => m.action === 'list'));
    assert.deepEqual(
      h.out
        .filter((m) => m.alert === 'raise')
        .map((m) => m.topic as string)
        .sort(),
      [`feed/${AGENT}`, `nr/${AGENT}/agentId=jdoe`, `nr/${AGENT}/agentId=scollins`],
    );
  });

  it('names why it waits for a pumpup when the lifecycle event says it', async () => {
    await helper.load([alertNode], flow());
    const h = attach();
    const status = statusHistory('alert');
    h.send(...pumpup());
    await until('two raises', () => (h.out.length >= 2 ? h.out : undefined));
    h.send(lifecycleMessage(AGENT, 'disconnected', 'm-1', 'the CA', makeCause('tls-untrusted', 'TLS: …')));
    await until('the reason in the status', () => status().at(-1) === `${T}.status.unsynced-why`);
    h.send(...pumpup());
    await until('synced again', () => status().at(-1) === `${T}.status.raised`);
  });

  it('a redeploy restores the raised alerts from the flow context: the next pumpup raises nothing again', async () => {
    await helper.load([alertNode], flow());
    let h = attach();
    h.send(...pumpup());
    await until('two raises', () => (h.out.length >= 2 ? h.out : undefined));
    // A redeploy of the modified node: it is closed (its alerts written) and a new one starts with the same id.
    const stored = flow({ name: 'renamed' });
    await helper.setFlows(stored, 'nodes');
    h = attach();
    h.send(...pumpup());
    h.send({ action: 'list' });
    const list = await until('the list reply', () => h.out.find((m) => m.action === 'list'));
    assert.equal(list.count, 2, 'the alerts were not kept');
    assert.deepEqual(
      h.out.filter((m) => m.alert !== undefined),
      [],
      'an alert was raised again after the redeploy',
    );
    // A wrong msg is reported to Catch nodes.
    h.send({ payload: 'hello' });
    await until('a caught error', () => (h.caught.length > 0 ? h.caught : undefined));
    assert.match((at(h.caught, 0).error as { message: string }).message, /unknown-msg|Not a msg this node takes/);
  });
  describe('on a broker consumer (records and feed health from core mqtt in)', () => {
    const PREFIX = 'avaya/t';
    /** What core mqtt in delivers from a collector's retained topics (payload: a string, output "auto-detect"). */
    function brokerFeed(state: 'live' | 'stale' | 'synchronising'): Msg[] {
      const now = Date.now();
      const record = (agentId: string, measures: Record<string, unknown>): Msg => ({
        topic: recordTopic(PREFIX, AGENT, { agentId }),
        payload: JSON.stringify({ agentId, ...measures }),
        retain: true,
      });
      return [
        record('scollins', {
          agentState: 'NOT_READY',
          nrReasonCodeName: 'Lunch',
          agentDisplayName: 'Siobhan Collins',
          lastStateChangeTimestamp: now - 62 * 60_000 - 5000,
        }),
        record('ready', { agentState: 'READY', agentDisplayName: 'Ready Agent', lastStateChangeTimestamp: now }),
        {
          topic: healthTopic(PREFIX, 'c1', AGENT),
          payload: JSON.stringify({ collector: 'c1', producer: AGENT, state, cause: 'test', since: now }),
          retain: true,
        },
      ];
    }

    it('wired to mqtt in: raises once a collector reports the feed live, raises the feed rule when it goes stale', async () => {
      await helper.load([alertNode], flow());
      const h = attach();
      h.send(...brokerFeed('synchronising'));
      h.send({ action: 'list' });
      const list = await until('the list reply', () => h.out.find((m) => m.action === 'list'));
      assert.equal(list.count, 0, 'nothing raised before the feed is live');
      h.send(brokerFeed('live')[2]!);
      const raise = await until('the raise', () => h.out.find((m) => m.alert === 'raise'));
      assert.equal(raise.topic, `nr/${AGENT}/agentId=scollins`);
      h.send(brokerFeed('stale')[2]!);
      const feed = await until('the feed raise', () => h.out.find((m) => m.topic === `feed/${AGENT}`));
      assert.equal(feed.alert, 'raise');
      assert.equal(h.caught.length, 0, JSON.stringify(h.caught.map((m): unknown => m.error)));
    });

    it('behind a consumer state node: raises once the feed is live', async () => {
      await helper.load(
        [alertNode, stateNode],
        [
          ...flow(),
          stateFlowNode('state', { z: 'tab', wires: [['alert']] }), // the editor's defaults
        ],
      );
      const h = attach();
      const state = helper.getNode('state');
      for (const m of brokerFeed('live')) state.receive(m);
      const raise = await until('the raise', () => h.out.find((m) => m.alert === 'raise'));
      assert.equal(raise.topic, `nr/${AGENT}/agentId=scollins`);
      assert.equal(h.caught.length, 0, JSON.stringify(h.caught.map((m): unknown => m.error)));
    });
  });
});
