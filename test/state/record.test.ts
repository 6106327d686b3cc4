import assert from 'node:assert/strict';
import { EntityRecord } from '../../lib/state/entity-record';
import { ProducerView } from '../../lib/state/producer-view';
import { STATE_SINCE, TIME_IN_STATE, toEpochMs, toRecord } from '../../lib/state/record';

function entity(dims: string[], measures: Record<string, unknown>): EntityRecord {
  const view = new ProducerView<EntityRecord>('Agent_SoD_3.5');
  const r = new EntityRecord('k', view, dims);
  for (const [name, value] of Object.entries(measures)) r.setValue(view.column(name), value);
  return r;
}

describe('lib/state/record', () => {
  it('toEpochMs reads finite numbers and 1-20 digit strings only', () => {
    assert.equal(toEpochMs(1496919128431), 1496919128431);
    assert.equal(toEpochMs('00000001496919128431'), 1496919128431);
    assert.equal(toEpochMs('0'), 0);
    for (const v of [
      NaN,
      Infinity,
      null,
      undefined,
      '',
      '12a',
      '-5',
      '1.5',
      '000000000000000000001',
      '99999999999999999999',
      true,
    ])
      assert.equal(toEpochMs(v), undefined, String(v));
  });

  it('builds dimension fields then measures; the dimension wins over a measure of the same name', () => {
    const r = entity(['agentId', '7'], { agentId: 'measure', agentState: 'READY', gone: undefined });
    const out = toRecord(r, false, 0);
    assert.deepEqual({ ...out }, { agentId: '7', agentState: 'READY' });
    assert.equal(Object.getPrototypeOf(out), null);
  });

  it('returns a fresh object each time: changing it does not reach the store', () => {
    const r = entity(['agentId', '7'], { agentState: 'READY' });
    const a = toRecord(r, false, 0);
    a.agentState = 'changed';
    assert.equal(toRecord(r, false, 0).agentState, 'READY');
  });

  it('derives stateSince and timeInStateMs (never negative) when asked to', () => {
    const r = entity(['agentId', '7'], { lastStateChangeTimestamp: 1000 });
    const out = toRecord(r, true, 4000);
    assert.equal(out[STATE_SINCE], 1000);
    assert.equal(out[TIME_IN_STATE], 3000);
    assert.equal(toRecord(r, true, 500)[TIME_IN_STATE], 0);
    const plain = toRecord(r, false, 4000);
    assert.ok(!(STATE_SINCE in plain) && !(TIME_IN_STATE in plain));
    const unknown = entity([], { lastStateChangeTimestamp: null });
    assert.ok(!(STATE_SINCE in toRecord(unknown, true, 4000)));
  });

  it("keeps the producer's own stateSince / timeInStateMs measures", () => {
    const r = entity([], { lastStateChangeTimestamp: 1000, stateSince: 'own', timeInStateMs: 'own too' });
    const out = toRecord(r, true, 4000);
    assert.equal(out[STATE_SINCE], 'own');
    assert.equal(out[TIME_IN_STATE], 'own too');
  });

  it('reads prev values during a pumpup and hostile measure names as plain keys', () => {
    const view = new ProducerView<EntityRecord>('P');
    view.column('__proto__');
    view.column('a');
    const r = new EntityRecord('k', view, ['constructor', 'c']);
    r.prev = ['oldProto', 'oldA'];
    r.setValue(1, 'new');
    const out = toRecord(r, false, 0);
    assert.equal(Object.getPrototypeOf(out), null);
    assert.deepEqual(Object.keys(out).sort(), ['__proto__', 'a', 'constructor']);
    assert.equal(out['__proto__'], 'oldProto');
    assert.equal(out.a, 'new');
    assert.equal(out.constructor, 'c');
    assert.equal(({} as Record<string, unknown>).oldProto, undefined);
  });
});
