// The guide's scollins sequence through the pure store: pumpup rows 1-4, then READY → NOT_READY.
import assert from 'node:assert/strict';
import { at } from './fixtures/at';
import { StateStore, type StateChange } from '../../lib/state/index';
import {
  AGENT_PRODUCER,
  PUMPUP_FRAMES,
  READY_CHANGED_MEASURES,
  READY_NOT_READY_FRAMES,
  SOURCE,
  decodeGuideFrame,
  expectedFinalRecord,
} from './fixtures/guide-scollins';

const NOW = 1496919500000;

function feed(store: StateStore, frame: string): StateChange | StateChange[] | null {
  const f = decodeGuideFrame(frame);
  if (f.pumpupComplete) return store.pumpupComplete(AGENT_PRODUCER);
  const result = store.apply({
    producer: AGENT_PRODUCER,
    source: SOURCE,
    dimension: f.dimension,
    payload: f.measures,
    pumpup: f.pumpup,
    eventAction: 'UPSERT',
  });
  if (result !== null && result.kind === 'rejected') assert.fail('rejected');
  return result;
}

function asChange(result: StateChange | StateChange[] | null): StateChange {
  assert.ok(result !== null && !Array.isArray(result), 'expected a single change');
  return result;
}

describe('state store: the guide scollins sequence', () => {
  it('builds the exact merged record from the pumpup and the READY/NOT_READY deltas', () => {
    const store = new StateStore({ derived: false, now: () => NOW });
    for (const frame of PUMPUP_FRAMES) feed(store, frame);
    assert.equal(store.isSynced(AGENT_PRODUCER), true);
    for (const frame of READY_NOT_READY_FRAMES) feed(store, frame);
    assert.equal(store.size, 1);
    const entity = store.get('Agent_SoD_3.5/agentId=scollins');
    assert.ok(entity);
    assert.deepEqual({ ...store.record(entity) }, expectedFinalRecord());
  });

  it('reports the creation, then each change with the former values', () => {
    const store = new StateStore({ now: () => NOW });
    const first = asChange(feed(store, at(PUMPUP_FRAMES, 0)));
    assert.equal(first.created, true);
    assert.equal(first.pumpup, true);
    assert.equal(first.changed.length, 74);
    assert.equal(store.isSynced(AGENT_PRODUCER), false, 'not synced before pumpupComplete');

    const second = asChange(feed(store, at(PUMPUP_FRAMES, 1)));
    assert.deepEqual(second.changed, ['active']);
    assert.equal(second.created, false);
    feed(store, at(PUMPUP_FRAMES, 2));
    assert.deepEqual(
      feed(store, at(PUMPUP_FRAMES, 3)),
      [],
      'nothing to evict or drop: all three rows belong to scollins',
    );

    const ready = asChange(feed(store, at(READY_NOT_READY_FRAMES, 1)));
    assert.equal(ready.pumpup, false);
    assert.deepEqual(ready.changed, [...READY_CHANGED_MEASURES]);
    assert.deepEqual(
      { ...ready.previous },
      {
        lastStateChangeTimestamp: 1496919128431,
        nrReasonCodeName: 'DEFAULT',
        agentState: 'NOT_READY',
        workState: 'UNAVAILABLE',
        lastWorkCodeChangeTimestamp: 1496919128117,
        lastStateReasonTimestamp: 1496919128117,
        nrReasonCode: '0',
      },
    );
    const record = store.record(ready.entity);
    assert.equal(record.agentState, 'READY');
    assert.equal(record.stateSince, 1496919456478);
    assert.equal(record.timeInStateMs, NOW - 1496919456478);

    const idle = asChange(feed(store, at(READY_NOT_READY_FRAMES, 2)));
    assert.deepEqual(idle.changed, ['idleTimeDuration']);
    assert.deepEqual({ ...idle.previous }, { idleTimeDuration: 62 });

    const pending = asChange(feed(store, at(READY_NOT_READY_FRAMES, 3)));
    assert.equal(store.record(pending.entity).agentState, 'PENDING_NOT_READY');
    assert.equal(store.record(pending.entity).stateSince, 1496919465045);
  });

  it('produces no change for a delta that repeats the current values', () => {
    const store = new StateStore();
    for (const frame of PUMPUP_FRAMES) feed(store, frame);
    feed(store, at(READY_NOT_READY_FRAMES, 2));
    assert.equal(feed(store, at(READY_NOT_READY_FRAMES, 2)), null);
  });
});
