import assert from 'node:assert/strict';
import type { AnalyticsMessage, SubscriptionState } from '../../../lib/api';
import { Channel, publicState, Subscription } from '../../../lib/client/subscription';
import type { SubscriptionOwner } from '../../../lib/client/subscription';

function recorder(s: Subscription): Array<[SubscriptionState, string | undefined]> {
  const states: Array<[SubscriptionState, string | undefined]> = [];
  s.on('state', (state, reason) => states.push([state, reason]));
  return states;
}

describe('lib/client/subscription', () => {
  it('publicState shows posted as pending and every other phase as itself', () => {
    assert.equal(publicState('posted'), 'pending');
    for (const p of ['pending', 'subscribed', 'ready', 'failed'] as const) assert.equal(publicState(p), p);
  });

  it('a Channel starts pending with the fallback schema and the requested source', () => {
    const c = new Channel('Agent_SoD_3.5', 'S1');
    assert.deepEqual([c.phase, c.sourceId, c.response, c.pumping, c.removed], ['pending', 'S1', null, false, false]);
    assert.deepEqual(c.schema.dimensions, ['agentId']);
    assert.equal(new Channel('X', undefined).sourceId, '');
  });

  it('setPhase tells every member once per change of public state; a new reason is recorded silently', () => {
    const c = new Channel('P', undefined);
    const a = new Subscription(c, null);
    const b = new Subscription(c, null);
    c.members.add(a).add(b);
    const sa = recorder(a);
    const sb = recorder(b);
    c.setPhase('posted'); // still "pending" publicly
    c.setPhase('subscribed', 'redirect sent');
    c.setPhase('subscribed', 'again');
    c.setPhase('failed', 'HTTP 403');
    assert.deepEqual(sa, [
      ['subscribed', 'redirect sent'],
      ['failed', 'HTTP 403'],
    ]);
    assert.deepEqual(sb, sa);
    assert.equal(a.lastReason, 'HTTP 403');
    assert.equal(c.phase, 'failed');
  });

  it('failureCause is the channel cause only while failed', () => {
    const c = new Channel('P', undefined);
    const s = new Subscription(c, null);
    c.cause = { kind: 'http', short: 'HTTP 403', detail: 'd', value: 403 };
    assert.equal(s.failureCause, null);
    s.setState('failed', 'x');
    assert.equal(s.failureCause, c.cause);
  });

  it("a 'state' listener that throws is reported to the owner; the state change itself completes", () => {
    const failed: Array<[string, string, unknown]> = [];
    const owner: SubscriptionOwner = {
      requestPumpup: () => Promise.resolve(),
      listenerFailed: (event, producerId, err) => failed.push([event, producerId, err]),
    };
    const s = new Subscription(new Channel('P', undefined), owner);
    const boom = new Error('listener bug');
    s.on('state', () => {
      throw boom;
    });
    assert.doesNotThrow(() => s.setState('ready'));
    assert.equal(s.state, 'ready');
    assert.doesNotThrow(() => s.setState('closed', 'unsubscribed'));
    assert.equal(s.state, 'closed');
    assert.deepEqual(failed, [
      ['state', 'P', boom],
      ['state', 'P', boom],
    ]);
  });

  it('closed is final: no more state changes, and requestPumpup does not reach the owner', async () => {
    const asked: Channel[] = [];
    const owner: SubscriptionOwner = {
      requestPumpup: (ch) => {
        asked.push(ch);
        return Promise.resolve();
      },
      listenerFailed: () => assert.fail('no listener threw'),
    };
    const c = new Channel('P', 'S');
    const s = new Subscription(c, owner);
    await s.requestPumpup();
    assert.deepEqual(asked, [c]);
    const states = recorder(s);
    s.setState('closed');
    s.setState('ready');
    assert.equal(s.state, 'closed');
    assert.deepEqual(states, [['closed', undefined]]);
    await s.requestPumpup();
    assert.equal(asked.length, 1);
    await new Subscription(c, null).requestPumpup(); // no owner: resolves, nothing to ask
  });

  it('exposes the channel ids and relays messages and pumpupComplete', () => {
    const c = new Channel('P', undefined);
    const s = new Subscription(c, null);
    c.sourceId = 'Learned';
    assert.deepEqual([s.producerId, s.sourceId, s.state], ['P', 'Learned', 'pending']);
    const got: unknown[] = [];
    s.on('message', (m) => got.push(m));
    s.on('pumpupComplete', () => got.push('complete'));
    const msg = { kind: 'delta' } as AnalyticsMessage;
    s.deliver(msg);
    s.pumpupComplete();
    assert.deepEqual(got, [msg, 'complete']);
  });
});
