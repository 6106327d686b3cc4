// SubscriptionTable on its own: phases, pumpup bookkeeping (long and short end-of-pumpup markers),
// routing and delivery, with a fake clock for the arrival time. No socket, no server.
import assert from 'node:assert/strict';
import type { AnalyticsMessage, FaultCause, SubscriptionState } from '../../../lib/api';
import { newCounters } from '../../../lib/client/counters';
import type { Channel } from '../../../lib/client/subscription';
import { Subscription } from '../../../lib/client/subscription';
import { SubscriptionTable } from '../../../lib/client/subscription-table';
import type { DecodedMessage } from '../../../lib/frames/decode';
import { decodeFrame } from '../../../lib/frames/decode';
import { buildSchema } from '../../../lib/frames/producer-schema';
import type { SubscriptionResponse } from '../../../lib/rest/rest-client';
import { FakeClock } from '../../helpers/fake-clock';

const AGENT = 'Agent_SoD_3.5';
const VDN = 'VDN_SoD_3.5';

function frame(o: Record<string, unknown>): DecodedMessage {
  const f = decodeFrame(JSON.stringify({ realtimeData: {}, ...o }));
  if (f.type !== 'message') throw new Error(`not a message: ${f.type}`);
  return f;
}

const row = (producerId: string | null, dimension: Record<string, string>, extra: Record<string, unknown> = {}) =>
  frame({ dimension, ...(producerId ? { producerId } : {}), ...extra });
const marker = (producerId: string | null) =>
  frame({ dimension: {}, pumpup: true, pumpupComplete: true, ...(producerId ? { producerId } : {}) });

function response(producerId: string): SubscriptionResponse {
  return { sourceId: 'S1', producerId, endpoint: 'wss://h/stream', guid: `guid-${producerId}` };
}

function setup() {
  const clock = new FakeClock();
  const counters = newCounters();
  const ambiguous: string[][] = [];
  const failures: string[] = [];
  const table = new SubscriptionTable(
    counters,
    {
      ambiguous: (_keys, producers) => ambiguous.push(producers),
      listenerFailed: (event, producerId) => failures.push(`${event}:${producerId}`),
    },
    true,
    clock,
  );
  /** A channel with one member that records what it got. */
  const open = (producerId: string) => {
    const channel = table.add(producerId, undefined);
    const sub = new Subscription(channel, null);
    channel.members.add(sub);
    const got = { messages: [] as AnalyticsMessage[], completes: 0, states: [] as SubscriptionState[] };
    sub.on('message', (m) => got.messages.push(m));
    sub.on('pumpupComplete', () => got.completes++);
    sub.on('state', (s) => got.states.push(s));
    return { channel, sub, got };
  };
  /** Posted and redirected: its pumpup runs. */
  const streaming = (channel: Channel) => {
    table.posted(channel, response(channel.producerId));
    table.redirected(channel);
  };
  return { clock, counters, table, open, streaming, ambiguous, failures };
}

describe('lib/client SubscriptionTable', () => {
  it('moves a channel pending → posted → subscribed → ready and tells its members', () => {
    const { table, open, streaming } = setup();
    const { channel, got } = open(AGENT);
    assert.equal(channel.phase, 'pending');
    table.posted(channel, response(AGENT));
    assert.equal(channel.phase, 'posted');
    assert.equal(table.allReady(), false);
    streaming(channel);
    assert.equal(channel.phase, 'subscribed');
    assert.equal(channel.pumping, true);
    assert.equal(table.dispatch(marker(AGENT)), true, 'the marker completed the pumpup');
    assert.equal(channel.phase, 'ready');
    assert.equal(channel.pumping, false);
    assert.equal(got.completes, 1);
    assert.deepEqual(got.states, ['subscribed', 'ready'], "'posted' shows as 'pending', which it was already");
    assert.equal(table.allReady(), true);
    assert.equal(table.dispatch(marker(AGENT)), false, 'a stray marker completes nothing');
    assert.equal(got.completes, 1);
  });

  it('delivers a routed row as an AnalyticsMessage stamped by the clock, a copy to each member but the last', () => {
    const { table, open, clock, counters } = setup();
    const { channel, got } = open(AGENT);
    const second = new Subscription(channel, null);
    channel.members.add(second);
    const seconds: AnalyticsMessage[] = [];
    second.on('message', (m) => seconds.push(m));
    clock.advance(1234);
    table.dispatch(row(AGENT, { agentId: 'a1' }, { realtimeData: { state: 'READY' } }));
    assert.equal(got.messages.length, 1);
    const [m] = got.messages;
    assert.equal(m?.producerId, AGENT);
    assert.equal(m?.kind, 'delta');
    assert.equal(m?.receivedAt, clock.now());
    assert.deepEqual({ ...m?.dimension }, { agentId: 'a1' });
    assert.notEqual(seconds[0], m, 'members get their own objects');
    assert.notEqual(seconds[0]?.dimension, m?.dimension);
    assert.deepEqual({ ...seconds[0]?.measures }, { ...m?.measures });
    assert.equal(counters.messagesDelivered, 1);
    table.dispatch(row(VDN, { routingPointId: '5002' }));
    assert.equal(counters.unroutableMessages, 1, 'a producer nobody subscribed to');
  });

  it('ends the pumpup a short marker belongs to: its last row, else the oldest running', () => {
    const { table, open, streaming } = setup();
    const agent = open(AGENT);
    const vdn = open(VDN);
    streaming(agent.channel);
    streaming(vdn.channel);
    table.dispatch(row(null, { routingPointId: '5001' }, { pumpup: true }));
    assert.equal(vdn.got.messages.length, 1);
    assert.equal(table.dispatch(marker(null)), true);
    assert.equal(vdn.channel.phase, 'ready', 'the marker follows the VDN rows');
    assert.equal(agent.channel.phase, 'subscribed');
    assert.equal(table.dispatch(marker(null)), true);
    assert.equal(agent.channel.phase, 'ready', 'then the oldest running one');
    // A long marker naming a pumpup a short one already ended ends the oldest still running instead.
    table.pumpupRequested(agent.channel);
    table.pumpupRequested(vdn.channel);
    streaming(agent.channel);
    streaming(vdn.channel);
    table.dispatch(row(null, { routingPointId: '5001' }, { pumpup: true }));
    table.dispatch(marker(null)); // ends VDN's
    assert.equal(table.dispatch(marker(VDN)), true);
    assert.equal(agent.channel.phase, 'ready');
  });

  it('counts a row the server pumps up by itself as a running pumpup', () => {
    const { table, open } = setup();
    const { channel, got } = open(AGENT);
    table.posted(channel, response(AGENT));
    table.dispatch(row(AGENT, { agentId: 'a' }, { pumpup: true }));
    assert.equal(channel.pumping, true);
    assert.equal(table.dispatch(marker(AGENT)), true);
    assert.equal(got.completes, 1);
  });

  it('on a loss: every channel not refused needs a POST again, and no pumpup runs', () => {
    const { table, open, streaming } = setup();
    const agent = open(AGENT);
    const vdn = open(VDN);
    streaming(agent.channel);
    const cause: FaultCause = { kind: 'http', value: 403, short: 'HTTP 403', detail: 'licence' };
    table.refused(vdn.channel, 'HTTP 403 licence', cause);
    assert.equal(table.anyRefused(), true);
    assert.equal(table.refusalCause(), cause);
    assert.equal(table.failureSummary(), '1 subscription(s) refused: VDN_SoD_3.5 (HTTP 403 licence)');
    assert.deepEqual(vdn.got.states, ['failed']);
    table.lost('socket closed');
    assert.equal(agent.channel.phase, 'pending');
    assert.equal(agent.channel.response, null);
    assert.equal(agent.sub.lastReason, 'socket closed');
    assert.equal(vdn.channel.phase, 'failed', 'a refusal outlives the connection');
    assert.equal(table.dispatch(marker(AGENT)), false, 'the pumpup ended with the socket');
    assert.equal(table.hasWork(), true);
  });

  it('marks refused channels with members due for a retry, and has work only then', () => {
    const { table, open } = setup();
    const { channel } = open(VDN);
    table.refused(channel, 'HTTP 404', { kind: 'http', value: 404, short: 'HTTP 404', detail: '404' });
    assert.equal(table.hasWork(), false, 'a refused channel waits for its retry');
    assert.equal(table.retryRefused(), true);
    assert.equal(channel.retryDue, true);
    assert.equal(table.hasWork(), true);
    channel.members.clear();
    channel.retryDue = false;
    assert.equal(table.retryRefused(), false, 'nobody listens: no retry');
  });

  it('forgets a removed channel: no routing, no pumpup', () => {
    const { table, open, streaming, counters } = setup();
    const { channel, got } = open(AGENT);
    streaming(channel);
    table.remove(channel);
    assert.equal(channel.removed, true);
    assert.equal(table.get(AGENT), undefined);
    assert.deepEqual(table.list(), []);
    table.dispatch(row(AGENT, { agentId: 'a' }));
    assert.equal(got.messages.length, 0);
    assert.equal(counters.unroutableMessages, 1);
    assert.equal(channel.pumping, false);
  });

  it('delivers an ambiguous short-form row to every candidate, flagged, and reports it', () => {
    const { table, open, ambiguous, counters } = setup();
    const ag = open('AgentGroup_SoD_3.5');
    const rsg = open('RoutingServiceGroup_SoD_3.5');
    table.setSchema(ag.channel, buildSchema('AgentGroup_SoD_3.5', ['groupId'], [{ name: 'acwDuration' }]));
    table.setSchema(rsg.channel, buildSchema('RoutingServiceGroup_SoD_3.5', ['groupId'], [{ name: 'acwDuration' }]));
    table.dispatch(row(null, { groupId: 'g' }, { realtimeData: { acwDuration: 5 } }));
    assert.equal(ag.got.messages[0]?.ambiguous, true);
    assert.equal(rsg.got.messages[0]?.ambiguous, true);
    assert.notEqual(ag.got.messages[0]?.measures, rsg.got.messages[0]?.measures);
    assert.deepEqual(ambiguous, [['AgentGroup_SoD_3.5', 'RoutingServiceGroup_SoD_3.5']]);
    assert.equal(counters.ambiguousMessages, 1);
  });

  it('reports a throwing listener and still delivers to the other members', () => {
    const { table, open, failures } = setup();
    const { channel, got } = open(AGENT);
    const thrower = new Subscription(channel, null);
    thrower.on('message', () => {
      throw new Error('listener bug');
    });
    channel.members.add(thrower);
    table.dispatch(row(AGENT, { agentId: 'a' }));
    assert.equal(got.messages.length, 1);
    assert.deepEqual(failures, [`message:${AGENT}`]);
  });

  it('counts JSON heartbeats without routing them', () => {
    const { table, counters } = setup();
    const hb = decodeFrame('{"dimension":{},"realtimeData":{},"heartbeat":true}') as DecodedMessage;
    assert.equal(hb.kind, 'heartbeat');
    assert.equal(table.dispatch(hb), false);
    assert.equal(counters.heartbeatsReceived, 1);
    assert.equal(counters.unroutableMessages, 0);
  });

  it('names the types of the one producer a frame goes to, so the decoder normalizes once; none when several could', () => {
    const { table, open, streaming } = setup();
    const declared = (producerId: string, measures: Array<{ name: string; type: string }>) =>
      buildSchema(producerId, ['groupId'], measures);
    const ag = open('AgentGroup_SoD_3.5');
    const rsg = open('RoutingServiceGroup_SoD_3.5');
    const agent = open(AGENT);
    table.setSchema(ag.channel, declared('AgentGroup_SoD_3.5', [{ name: 'agentsReady', type: 'NUMBER' }]));
    table.setSchema(
      rsg.channel,
      declared('RoutingServiceGroup_SoD_3.5', [{ name: 'contactsWaiting', type: 'STRING' }]),
    );
    table.setSchema(agent.channel, buildSchema(AGENT, ['agentId'], [{ name: 'n', type: 'NUMBER' }]));
    for (const c of [ag, rsg, agent]) streaming(c.channel);
    const typesOf = table.measureTypesOf;
    assert.ok(typesOf !== undefined);
    const decode = (text: string) => decodeFrame(text, false, Infinity, typesOf) as DecodedMessage;

    // One producer: normalized in the decoder, delivered as such.
    const one = decode('{"dimension":{"agentId":"a"},"realtimeData":{"n":"5","u":"UNKNOWN"}}');
    assert.equal(one.normalizedWith, agent.channel.schema.measureTypes);
    table.dispatch(one);
    assert.deepEqual({ ...agent.got.messages[0]!.measures }, { n: 5, u: null });

    // groupId: two producers could take it, so the decoder leaves it; each target normalizes its own copy.
    const shared = decode('{"dimension":{"groupId":"1"},"realtimeData":{"agentsReady":"7","contactsWaiting":"7"}}');
    assert.equal(shared.normalizedWith, null);
    table.dispatch(shared);
    assert.deepEqual({ ...ag.got.messages[0]!.measures }, { agentsReady: 7, contactsWaiting: '7' });
    assert.deepEqual({ ...rsg.got.messages[0]!.measures }, { agentsReady: '7', contactsWaiting: '7' });
    const narrowed = decode('{"dimension":{"groupId":"1"},"realtimeData":{"agentsReady":"8"}}');
    table.dispatch(narrowed);
    assert.deepEqual({ ...ag.got.messages[1]!.measures }, { agentsReady: 8 }, 'narrowed by its measures: normalized');

    // normalize: false: no types, so nothing is normalized anywhere.
    const raw = new SubscriptionTable(
      newCounters(),
      { ambiguous: () => {}, listenerFailed: () => {} },
      false,
      new FakeClock(),
    );
    assert.equal(raw.measureTypesOf, undefined);
  });
});
