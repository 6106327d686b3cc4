// The demo flow's Function node bodies, run as Node-RED runs them (the body of a function of msg, with
// the node's context), on hand-made snapshots: wallboard order, counts, chart throttling, feed health,
// and records from the wire with hostile names.
import assert from 'node:assert/strict';
import {
  agentBoardFunction,
  CHART_EVERY_MS,
  CHART_SERIES,
  feedHealthFunction,
  queueBoardFunction,
} from '../../scripts/demo-functions';
import type { AgentTableMsg, ChartMsg, FeedMsg, QueueTableMsg } from '../helpers/demo-messages';

/** A msg into a Function node; what comes out is cast to the type in test/helpers/demo-messages.ts. */
type Msg = Record<string, unknown>;

/** Runs a Function node body; `context` persists between calls like a node's context. */
function functionNode(body: string, now: () => number = Date.now) {
  const store = new Map<string, unknown>();
  const context = { get: (k: string) => store.get(k), set: (k: string, v: unknown) => void store.set(k, v) };
  const FakeDate = class extends Date {
    static override now(): number {
      return now();
    }
  };
  // Same realm as the test (unlike Node-RED's vm) so that results compare with deepEqual.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs a Function node's body, as Node-RED does
  const fn = new Function('msg', 'context', 'Date', body) as (
    msg: Msg,
    context: unknown,
    date: DateConstructor,
  ) => unknown;
  return (msg: Msg): unknown => fn(msg, context, FakeDate as unknown as DateConstructor);
}

/** A snapshot reply of the state node: records without a prototype, keyed by entity key. */
function snapshot(
  records: Array<Record<string, unknown>>,
  keyOf: (r: Record<string, unknown>) => string,
  synced = true,
): Msg {
  const payload = Object.create(null) as Record<string, unknown>;
  for (const r of records) payload[keyOf(r)] = Object.assign(Object.create(null), r);
  return { action: 'snapshot', payload, count: records.length, synced };
}

const agentKey = (r: Record<string, unknown>) => `Agent_SoD_3.5/agentId=${String(r.agentId)}`;

describe('demo flow functions', () => {
  describe('agent rows', () => {
    const agents = [
      { agentId: 'a1', agentDisplayName: 'Ann Ready', agentState: 'READY', workState: 'BUSY', timeInStateMs: 5000 },
      {
        agentId: 'a2',
        agentDisplayName: 'Bob Lunch',
        agentState: 'NOT_READY',
        nrReasonCodeName: 'Lunch',
        timeInStateMs: 60_000,
      },
      { agentId: 'a3', agentFirstName: 'Cy', agentLastName: 'Out', agentState: 'LOGGED_OUT', timeInStateMs: 999_999 },
      {
        agentId: 'a4',
        agentDisplayName: 'Dee Break',
        agentState: 'NOT_READY',
        nrReasonCode: '102',
        timeInStateMs: 600_000,
      },
      { agentId: 'a5', agentDisplayName: 'Eve Idle', agentState: 'READY', workState: 'IDLE', timeInStateMs: 90_000 },
      { agentId: '__proto__', agentState: '__proto__' },
    ];

    it('puts the longest not-ready agents first and logged-out agents last, with reasons only when not ready', () => {
      const run = functionNode(agentBoardFunction);
      const [table] = run(snapshot(agents, agentKey)) as [AgentTableMsg, ChartMsg | null];
      assert.deepEqual(
        table.payload.map((r) => r.id),
        ['a4', 'a2', 'a5', 'a1', 'a3', '__proto__'],
      );
      const byId = Object.fromEntries(table.payload.map((r) => [r.id, r]));
      assert.equal(byId.a4!.reason, '102'); // no name: the code
      assert.equal(byId.a2!.reason, 'Lunch');
      assert.equal(byId.a1!.reason, '');
      assert.equal(byId.a1!.work, 'BUSY');
      assert.equal(byId.a3!.name, 'Cy Out');
      assert.equal(byId.__proto__!.name, '__proto__');
      assert.equal(byId.__proto__!.inStateMs, null);
      assert.deepEqual(
        { ...table.counts },
        { NOT_READY: 2, PENDING_NOT_READY: 0, READY: 2, PENDING_LOGIN: 0, LOGGED_OUT: 1 },
      );
      assert.equal(Object.getPrototypeOf(table.counts), Object.prototype, 'a "__proto__" state replaced the prototype');
      assert.ok(!Object.hasOwn(table.counts, '__proto__'));
    });

    it('sends a chart point per series at most every CHART_EVERY_MS, and only from a synced view', () => {
      let now = 1_000_000;
      const run = functionNode(agentBoardFunction, () => now);
      assert.equal((run(snapshot(agents, agentKey, false)) as unknown[])[1], null, 'a point from an unsynced view');
      const [, first] = run(snapshot(agents, agentKey)) as [AgentTableMsg, ChartMsg];
      assert.deepEqual(
        first.payload.map((p) => p.series),
        CHART_SERIES.map(([label]) => label),
      );
      assert.deepEqual(
        first.payload.map((p) => p.count),
        [2, 2, 0, 0],
      );
      now += CHART_EVERY_MS - 1;
      assert.equal((run(snapshot(agents, agentKey)) as unknown[])[1], null);
      now += 1;
      assert.ok((run(snapshot(agents, agentKey)) as unknown[])[1]);
    });

    it('copes with an empty or missing snapshot', () => {
      const run = functionNode(agentBoardFunction);
      const [table] = run({ action: 'snapshot', payload: undefined, synced: false }) as [AgentTableMsg];
      assert.deepEqual(table.payload, []);
      assert.equal(table.synced, false);
    });
  });

  describe('queue rows', () => {
    it('computes the oldest wait from the arrival time, only while contacts wait, in name order', () => {
      const now = 2_000_000;
      const run = functionNode(queueBoardFunction, () => now);
      const key = (r: Record<string, unknown>) =>
        `RoutingService_SoD_3.5/routingServiceName=${String(r.routingServiceName)}`;
      const out = run(
        snapshot(
          [
            {
              routingServiceName: 'Voice',
              channelId: 'Voice',
              contactsWaiting: 3,
              oldestContactWaitTime: now - 45_000,
              serviceLevelThreshold: 20,
              agentsReady: 2,
              agentsLoggedIn: 5,
              serviceLevel: 81.5,
            },
            { routingServiceName: 'Chat', contactsWaiting: 0, oldestContactWaitTime: now - 99_000, agentsReady: '3' },
            { routingServiceName: 'Email', contactsWaiting: 1, oldestContactWaitTime: null },
          ],
          key,
        ),
      ) as QueueTableMsg;
      assert.deepEqual(
        out.payload.map((q) => [q.name, q.waiting, q.oldestMs]),
        [
          ['Chat', 0, null],
          ['Email', 1, null],
          ['Voice', 3, 45_000],
        ],
      );
      const voice = out.payload[2]!;
      assert.deepEqual([voice.thresholdS, voice.ready, voice.loggedIn, voice.serviceLevel], [20, 2, 5, 81.5]);
      assert.equal(out.payload[0]!.ready, 0, 'a non-number is not shown as a number');
    });
  });

  describe('feed health', () => {
    const control = (producer: string, state: string, at: number, reason?: string): Msg => ({
      producer,
      control: state,
      topic: producer,
      payload: { state, at, reason },
    });

    it('shows the worst stream and how long it has been in that level', () => {
      let now = 10_000;
      const run = functionNode(feedHealthFunction, () => now);
      assert.equal(run({ action: 'snapshot' }), null, 'nothing to show before the first event');
      run(control('Agent_SoD_3.5', 'subscribed', 1000));
      let out = run(control('Agent_SoD_3.5', 'pumpupComplete', 2000)) as FeedMsg;
      assert.equal(out.payload.level, 'live');
      out = run(control('Agent_SoD_3.5', 'ready', 3000)) as FeedMsg;
      assert.equal(out.payload.since, 2000, 'a second "live" event does not restart the clock');
      out = run(control('RoutingService_SoD_3.5', 'stale', 4000, 'no heartbeat for 24 s')) as FeedMsg;
      assert.deepEqual(
        [out.payload.level, out.payload.since, out.payload.reason],
        ['stale', 4000, 'no heartbeat for 24 s'],
      );
      assert.deepEqual(
        out.payload.streams.map((s) => [s.producer, s.level]),
        [
          ['Agent_SoD_3.5', 'live'],
          ['RoutingService_SoD_3.5', 'stale'],
        ],
      );
      out = run(control('Agent_SoD_3.5', 'auth-failed', 5000)) as FeedMsg;
      assert.equal(out.payload.level, 'down');
      assert.match(out.payload.text, /Login refused/);
      now = 20_000;
      out = run({ action: 'snapshot' }) as FeedMsg;
      assert.deepEqual([out.payload.level, out.at], ['down', 20_000]);
    });

    it('ignores msgs that are not control events', () => {
      const run = functionNode(feedHealthFunction);
      assert.equal(run({ producer: 'Agent_SoD_3.5', control: 'constructor' }), null);
      assert.equal(run({ topic: 'x', payload: 1 }), null);
    });
  });
});
