// avaya-analytics-mqtt in node-red-node-test-helper: the msgs it gives core mqtt out for a state node's
// changes and lifecycle events, what it skips, and what it refuses. (The real broker: test/mqtt/.)
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { healthTopic, PublishMessageObject, recordTopic } from '../../lib/broker';
import registerMqtt from '../../nodes/avaya-analytics-mqtt/avaya-analytics-mqtt';
import { collect, helper, unload, type NodeMessage } from '../helpers/node-red-test-helper';
import { until, sleep } from '../helpers/wait';

const mqttNode: unknown = registerMqtt;
const P = 'Agent_SoD_3.5';

function flow(props: Record<string, unknown> = {}): Record<string, unknown>[] {
  return [
    { id: 'fmt', type: 'avaya-analytics-mqtt', prefix: 'avaya/t', collector: 'c1', ...props, wires: [['out']] },
    { id: 'out', type: 'helper' },
  ];
}

const change = (
  agentId: string,
  payload: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): NodeMessage => ({
  topic: `${P}/agentId=${agentId}`,
  payload,
  producer: P,
  dimension: { agentId },
  eventAction: 'UPSERT',
  changed: Object.keys(payload),
  previous: {},
  synced: true,
  ...extra,
});

describe('avaya-analytics-mqtt', () => {
  afterEach(unload);

  it('sends the record retained (sorted, no timeInStateMs), an empty retained payload for a DELETE, and deltas only when asked', async () => {
    await helper.load([mqttNode], flow({ deltas: true, qos: 2 }));
    const out = collect('out');
    const fmt = helper.getNode('fmt');
    fmt.receive(change('a/b', { agentState: 'READY', timeInStateMs: 5, agentId: 'a/b' }, { changed: ['agentState'] }));
    fmt.receive(change('a/b', {}, { eventAction: 'DELETE', evicted: true, changed: [] }));
    await until('three msgs', () => out.length === 3);
    const topic = recordTopic('avaya/t', P, { agentId: 'a/b' });
    assert.deepEqual(
      out.map((m): unknown[] => [m.topic, m.payload, m.retain, m.qos]),
      [
        [topic, '{"agentId":"a/b","agentState":"READY"}', true, 2],
        ['avaya/t/delta/Agent_SoD_3.5/agentId=a%2Fb', '{"agentState":"READY"}', false, 0],
        [topic, '', true, 2],
      ],
    );
    assert.equal(out[0]!.userProperties, undefined, 'no MQTT 5 properties unless asked');
  });

  it('makes its publishes with PublishMessageObject, not an object literal that V8 may pretenure (lib/broker.ts)', async () => {
    // V8's own answer: functions compiled after this flag may ask whether two objects share a hidden class.
    setFlagsFromString('--allow-natives-syntax');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- V8's natives, see above
    const sameClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    await helper.load([mqttNode], flow({ deltas: true }));
    const out = collect('out');
    const fmt = helper.getNode('fmt');
    fmt.receive(change('a', { agentState: 'READY' }));
    fmt.receive(change('a', {}, { eventAction: 'DELETE', changed: [] }));
    await until('three msgs', () => out.length === 3);
    // The record and the clear; the delta comes second in its send, and Node-RED hands on a copy of it.
    for (const msg of [out[0]!, out[2]!]) {
      const made = new PublishMessageObject('t', 'p', false, 0) as unknown as Record<string, unknown>;
      made._msgid = 'm'; // as Node.send adds it
      assert.equal(sameClass(msg, made), true, `${String(msg.topic)}: the hidden class of PublishMessageObject's`);
    }
  });

  it('adds MQTT 5 user properties and the delta expiry when asked', async () => {
    await helper.load([mqttNode], flow({ deltas: true, mqtt5: true, expiry: 30 }));
    const out = collect('out');
    helper.getNode('fmt').receive(change('x', { agentState: 'READY' }));
    await until('two msgs', () => out.length === 2);
    assert.deepEqual(out[0]!.userProperties, { collector: 'c1', producer: P });
    assert.deepEqual(out[1]!.userProperties, { collector: 'c1', producer: P, eventAction: 'UPSERT', pumpup: 'false' });
    assert.equal(out[1]!.messageExpiryInterval, 30);
  });

  it('publishes the feed health per producer once per state, retained', async () => {
    await helper.load([mqttNode], flow());
    const out = collect('out');
    const fmt = helper.getNode('fmt');
    const event = (control: string, synced: boolean, reason?: string, short?: string) => ({
      topic: P,
      producer: P,
      control,
      synced,
      payload: { state: control, at: 1000, ...(reason ? { reason } : {}), ...(short ? { cause: { short } } : {}) },
    });
    for (const m of [
      event('subscribed', false),
      event('connected', false),
      event('pumpupComplete', true),
      event('ready', true),
      event('disconnected', false, 'socket closed'),
      event('stale', false, 'no frame for 24000 ms on wss://host/ws', 'no heartbeat'),
    ])
      fmt.receive(m);
    await until('four health msgs', () => out.length === 4);
    assert.ok(out.every((m) => m.topic === healthTopic('avaya/t', 'c1', P) && m.retain === true));
    assert.deepEqual(
      out.map((m): unknown => JSON.parse(m.payload as string)),
      [
        { collector: 'c1', producer: P, state: 'synchronising', cause: 'subscribed', since: 1000 },
        { collector: 'c1', producer: P, state: 'live', cause: 'pumpupComplete', since: 1000 },
        { collector: 'c1', producer: P, state: 'disconnected', cause: 'disconnected: socket closed', since: 1000 },
        { collector: 'c1', producer: P, state: 'stale', cause: 'stale: no heartbeat', since: 1000 },
      ],
    );
  });

  it('skips a record the broker already holds (mqtt in on its record tree), and publishes one that differs', async () => {
    await helper.load([mqttNode], flow());
    const out = collect('out');
    const fmt = helper.getNode('fmt');
    const topic = recordTopic('avaya/t', P, { agentId: 'x' });
    fmt.receive({ topic, payload: '{"agentId":"x","agentState":"READY"}', retain: true, qos: 1 }); // mqtt in, utf8
    fmt.receive({ topic: healthTopic('avaya/t', 'c2', P), payload: '{"collector":"c2"}', retain: true }); // ignored
    fmt.receive(change('x', { agentId: 'x', agentState: 'READY' }));
    fmt.receive(change('x', { agentId: 'x', agentState: 'NOT_READY' }));
    fmt.receive(change('x', { agentId: 'x', agentState: 'NOT_READY' }));
    await until('one record', () => out.length >= 1);
    await sleep(100);
    assert.deepEqual(
      out.map((m): unknown => m.payload),
      ['{"agentId":"x","agentState":"NOT_READY"}'],
      'the held record and the repeat are skipped',
    );
  });

  it('once it has published on a topic, skips only a repeat of its own last publish: a newer held record may be overwritten by an older one of ours still on its way', async () => {
    await helper.load([mqttNode], flow());
    const out = collect('out');
    const fmt = helper.getNode('fmt');
    const topic = recordTopic('avaya/t', P, { agentId: 'x' });
    const record = (state: string): string => `{"agentId":"x","agentState":"${state}"}`;
    const held = (state: string): void => fmt.receive({ topic, payload: record(state), retain: true, qos: 1 });
    held('READY'); // the broker's record when the mirror starts
    fmt.receive(change('x', { agentId: 'x', agentState: 'NOT_READY' })); // published: on its way to the broker
    // The other collector, ahead of us, publishes the same change and the next one; both reach our mirror before our
    // own NOT_READY reaches the broker, where it will overwrite the other's BUSY.
    held('NOT_READY');
    held('BUSY');
    fmt.receive(change('x', { agentId: 'x', agentState: 'BUSY' }));
    fmt.receive(change('x', { agentId: 'x', agentState: 'BUSY' })); // a repeat of our own last publish
    // Deleted, then back with the record the broker held before: the clear we published comes after that record.
    fmt.receive(change('x', {}, { eventAction: 'DELETE', changed: [] }));
    fmt.receive(change('x', { agentId: 'x', agentState: 'BUSY' }));
    await until('four msgs', () => out.length >= 4);
    await sleep(100);
    assert.deepEqual(
      out.map((m): unknown => m.payload),
      [record('NOT_READY'), record('BUSY'), '', record('BUSY')],
    );
  });

  it('falls back to the default prefix for an unusable one, and refuses a msg that is not a state node output', async () => {
    await helper.load([mqttNode], flow({ prefix: 'a/+/b' }));
    const out = collect('out');
    const fmt = helper.getNode('fmt');
    const errors: unknown[] = [];
    fmt.on('call:error', (call: { args: unknown[] }) => errors.push(call.args[0]));
    fmt.receive(change('x', { agentState: 'READY' }));
    await until('a record', () => out.length === 1);
    assert.match(out[0]!.topic as string, /^avaya\/default\/record\//);
    fmt.receive({ payload: 42 });
    await until('an error', () => errors.length === 1);
    fmt.receive({ action: 'snapshot', payload: {} }); // a query reply: passed over quietly
    await sleep(50);
    assert.equal(errors.length, 1);
    assert.equal(out.length, 1);
  });
});
