import assert from 'node:assert/strict';
import { entityKey } from '../../../lib/entity-key';
import { createModel, type ModelDelta, type TrafficModel } from '../../../simulator/model';
import { PRODUCERS } from '../../../simulator/model/catalog/producers';
import { apply, emptyView, plain, PRODUCER_IDS, snapshot, T0 } from '../../helpers/model-replay';

const KIND = new Map(PRODUCERS.map((p) => [p.id, new Map(p.measures.map((m) => [m.name, m.kind]))]));
const TS = /^\d{20}$/;

/** Runs `rounds` steps of `events` events, one simulated second apart; returns every delta. */
function run(model: TrafficModel, rounds: number, events: number, from = T0): ModelDelta[] {
  const all: ModelDelta[] = [];
  for (let i = 1; i <= rounds; i++) for (const d of model.step(events, from + i * 1000)) all.push(d);
  return all;
}

describe('simulator model: traffic', () => {
  it('is deterministic: the same seed gives the same entities and deltas, another seed does not', () => {
    const a = createModel({ seed: 42, agents: 30, startTime: T0 });
    const b = createModel({ seed: 42, agents: 30, startTime: T0 });
    const c = createModel({ seed: 43, agents: 30, startTime: T0 });
    assert.deepEqual(
      JSON.stringify(a.entities('Agent_SoD_3.5', 'supervisor1')),
      JSON.stringify(b.entities('Agent_SoD_3.5', 'supervisor1')),
    );
    const da = JSON.stringify(run(a, 20, 200));
    assert.equal(da, JSON.stringify(run(b, 20, 200)));
    assert.notEqual(da, JSON.stringify(run(c, 20, 200)));
    // Without a clock from the caller, the model's own pacing is deterministic too.
    assert.equal(JSON.stringify(a.step(500)), JSON.stringify(b.step(500)));
  });

  it('keeps the ground truth: snapshot + every delta = the later snapshot, for every producer', () => {
    const model = createModel({
      seed: 7,
      agents: 60,
      startTime: T0,
      announceEvictions: true,
      contactDetailWindow: 500,
    });
    const views = snapshot(model, 'supervisor1');
    const deltas = run(model, 60, 250);
    apply(views, deltas);
    const truth = snapshot(model, 'supervisor1');
    for (const p of PRODUCER_IDS) {
      assert.ok(
        deltas.some((d) => d.producerId === p),
        `${p} produced deltas`,
      );
      assert.deepEqual(plain(views.get(p) ?? emptyView()), plain(truth.get(p) ?? emptyView()), p);
    }
  });

  it('keeps the ground truth of a restricted supervisor fed only the deltas visible to them', () => {
    const model = createModel({ seed: 8, agents: 40, startTime: T0, announceEvictions: true });
    const views = snapshot(model, 'supervisor2');
    const deltas = run(model, 40, 250);
    apply(views, deltas, (d) => model.isVisible(d.producerId, d.dimension, 'supervisor2'));
    const truth = snapshot(model, 'supervisor2');
    for (const p of PRODUCER_IDS)
      assert.deepEqual(plain(views.get(p) ?? emptyView()), plain(truth.get(p) ?? emptyView()), p);
    assert.ok((truth.get('Agent_SoD_3.5')?.size ?? 0) < 40);
  });

  it('sends only measures that changed and only measures the producer declares', () => {
    const model = createModel({ seed: 9, agents: 30, startTime: T0 });
    const views = snapshot(model, 'supervisor1');
    for (let i = 1; i <= 30; i++) {
      for (const d of model.step(100, T0 + i * 1000)) {
        const kinds = KIND.get(d.producerId);
        for (const name of Object.keys(d.realtimeData)) assert.ok(kinds?.has(name), `${d.producerId} declares ${name}`);
        apply(views, [d]);
      }
    }
    // Replaying delta by delta, no delta repeats a value the entity already had.
    const model2 = createModel({ seed: 9, agents: 30, startTime: T0 });
    const views2 = snapshot(model2, 'supervisor1');
    let unchanged = 0;
    for (let i = 1; i <= 30; i++) {
      for (const d of model2.step(100, T0 + i * 1000)) {
        const before = views2.get(d.producerId)?.get(entityKey(d.producerId, d.dimension));
        if (before) for (const [k, v] of Object.entries(d.realtimeData)) if (before.realtimeData[k] === v) unchanged++;
        apply(views2, [d]);
      }
    }
    assert.equal(unchanged, 0);
  });

  it('puts values on the wire as the Open Interface does', () => {
    const model = createModel({ seed: 10, agents: 25, startTime: T0 });
    const deltas = run(model, 20, 300);
    const seen = new Set<string>();
    for (const d of deltas) {
      for (const v of Object.values(d.dimension)) assert.equal(typeof v, 'string');
      for (const [name, v] of Object.entries(d.realtimeData)) {
        const kind = KIND.get(d.producerId)?.get(name);
        seen.add(kind ?? '?');
        const where = `${d.producerId}.${name}=${String(v)}`;
        switch (kind) {
          case 'timestamp':
          case 'timeInState':
            assert.ok(v === 'UNKNOWN' || (typeof v === 'string' && TS.test(v)), where);
            if (v !== 'UNKNOWN') assert.ok(Number(v) <= T0 + 20_000 && Number(v) > T0 - 3_600_000, where);
            break;
          case 'countText':
            assert.ok(typeof v === 'string' && /^\d+$/.test(v), where);
            break;
          case 'count':
          case 'duration':
          case 'seconds':
          case 'gauge':
          case 'percent':
            assert.ok(typeof v === 'number' && Number.isInteger(v) && v >= 0, where);
            break;
          default:
            assert.equal(typeof v, 'string', where);
        }
      }
    }
    assert.ok(
      ['timestamp', 'timeInState', 'countText', 'count', 'duration', 'gauge', 'percent', 'text', 'enum'].every((k) =>
        seen.has(k),
      ),
    );
    const agents = model.entities('Agent_SoD_3.5', 'supervisor1');
    assert.ok(
      agents.every(
        (a) => typeof a.realtimeData['workLimit'] === 'string' && typeof a.realtimeData['activeWorkCount'] === 'string',
      ),
    );
    assert.ok(agents.every((a) => /^(\d+|NOT_AVAILABLE|UNKNOWN)$/.test(String(a.realtimeData['nrReasonCode']))));
    const accounts = model.entities('AgentByAccount_SoD_3.5', 'supervisor1');
    assert.ok(accounts.some((a) => a.dimension['accountId'] === '8501014' && a.dimension['agentId'] === 'jsmith'));
    assert.ok(
      model
        .entities('AgentByNotReadyReasonCode_SoD_3.5', 'supervisor1')
        .some((e) => e.dimension['nrReasonCode'] === '0'),
    );
  });

  it('keeps counters and durations monotonic and gauges non-negative', () => {
    const model = createModel({ seed: 11, agents: 40, startTime: T0 });
    const views = snapshot(model, 'supervisor1');
    for (const d of run(model, 40, 250)) {
      const kinds = KIND.get(d.producerId);
      const before = views.get(d.producerId)?.get(entityKey(d.producerId, d.dimension));
      for (const [name, v] of Object.entries(d.realtimeData)) {
        const kind = kinds?.get(name);
        if ((kind === 'count' || kind === 'duration') && before)
          assert.ok((v as number) >= (before.realtimeData[name] as number), `${d.producerId}.${name} went down`);
        if (kind === 'gauge' || kind === 'seconds') assert.ok((v as number) >= 0, `${d.producerId}.${name} < 0`);
      }
      apply(views, [d]);
    }
  });

  it('moves agents through the states of the guide and fans a state change out to every producer keyed by it', () => {
    const model = createModel({ seed: 12, agents: 20, startTime: T0, warmupEvents: 0 });
    const state = new Map<string, string>(
      model.entities('Agent_SoD_3.5', 'supervisor1').map((e) => [e.dimension['agentId'] as string, 'LOGGED_OUT']),
    );
    const transitions = new Set<string>();
    let checkedFanOut = 0;
    for (let i = 1; i <= 4000; i++) {
      const deltas = model.step(1, T0 + i * 2000);
      for (const d of deltas) {
        const next = d.producerId === 'Agent_SoD_3.5' ? d.realtimeData['agentState'] : undefined;
        if (typeof next !== 'string') continue;
        const agentId = d.dimension['agentId'] as string;
        transitions.add(`${state.get(agentId)}>${next}`);
        state.set(agentId, next);
        if (next === 'READY') {
          const accounts = model
            .entities('AgentByAccount_SoD_3.5', 'supervisor1')
            .filter((e) => e.dimension['agentId'] === agentId);
          for (const acc of accounts) {
            assert.ok(
              deltas.some(
                (x) =>
                  x.producerId === 'AgentByAccount_SoD_3.5' &&
                  x.dimension['accountId'] === acc.dimension['accountId'] &&
                  x.realtimeData['accountState'] === 'READY',
              ),
              'every account of the agent goes READY',
            );
          }
          assert.ok(
            deltas.some((x) => x.producerId === 'AgentGroup_SoD_3.5'),
            'its group changes',
          );
          assert.ok(
            deltas.some((x) => x.producerId === 'RoutingService_SoD_3.5'),
            'its services change',
          );
          assert.ok(
            deltas.some((x) => x.producerId === 'Site_SoD_3.5'),
            'its site changes',
          );
          checkedFanOut++;
        }
      }
    }
    const allowed = new Set([
      'LOGGED_OUT>PENDING_LOGIN',
      'PENDING_LOGIN>NOT_READY',
      'NOT_READY>READY',
      'NOT_READY>LOGGED_OUT',
      'READY>NOT_READY',
      'READY>PENDING_NOT_READY',
      'PENDING_NOT_READY>NOT_READY',
    ]);
    assert.deepEqual(
      [...transitions].filter((t) => !allowed.has(t)),
      [],
    );
    assert.deepEqual(
      [...allowed].filter((t) => !transitions.has(t)),
      [],
      'every transition happens',
    );
    assert.ok(checkedFanOut > 10);
  });

  it('keeps aggregates consistent with the agents and contacts they count', () => {
    const model = createModel({ seed: 13, agents: 50, groups: 5, startTime: T0 });
    run(model, 30, 300);
    const agents = new Map(
      model.entities('Agent_SoD_3.5', 'supervisor1').map((e) => [e.dimension['agentId'], e.realtimeData]),
    );
    const members = model.dimdata('GroupMember', 'supervisor1') as Array<Record<string, string>>;
    for (const g of model.entities('AgentGroup_SoD_3.5', 'supervisor1')) {
      const mine = members.filter((m) => m['groupId'] === g.dimension['groupId']).map((m) => agents.get(m['agentId']));
      const count = (f: (r: Record<string, unknown>) => boolean) => mine.filter((r) => r && f(r)).length;
      assert.equal(
        g.realtimeData['agentsLoggedIn'],
        count((r) => r['agentState'] !== 'LOGGED_OUT'),
        'agentsLoggedIn',
      );
      assert.equal(
        g.realtimeData['agentsReady'],
        count((r) => r['agentState'] === 'READY'),
        'agentsReady',
      );
      assert.equal(
        g.realtimeData['agentsBusy'],
        count((r) => r['activeWorkCount'] !== '0'),
        'agentsBusy',
      );
    }
    for (const s of model.entities('RoutingService_SoD_3.5', 'supervisor1')) {
      const r = s.realtimeData;
      assert.equal(
        r['contactsAtAgent'],
        (r['alerting'] as number) + (r['active'] as number) + (r['heldContacts'] as number),
      );
      assert.equal(r['oldestContactWaitTime'] === 'UNKNOWN', r['contactsWaiting'] === 0);
      assert.ok((r['offered'] as number) >= (r['answered'] as number));
    }
    const totalAnswered = model
      .entities('RoutingService_SoD_3.5', 'supervisor1')
      .reduce((n, s) => n + (s.realtimeData['answered'] as number), 0);
    assert.ok(totalAnswered > 100, 'contacts get answered');
  });

  it('keeps a bounded window of contact detail records', () => {
    const silent = createModel({ seed: 14, agents: 30, startTime: T0, contactDetailWindow: 100 });
    const views = snapshot(silent, 'supervisor3');
    const deltas = run(silent, 40, 250);
    apply(views, deltas);
    const truth = snapshot(silent, 'supervisor3').get('ContactDetail_CDR_3.5') ?? emptyView();
    const replayed = views.get('ContactDetail_CDR_3.5') ?? emptyView();
    assert.equal(truth.size, 100);
    assert.ok(replayed.size > 100, 'more segments than the window were created');
    assert.ok(!deltas.some((d) => d.eventAction === 'DELETE'), 'eviction is silent by default');
    // Everything still in the window is exact; the rest are the evicted, oldest segments.
    for (const [key, e] of truth) assert.deepEqual(replayed.get(key), e);
    const oldestKept = Math.min(...[...truth.values()].map((e) => Number(e.realtimeData['startTimestamp'])));
    for (const [key, e] of replayed)
      if (!truth.has(key)) assert.ok(Number(e.realtimeData['startTimestamp']) <= oldestKept);

    const loud = createModel({
      seed: 14,
      agents: 30,
      startTime: T0,
      contactDetailWindow: 100,
      announceEvictions: true,
    });
    const loudDeltas = run(loud, 40, 250);
    const deletes = loudDeltas.filter((d) => d.eventAction === 'DELETE');
    assert.ok(
      deletes.length > 0 &&
        deletes.every((d) => d.producerId === 'ContactDetail_CDR_3.5' && Object.keys(d.realtimeData).length === 0),
    );
  });

  it('validates step() arguments and never moves the clock back', () => {
    const model = createModel({ seed: 15, agents: 10, startTime: T0 });
    assert.throws(() => model.step(-1), RangeError);
    assert.throws(() => model.step(1.5), RangeError);
    assert.throws(() => model.step(Number.NaN), RangeError);
    assert.throws(() => model.step(1, Number.POSITIVE_INFINITY), TypeError);
    assert.deepEqual(model.step(0, T0 + 5000), []);
    const late = model.step(200, T0 + 10_000);
    const early = model.step(200, T0); // the past: events happen "now", not earlier
    for (const d of [...late, ...early]) {
      const ts = d.realtimeData['lastStateChangeTimestamp'];
      if (typeof ts === 'string' && ts !== 'UNKNOWN') assert.ok(Number(ts) <= T0 + 10_000);
    }
    assert.ok(early.some((d) => d.realtimeData['lastStateChangeTimestamp'] === '00000001700000010000'));
  });
});
