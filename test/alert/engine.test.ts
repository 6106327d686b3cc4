// The alert engine with an injected clock: durations by reason, repeat, clear delay, DELETE and
// eviction, reconnect and resync, restore (redeploy), feed-health rules, skew, and one timer for all.
import assert from 'node:assert/strict';
import { at } from '../state/fixtures/at';
import {
  AlertEngine,
  parseDuration,
  parseRules,
  Scheduler,
  type AlertEvent,
  type RuleDef,
} from '../../lib/alert/index';
import { dataMsg } from '../helpers/contract-messages';
import { FakeClock } from '../helpers/fake-clock';

const AGENT = 'Agent_SoD_3.5';
const MIN = 60_000;

const NOT_READY: RuleDef = {
  id: 'nr',
  name: 'Not ready too long',
  field: 'agentState',
  op: 'eq',
  value: 'NOT_READY',
  duration: '10m',
  durationBy: 'nrReasonCodeName',
  durations: [
    { value: 'Lunch', duration: '60m' },
    { value: 'Break', duration: '15m' },
  ],
};

function setup(defs: RuleDef[], clock = new FakeClock()) {
  const { rules, problems } = parseRules(defs);
  assert.deepEqual(
    problems.map((p) => p.message),
    [],
  );
  const events: AlertEvent[] = [];
  const engine = new AlertEngine(rules, { clock, emit: (e) => events.push(e) });
  const agent = (
    id: string,
    measures: Record<string, unknown>,
    options: { pumpup?: boolean; eventAction?: 'UPSERT' | 'DELETE' } = {},
  ) => engine.data(dataMsg({ agentId: id }, measures, { producer: AGENT, ...options }) as never);
  const control = (event: string) => engine.lifecycle(event, AGENT, clock.now());
  const kinds = () => events.map((e) => `${e.alert} ${e.id}`);
  return { engine, clock, events, agent, control, kinds };
}

/** A view synced with the given agents (subscribed, pumpup rows, pumpupComplete). */
function synced(s: ReturnType<typeof setup>, agents: Record<string, Record<string, unknown>>): void {
  s.control('subscribed');
  for (const [id, m] of Object.entries(agents)) s.agent(id, m, { pumpup: true });
  s.control('pumpupComplete');
}

const nr = (clock: FakeClock, reason: string, agoMs = 0) => ({
  agentState: 'NOT_READY',
  nrReasonCodeName: reason,
  agentDisplayName: 'Siobhan Collins',
  lastStateChangeTimestamp: clock.now() - agoMs,
});

describe('alert engine', () => {
  it('parses durations: units, combinations, bare seconds, and refuses nonsense', () => {
    assert.equal(parseDuration('10m'), 600_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('90'), 90_000);
    assert.equal(parseDuration('10 min'), 600_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration(''), 0);
    assert.ok(Number.isNaN(parseDuration('soon')));
    const { rules, problems } = parseRules([
      { id: 'x', field: 'a', op: 'gt', value: 'many' },
      { id: 'y', field: '', value: '1' },
      NOT_READY,
    ]);
    assert.deepEqual(
      rules.map((r) => r.id),
      ['nr'],
    );
    assert.deepEqual(
      problems.map((p) => p.key),
      ['not-a-number', 'no-field'],
    );
  });

  it("an agent kept NOT_READY with reason Lunch raises at its reason's limit (60 min), not at the default (10 min), with no delta after minute 0", () => {
    const s = setup([NOT_READY]);
    synced(s, { scollins: nr(s.clock, 'Lunch') });
    s.clock.advance(10 * MIN + 1000);
    assert.deepEqual(s.kinds(), [], 'raised at the default limit');
    s.clock.advance(50 * MIN - 1000 - 1);
    assert.deepEqual(s.kinds(), []);
    s.clock.advance(1);
    assert.deepEqual(s.kinds(), [`raise nr/${AGENT}/agentId=scollins`]);
    const e = at(s.events, 0);
    assert.equal(e.limitMs, 60 * MIN);
    assert.equal(e.value, 'NOT_READY');
    assert.equal(e.by, 'Lunch');
    assert.equal(e.at - e.since, 60 * MIN);
    assert.equal(e.record!.agentDisplayName, 'Siobhan Collins');
    // Another reason takes the default.
    const t = setup([NOT_READY]);
    synced(t, { a: nr(t.clock, 'Coffee') });
    t.clock.advance(10 * MIN);
    assert.equal(t.kinds().length, 1);
  });

  it("starts the duration at the entity's own state timestamp: NOT_READY for 9 min at start raises 1 min later", () => {
    const s = setup([NOT_READY]);
    synced(s, { a: nr(s.clock, 'Coffee', 9 * MIN) });
    s.clock.advance(MIN - 1);
    assert.equal(s.events.length, 0);
    s.clock.advance(1);
    assert.equal(s.events.length, 1);
    // Already over the limit at the pumpup: raised at pumpupComplete.
    const t = setup([NOT_READY]);
    synced(t, { a: nr(t.clock, 'Coffee', 12 * MIN) });
    assert.deepEqual(t.kinds(), [`raise nr/${AGENT}/agentId=a`]);
  });

  it("corrects for clock skew: the producer's clock 5 min ahead does not shorten the duration", () => {
    const s = setup([NOT_READY]);
    synced(s, { a: { agentState: 'READY', lastStateChangeTimestamp: s.clock.now() } });
    // Live state changes stamped 5 min ahead of Node-RED's clock teach the offset.
    for (let i = 0; i < 5; i++) {
      s.agent('a', { agentState: i % 2 ? 'READY' : 'BUSY', lastStateChangeTimestamp: s.clock.now() + 5 * MIN + i });
      s.clock.advance(1000);
    }
    s.agent('b', { ...nr(s.clock, 'Coffee'), lastStateChangeTimestamp: s.clock.now() + 5 * MIN });
    s.clock.advance(10 * MIN - 1000);
    assert.equal(s.events.length, 0, 'raised early');
    s.clock.advance(1000);
    assert.equal(s.events.length, 1);
    // Without samples, a timestamp in the future is capped at now.
    const t = setup([NOT_READY]);
    synced(t, {});
    t.agent('b', { ...nr(t.clock, 'Coffee'), lastStateChangeTimestamp: t.clock.now() + 30 * MIN });
    t.clock.advance(10 * MIN);
    assert.equal(t.events.length, 1, 'a future timestamp delayed the alert');
  });

  it('learns no clock skew from whole records (a broker record, a state node output whose state did not change)', () => {
    const s = setup([NOT_READY]);
    synced(s, {});
    const old = { ...nr(s.clock, 'Coffee', 11 * MIN) };
    // A record of an agent NOT_READY for 11 min, as a broker holds it, then as a state node sends it after a
    // counter changed: neither went out when the state changed, so neither says the clocks are 11 min apart.
    s.engine.data({ ...dataMsg({ agentId: 'a' }, old, { producer: AGENT }), record: true } as never);
    s.engine.data({ ...dataMsg({ agentId: 'b' }, old, { producer: AGENT }), changed: ['offered'] } as never);
    assert.deepEqual(s.kinds(), [`raise nr/${AGENT}/agentId=a`, `raise nr/${AGENT}/agentId=b`]);
  });

  it("a broker consumer's feed health: evaluates only while the feed is live, and feeds the feed rules", () => {
    const s = setup([NOT_READY, { id: 'feed', kind: 'feed', duration: '1m' }]);
    const broker = (id: string, m: Record<string, unknown>) =>
      s.engine.data({ ...dataMsg({ agentId: id }, m, { producer: AGENT }), record: true } as never);
    broker('a', nr(s.clock, 'Coffee', 11 * MIN));
    s.engine.health(AGENT, 'synchronising');
    assert.deepEqual(s.kinds(), [], 'not live: not synced, nothing evaluated');
    s.engine.health(AGENT, 'live');
    assert.deepEqual(s.kinds(), [`raise nr/${AGENT}/agentId=a`]);
    s.engine.health(AGENT, 'stale');
    assert.equal(s.engine.store.isSynced(AGENT), false);
    s.clock.advance(MIN);
    assert.deepEqual(s.kinds().slice(1), [`raise feed/${AGENT}`]);
    s.engine.health(AGENT, 'live');
    assert.deepEqual(s.kinds().slice(2), [`clear feed/${AGENT}`]);
  });

  it('repeats after its interval, stops repeating once acknowledged, and still clears', () => {
    const s = setup([{ ...NOT_READY, repeat: '5m' }]);
    synced(s, { a: nr(s.clock, 'Coffee') });
    s.clock.advance(10 * MIN);
    s.clock.advance(5 * MIN);
    s.clock.advance(5 * MIN);
    const id = `nr/${AGENT}/agentId=a`;
    assert.deepEqual(s.kinds(), [`raise ${id}`, `repeat ${id}`, `repeat ${id}`]);
    assert.equal(at(s.events, 2).repeats, 2);
    assert.equal(s.engine.ack(id)?.acked, true);
    s.clock.advance(30 * MIN);
    assert.equal(s.events.length, 3, 'an acknowledged alert repeated');
    s.agent('a', { agentState: 'READY' });
    assert.deepEqual(s.kinds().slice(3), [`clear ${id}`]);
    assert.equal(at(s.events, 3).acked, true);
  });

  it('clears on READY only after the clear delay: a short READY neither clears nor raises again', () => {
    const s = setup([{ ...NOT_READY, clearDelay: '30s' }]);
    synced(s, { a: nr(s.clock, 'Coffee') });
    s.clock.advance(10 * MIN);
    s.agent('a', { agentState: 'READY', lastStateChangeTimestamp: s.clock.now() });
    s.clock.advance(5000);
    s.agent('a', { agentState: 'NOT_READY', lastStateChangeTimestamp: s.clock.now() });
    s.clock.advance(5 * MIN);
    const id = `nr/${AGENT}/agentId=a`;
    assert.deepEqual(s.kinds(), [`raise ${id}`]);
    s.agent('a', { agentState: 'READY', lastStateChangeTimestamp: s.clock.now() });
    s.clock.advance(30_000 - 1);
    assert.deepEqual(s.kinds(), [`raise ${id}`]);
    s.clock.advance(1);
    assert.deepEqual(s.kinds(), [`raise ${id}`, `clear ${id}`]);
    assert.equal(at(s.events, 1).reason, 'condition');
    assert.equal(s.engine.raised, 0);
  });

  it('clears at once on DELETE and on eviction by a pumpup, whatever the clear delay', () => {
    const s = setup([{ ...NOT_READY, clearDelay: '5m' }]);
    synced(s, { a: nr(s.clock, 'Coffee', 11 * MIN), b: nr(s.clock, 'Coffee', 11 * MIN) });
    assert.equal(s.events.length, 2);
    s.agent('a', {}, { eventAction: 'DELETE' });
    assert.deepEqual(
      s.events.slice(2).map((e) => [e.alert, e.key, e.reason]),
      [['clear', `${AGENT}/agentId=a`, 'deleted']],
    );
    // Reconnect; the pumpup no longer contains b.
    s.control('disconnected');
    s.control('connected');
    s.control('pumpupComplete');
    assert.deepEqual(
      s.events.slice(3).map((e) => [e.alert, e.key, e.reason]),
      [['clear', `${AGENT}/agentId=b`, 'evicted']],
    );
    assert.equal(at(s.events, 3).record!.agentDisplayName, 'Siobhan Collins', 'the clear carries the last record');
  });

  it('leaving the scope clears: a rule on one group stops holding when the agent moves out', () => {
    const s = setup([{ ...NOT_READY, scopeField: 'agentGroup', scopeOp: 'in', scopeValue: 'Sales, Support' }]);
    synced(s, {
      a: { ...nr(s.clock, 'Coffee', 11 * MIN), agentGroup: 'Sales' },
      b: { ...nr(s.clock, 'Coffee', 11 * MIN), agentGroup: 'Billing' },
    });
    assert.deepEqual(s.kinds(), [`raise nr/${AGENT}/agentId=a`]);
    s.agent('a', { agentGroup: 'Billing' });
    assert.deepEqual(s.kinds().slice(1), [`clear nr/${AGENT}/agentId=a`]);
  });

  it('a socket drop and resync with the agent still NOT_READY: no second raise, and nothing is lost', () => {
    const s = setup([NOT_READY]);
    synced(s, { a: nr(s.clock, 'Coffee', 11 * MIN), c: nr(s.clock, 'Coffee', 2 * MIN) });
    assert.equal(s.events.length, 1);
    const stamp = s.clock.now() - 11 * MIN;
    s.control('disconnected');
    s.clock.advance(10 * MIN); // c's limit passes while the view is not synced: nothing is evaluated
    assert.equal(s.events.length, 1, 'evaluated while not synced');
    s.control('connected');
    // A half-finished pumpup: a row says a is READY (stale data), then the right row arrives.
    s.agent('c', { agentState: 'NOT_READY', lastStateChangeTimestamp: s.clock.now() - 12 * MIN }, { pumpup: true });
    assert.equal(s.events.length, 1);
    s.agent(
      'a',
      { agentState: 'NOT_READY', nrReasonCodeName: 'Coffee', lastStateChangeTimestamp: stamp },
      { pumpup: true },
    );
    s.control('pumpupComplete');
    assert.deepEqual(s.kinds(), [`raise nr/${AGENT}/agentId=a`, `raise nr/${AGENT}/agentId=c`]);
    // The same event over a second wire, or a second resync with the same data: still nothing.
    s.control('pumpupComplete');
    s.control('subscribed');
    s.agent(
      'a',
      { agentState: 'NOT_READY', nrReasonCodeName: 'Coffee', lastStateChangeTimestamp: stamp },
      { pumpup: true },
    );
    s.agent('c', { agentState: 'NOT_READY', lastStateChangeTimestamp: s.clock.now() - 12 * MIN }, { pumpup: true });
    s.control('pumpupComplete');
    assert.equal(s.events.length, 2);
  });

  it('does not raise from a view that is not synced yet (a pumpup in progress)', () => {
    const s = setup([NOT_READY]);
    s.control('subscribed');
    s.agent('a', nr(s.clock, 'Coffee', 20 * MIN), { pumpup: true });
    s.clock.advance(MIN);
    assert.equal(s.events.length, 0);
    s.control('pumpupComplete');
    assert.equal(s.events.length, 1);
  });

  it('a redeploy (restore of the persisted episodes into a new engine): no second raise, and it clears when it stops holding', () => {
    const s = setup([{ ...NOT_READY, repeat: '30m' }]);
    synced(s, { a: nr(s.clock, 'Coffee', 11 * MIN), b: nr(s.clock, 'Coffee', 5 * MIN) });
    assert.equal(s.events.length, 1);
    const saved = JSON.parse(JSON.stringify(s.engine.toPersisted())) as unknown;
    s.engine.stop();

    const t = setup([{ ...NOT_READY, repeat: '30m' }], s.clock);
    assert.equal(t.engine.restore(saved), 2);
    assert.equal(t.engine.raised, 1);
    s.clock.advance(MIN);
    synced(t, { a: nr(s.clock, 'Coffee', 12 * MIN), b: nr(s.clock, 'Coffee', 6 * MIN) });
    assert.deepEqual(t.kinds(), [], 'raised again after the redeploy');
    s.clock.advance(4 * MIN);
    assert.deepEqual(t.kinds(), [`raise nr/${AGENT}/agentId=b`], 'the pending episode was lost');
    s.clock.advance(24 * MIN); // a: raised 29 min ago (before the redeploy), a reminder every 30 min
    assert.deepEqual(t.kinds(), [`raise nr/${AGENT}/agentId=b`]);
    s.clock.advance(MIN);
    assert.deepEqual(t.kinds().slice(1), [`repeat nr/${AGENT}/agentId=a`]);
    t.agent('a', { agentState: 'READY' });
    assert.deepEqual(t.kinds().slice(2), [`clear nr/${AGENT}/agentId=a`]);
  });

  it('a restored alert whose entity is gone after the restart clears as evicted', () => {
    const s = setup([NOT_READY]);
    synced(s, { a: nr(s.clock, 'Coffee', 11 * MIN) });
    const t = setup([NOT_READY], s.clock);
    t.engine.restore(s.engine.toPersisted());
    synced(t, {});
    assert.deepEqual(
      t.events.map((e) => [e.alert, e.reason]),
      [['clear', 'evicted']],
    );
  });

  it('a stale feed raises the feed-health rule after its duration and clears when the feed is live again', () => {
    const s = setup([{ id: 'feed', kind: 'feed', duration: '2m' }]);
    synced(s, {});
    s.control('stale');
    s.clock.advance(2 * MIN - 1);
    assert.equal(s.events.length, 0);
    s.control('disconnected'); // still down, since the stale event
    s.clock.advance(1);
    assert.deepEqual(s.kinds(), [`raise feed/${AGENT}`]);
    assert.equal(at(s.events, 0).value, 'disconnected');
    s.control('connected');
    assert.equal(s.events.length, 1);
    s.control('pumpupComplete');
    assert.deepEqual(s.kinds().slice(1), [`clear feed/${AGENT}`]);
    // A short outage raises nothing.
    s.control('stale');
    s.clock.advance(MIN);
    s.control('ready');
    s.clock.advance(10 * MIN);
    assert.equal(s.events.length, 2);
  });

  it('a refused subscription ("failed") holds the feed-health rule; a deliberate "unsubscribed" does not', () => {
    const s = setup([{ id: 'feed', kind: 'feed', duration: '1m' }]);
    synced(s, {});
    s.control('failed');
    s.clock.advance(MIN);
    assert.deepEqual(s.kinds(), [`raise feed/${AGENT}`]);
    assert.equal(at(s.events, 0).value, 'failed');
    s.control('subscribed');
    s.control('pumpupComplete');
    assert.deepEqual(s.kinds().slice(1), [`clear feed/${AGENT}`]);
    s.control('unsubscribed');
    s.clock.advance(10 * MIN);
    assert.equal(s.events.length, 2);
  });

  it('numeric rules: contactsWaiting > 5 for 30 s raises, with no delta in between', () => {
    const s = setup([{ id: 'q', field: 'contactsWaiting', op: 'gt', value: '5', duration: '30s' }]);
    synced(s, {});
    s.agent('svc', { contactsWaiting: 7 });
    s.clock.advance(29_999);
    assert.equal(s.events.length, 0);
    s.clock.advance(1);
    assert.equal(s.events.length, 1);
    s.agent('svc', { contactsWaiting: 5 });
    assert.deepEqual(
      s.events.map((e) => e.alert),
      ['raise', 'clear'],
    );
  });

  it('reset clears every raised alert; conditions that still hold raise again after their full duration', () => {
    const s = setup([NOT_READY]);
    synced(s, { a: nr(s.clock, 'Coffee', 11 * MIN) });
    assert.equal(s.engine.reset(), 1);
    assert.deepEqual(
      s.events.map((e) => [e.alert, e.reason]),
      [
        ['raise', undefined],
        ['clear', 'reset'],
      ],
    );
    s.clock.advance(10 * MIN - 1);
    assert.equal(s.events.length, 2);
    s.clock.advance(1);
    assert.equal(s.events.length, 3);
  });

  it('10,000 entities × 3 rules use one timer', () => {
    const clock = new FakeClock();
    const s = setup(
      [
        NOT_READY,
        { id: 'long', field: 'agentState', op: 'in', value: 'NOT_READY, BUSY', duration: '20m', repeat: '5m' },
        { id: 'acw', field: 'agentState', op: 'eq', value: 'AFTER_CONTACT_WORK', duration: '3m' },
      ],
      clock,
    );
    const agents: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < 10_000; i++) agents[`a${i}`] = { ...nr(clock, i % 2 ? 'Lunch' : 'Coffee', (i % 600) * 1000) };
    synced(s, agents);
    assert.equal(s.engine.timers.scheduled, 20_000, 'an episode per agent and matching rule');
    assert.equal(clock.pending, 1);
    assert.equal(clock.peak, 1, 'more than one timer at a time');
    clock.advance(61 * MIN);
    assert.equal(s.events.filter((e) => e.alert === 'raise').length, 20_000);
    assert.equal(clock.peak, 1);
  });

  it('the scheduler runs items in due order and skips rescheduled and cancelled ones', () => {
    const clock = new FakeClock(0);
    const ran: string[] = [];
    const sched = new Scheduler<{ timerGen: number; due: number; name: string }>(clock, (item) => ran.push(item.name));
    const a = { timerGen: 0, due: -1, name: 'a' };
    const b = { timerGen: 0, due: -1, name: 'b' };
    const c = { timerGen: 0, due: -1, name: 'c' };
    sched.schedule(a, 300);
    sched.schedule(b, 100);
    sched.schedule(c, 200);
    sched.schedule(b, 400); // later now
    sched.cancel(c);
    clock.advance(1000);
    assert.deepEqual(ran, ['a', 'b']);
    assert.equal(sched.size, 0);
    assert.equal(clock.pending, 0);
  });
});
