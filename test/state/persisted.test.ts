// The persisted form: round trip through JSON, restore under live data, validation of foreign data.
import assert from 'node:assert/strict';
import { at } from './fixtures/at';
import { StateFormatError, StateStore, type EntityUpdate } from '../../lib/state/index';

const P = 'Agent_SoD_3.5';

function row(agentId: string, measures: Record<string, unknown>, pumpup = false): EntityUpdate {
  return {
    producer: P,
    source: 'Oceana_Streams_127.0.0.1_3.5',
    dimension: { agentId },
    payload: measures,
    pumpup,
    eventAction: 'UPSERT',
  };
}

function records(store: StateStore): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const e of store.select()) out[e.key] = { ...store.record(e) };
  return out;
}

function recordOf(all: Record<string, Record<string, unknown>>, key: string): Record<string, unknown> {
  const record = all[key];
  assert.ok(record !== undefined, `no record ${key}`);
  return record;
}

describe('state store: persistence', () => {
  it('round-trips through JSON exactly, keeping null apart from "no value"', () => {
    const store = new StateStore({ derived: false });
    store.apply(row('a', { agentState: 'READY', loginTimeStamp: null, offered: 3, flag: true }));
    store.apply(row('b', { late: 'only b has it' }));
    store.apply({
      producer: 'VDN_SoD_3.5',
      dimension: { routingPointId: '5003' },
      payload: { routingDuration: 1.5 },
      pumpup: false,
      eventAction: 'UPSERT',
    });
    const json = JSON.stringify(store.toPersisted());
    const copy = new StateStore({ derived: false });
    assert.equal(copy.restore(JSON.parse(json)), 3);
    assert.deepEqual(records(copy), records(store));
    assert.equal('agentState' in recordOf(records(copy), 'Agent_SoD_3.5/agentId=b'), false);
    assert.equal(recordOf(records(copy), 'Agent_SoD_3.5/agentId=a').loginTimeStamp, null);
  });

  it('restores a view that is not synced, and the next pumpup evicts what the server no longer has', () => {
    const store = new StateStore({ derived: false });
    store.apply(row('a', { n: 1 }, true));
    store.apply(row('b', { n: 2 }, true));
    store.pumpupComplete(P);
    const restarted = new StateStore({ derived: false });
    restarted.restore(store.toPersisted());
    assert.equal(restarted.isSynced(P), false);
    assert.equal(restarted.apply(row('a', { n: 1 }, true)), null, 'unchanged since the restart: no output');
    const changes = restarted.pumpupComplete(P);
    assert.deepEqual(
      changes.map((c) => `${c.kind}:${c.entity.key}`),
      ['evict:Agent_SoD_3.5/agentId=b'],
    );
    assert.equal(restarted.isSynced(P), true);
  });

  it('never overwrites live data: entities already present and synced producers win', () => {
    const old = new StateStore({ derived: false });
    old.apply(row('a', { n: 1 }));
    old.apply(row('b', { n: 1 }));
    old.apply({
      producer: 'VDN_SoD_3.5',
      dimension: { routingPointId: '1' },
      payload: { n: 1 },
      pumpup: false,
      eventAction: 'UPSERT',
    });
    const persisted = old.toPersisted();

    const live = new StateStore({ derived: false });
    live.apply(row('a', { n: 42 })); // arrived before the restore finished
    live.apply({
      producer: 'VDN_SoD_3.5',
      dimension: { routingPointId: '2' },
      payload: { n: 2 },
      pumpup: true,
      eventAction: 'UPSERT',
    });
    live.pumpupComplete('VDN_SoD_3.5');
    assert.equal(live.restore(persisted), 1, 'only agent b is restored');
    const r = records(live);
    assert.equal(recordOf(r, 'Agent_SoD_3.5/agentId=a').n, 42);
    assert.equal(recordOf(r, 'Agent_SoD_3.5/agentId=b').n, 1);
    assert.equal(r['VDN_SoD_3.5/routingPointId=1'], undefined, 'the VDN view was synced: old data stays out');
  });

  it('stops restoring at maxEntities', () => {
    const big = new StateStore();
    for (let i = 0; i < 10; i++) big.apply(row('a' + i, { n: i }));
    const small = new StateStore({ maxEntities: 4 });
    assert.equal(small.restore(big.toPersisted()), 4);
    assert.equal(small.size, 4);
  });

  it('rejects data that is not a persisted view with a clear error, and changes nothing', () => {
    const good = (() => {
      const s = new StateStore();
      s.apply(row('a', { n: 1 }));
      return JSON.parse(JSON.stringify(s.toPersisted())) as Record<string, unknown>;
    })();
    const broken: Array<[string, unknown, RegExp]> = [
      ['null', null, /not an avaya-analytics-state view/],
      ['a string', 'hello', /not an avaya-analytics-state view/],
      ['other format', { ...good, format: 'x' }, /not an avaya-analytics-state view/],
      ['other version', { ...good, version: 2 }, /unsupported version 2/],
      ['producers not a list', { ...good, producers: {} }, /producers is not an array/],
      ['producer id missing', { ...good, producers: [{ measures: [], entities: [] }] }, /producer is not/],
      [
        'measures not names',
        { ...good, producers: [{ producer: P, source: null, measures: [1], entities: [] }] },
        /measures is not/,
      ],
      [
        'duplicate measures',
        { ...good, producers: [{ producer: P, source: null, measures: ['n', 'n'], entities: [] }] },
        /duplicates/,
      ],
      [
        'odd dimension list',
        {
          ...good,
          producers: [{ producer: P, source: null, measures: ['n'], entities: [{ d: ['agentId'], v: [1] }] }],
        },
        /\.d is not/,
      ],
      [
        'too many values',
        {
          ...good,
          producers: [{ producer: P, source: null, measures: ['n'], entities: [{ d: ['agentId', 'a'], v: [1, 2] }] }],
        },
        /at most 1/,
      ],
      [
        'object value',
        {
          ...good,
          producers: [{ producer: P, source: null, measures: ['n'], entities: [{ d: ['agentId', 'a'], v: [{}] }] }],
        },
        /not a scalar/,
      ],
      [
        'bad absent column',
        {
          ...good,
          producers: [
            { producer: P, source: null, measures: ['n'], entities: [{ d: ['agentId', 'a'], v: [null], a: [3] }] },
          ],
        },
        /invalid column/,
      ],
    ];
    for (const [name, data, pattern] of broken) {
      const store = new StateStore();
      store.apply(row('live', { n: 1 }));
      assert.throws(
        () => store.restore(data),
        (err: unknown) => err instanceof StateFormatError && pattern.test(err.message),
        name,
      );
      assert.equal(store.size, 1, name);
    }
  });

  it('writes nothing for producers without entities and keeps the source', () => {
    const store = new StateStore();
    store.beginResync('Empty_SoD_3.5');
    store.apply(row('a', { n: 1 }));
    const persisted = store.toPersisted();
    assert.equal(persisted.producers.length, 1);
    assert.equal(at(persisted.producers, 0).source, 'Oceana_Streams_127.0.0.1_3.5');
  });
});
