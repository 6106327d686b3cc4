// Pumpup as a resync: replacement, eviction at pumpupComplete, quiet resyncs, interrupted resyncs.
import assert from 'node:assert/strict';
import { at } from './fixtures/at';
import { StateStore, type EntityUpdate, type StateChange } from '../../lib/state/index';
import { EntityRecord } from '../../lib/state/entity-record';
import { ProducerView } from '../../lib/state/producer-view';
import { foldPrevious } from '../../lib/state/resync';

const P = 'Agent_SoD_3.5';

function row(agentId: string, measures: Record<string, unknown>, pumpup: boolean): EntityUpdate {
  return { producer: P, dimension: { agentId }, payload: measures, pumpup, eventAction: 'UPSERT' };
}

function recordOf(store: StateStore, agentId: string): Record<string, unknown> | undefined {
  const entity = store.get(`${P}/agentId=${agentId}`);
  return entity === undefined ? undefined : { ...store.record(entity) };
}

function summary(changes: StateChange[]): string[] {
  return changes.map((c) => `${c.kind}:${c.entity.key.slice(P.length + 1)}:${c.changed.join(',')}`);
}

/** Three agents, synced by a first pumpup. */
function seeded(): StateStore {
  const store = new StateStore({ derived: false });
  store.apply(row('a', { agentState: 'READY', offered: 1 }, true));
  store.apply(row('b', { agentState: 'READY', offered: 2 }, true));
  store.apply(row('c', { agentState: 'READY', offered: 3 }, true));
  assert.deepEqual(store.pumpupComplete(P), []);
  return store;
}

describe('state store: pumpup resync', () => {
  it('is not synced until the first pumpup completes', () => {
    const store = new StateStore();
    store.apply(row('a', { n: 1 }, true));
    assert.equal(store.isSynced(P), false);
    assert.equal(store.allSynced(), false);
    store.pumpupComplete(P);
    assert.equal(store.isSynced(P), true);
    assert.equal(store.allSynced(), true);
  });

  it('evicts at pumpupComplete every entity the pumpup did not send', () => {
    const store = seeded();
    store.apply(row('a', { agentState: 'READY', offered: 1 }, true));
    store.apply(row('c', { agentState: 'READY', offered: 3 }, true));
    const changes = store.pumpupComplete(P);
    assert.deepEqual(summary(changes), ['evict:agentId=b:']);
    assert.deepEqual(
      { ...store.record(at(changes, 0).entity) },
      { agentId: 'b', agentState: 'READY', offered: 2 },
      'the evicted record is the last one',
    );
    assert.equal(store.size, 2);
    assert.equal(recordOf(store, 'b'), undefined);
  });

  it('drops what a pumpup row did not bring from records already output, a record of over 900 fields included', () => {
    const store = seeded();
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 950; i++) wide[`c${i}`] = i;
    store.apply(row('w', wide, false));
    // outputs: each record gets its shape, which counts its fields (the wide one is built key by key)
    for (const id of ['a', 'b', 'c', 'w']) recordOf(store, id);
    store.apply(row('a', { agentState: 'BUSY' }, true));
    store.apply(row('b', { agentState: 'READY', offered: 2 }, true));
    store.apply(row('c', { agentState: 'READY', offered: 3, handled: 1 }, true));
    store.apply(row('w', {}, true));
    const changes = store.pumpupComplete(P);
    assert.deepEqual(
      changes.map((c) => [c.entity.key.slice(P.length + 1), c.changed.length === 1 ? c.changed[0] : c.changed.length]),
      [
        ['agentId=a', 'offered'],
        ['agentId=w', 950],
      ],
    );
    assert.deepEqual(recordOf(store, 'a'), { agentId: 'a', agentState: 'BUSY' });
    assert.deepEqual(recordOf(store, 'b'), { agentId: 'b', agentState: 'READY', offered: 2 });
    assert.deepEqual(recordOf(store, 'c'), { agentId: 'c', agentState: 'READY', offered: 3, handled: 1 });
    assert.deepEqual(recordOf(store, 'w'), { agentId: 'w' });
  });

  it('evicts everything when a pumpup completes with no rows (the server has no entity for us)', () => {
    const store = seeded();
    store.beginResync(P); // "subscribed" or "connected": a pumpup follows, here an empty one
    assert.deepEqual(summary(store.pumpupComplete(P)).sort(), [
      'evict:agentId=a:',
      'evict:agentId=b:',
      'evict:agentId=c:',
    ]);
    assert.equal(store.size, 0);
  });

  it('ignores a second completion with no resync in between (the event over a second wire, or a second subscribe node)', () => {
    const store = seeded();
    assert.deepEqual(store.pumpupComplete(P), []);
    assert.equal(store.size, 3, 'nothing evicted');
    assert.equal(store.isSynced(P), true);
    store.connectionLost(P);
    assert.equal(store.isSynced(P), false);
    store.beginResync(P);
    store.apply(row('a', { agentState: 'READY', offered: 1 }, true));
    assert.deepEqual(
      summary(store.pumpupComplete(P)).sort(),
      ['evict:agentId=b:', 'evict:agentId=c:'],
      'a real resync still evicts',
    );
    assert.deepEqual(store.pumpupComplete(P), [], 'and its repeat does not');
    assert.equal(store.size, 1);
  });

  it('is quiet when the pumpup brings the same data: no change at all', () => {
    const store = seeded();
    assert.equal(store.apply(row('a', { agentState: 'READY' }, true)), null);
    assert.equal(store.apply(row('a', { offered: 1 }, true)), null, 'a second row of the same entity merges');
    assert.equal(store.apply(row('b', { agentState: 'READY', offered: 2 }, true)), null);
    assert.equal(store.apply(row('c', { agentState: 'READY', offered: 3 }, true)), null);
    assert.deepEqual(store.pumpupComplete(P), []);
    assert.deepEqual(recordOf(store, 'a'), { agentId: 'a', agentState: 'READY', offered: 1 });
  });

  it('replaces the record: changed values show at once, measures the pumpup omits are dropped at completion', () => {
    const store = seeded();
    const changed = store.apply(row('a', { agentState: 'NOT_READY' }, true));
    assert.ok(changed && changed.kind === 'upsert');
    assert.deepEqual(changed.changed, ['agentState']);
    assert.deepEqual({ ...changed.previous }, { agentState: 'READY' });
    assert.deepEqual(
      recordOf(store, 'a'),
      { agentId: 'a', agentState: 'NOT_READY', offered: 1 },
      'offered still shows until the pumpup completes',
    );
    store.apply(row('b', { agentState: 'READY', offered: 2 }, true));
    store.apply(row('c', { agentState: 'READY', offered: 3 }, true));
    const changes = store.pumpupComplete(P);
    assert.deepEqual(summary(changes), ['upsert:agentId=a:offered']);
    assert.deepEqual({ ...at(changes, 0).previous }, { offered: 1 });
    assert.equal(at(changes, 0).pumpup, true);
    assert.deepEqual(recordOf(store, 'a'), { agentId: 'a', agentState: 'NOT_READY' });
  });

  it('merges a pumpup row that brings every measure of the record in place: nothing is set aside', () => {
    const store = seeded();
    const entity = store.get(`${P}/agentId=a`)!;
    const rowBefore = entity.row;
    const changed = store.apply(row('a', { agentState: 'BUSY', offered: 1 }, true));
    assert.ok(changed && changed.kind === 'upsert');
    assert.deepEqual(changed.changed, ['agentState']);
    assert.deepEqual({ ...changed.previous }, { agentState: 'READY' });
    assert.equal(entity.row, rowBefore, 'the same row: merged in place');
    assert.equal(entity.prev, null);
    store.apply(row('b', { agentState: 'READY', offered: 2 }, true));
    store.apply(row('c', { agentState: 'READY', offered: 3 }, true));
    assert.deepEqual(store.pumpupComplete(P), [], 'every measure was refreshed: nothing to drop');
    assert.deepEqual(recordOf(store, 'a'), { agentId: 'a', agentState: 'BUSY', offered: 1 });
  });

  it("treats a measure a flow's pumpup row sets to undefined as not sent: dropped at completion", () => {
    const store = seeded();
    assert.equal(store.apply(row('a', { agentState: 'READY', offered: undefined }, true)), null);
    assert.deepEqual(recordOf(store, 'a'), { agentId: 'a', agentState: 'READY', offered: 1 }, 'readable until then');
    store.apply(row('b', { agentState: 'READY', offered: 2 }, true));
    store.apply(row('c', { agentState: 'READY', offered: 3 }, true));
    assert.deepEqual(summary(store.pumpupComplete(P)), ['upsert:agentId=a:offered']);
    assert.deepEqual(recordOf(store, 'a'), { agentId: 'a', agentState: 'READY' });
  });

  it('keeps the shape of a record through a replacement only while its fields stay the same', () => {
    const store = seeded();
    const entity = store.get(`${P}/agentId=a`)!;
    assert.deepEqual(recordOf(store, 'a'), { agentId: 'a', agentState: 'READY', offered: 1 });
    const shape = entity.shape;
    assert.notEqual(shape, null);
    store.apply(row('a', { agentState: 'NOT_READY' }, true)); // replaces the record, without offered
    assert.equal(entity.shape, shape, 'same fields (offered still shows): the same compiled shape');
    assert.deepEqual(recordOf(store, 'a'), { agentId: 'a', agentState: 'NOT_READY', offered: 1 });
    store.apply(row('b', { agentState: 'READY', offered: 2, handled: 1 }, true)); // b gains a field
    assert.deepEqual(recordOf(store, 'b'), { agentId: 'b', agentState: 'READY', offered: 2, handled: 1 });
    store.apply(row('c', { agentState: 'READY', offered: 3 }, true));
    recordOf(store, 'c');
    const shapeOfC = store.get(`${P}/agentId=c`)!.shape;
    store.pumpupComplete(P);
    assert.deepEqual(recordOf(store, 'a'), { agentId: 'a', agentState: 'NOT_READY' }, 'offered dropped');
    assert.notEqual(entity.shape, shape);
    assert.deepEqual(recordOf(store, 'b'), { agentId: 'b', agentState: 'READY', offered: 2, handled: 1 });
    assert.equal(store.get(`${P}/agentId=c`)!.shape, shapeOfC, 'c refreshed every field: its shape stays');
    assert.deepEqual(recordOf(store, 'c'), { agentId: 'c', agentState: 'READY', offered: 3 });
  });

  it('keeps entities that got a delta during the resync (they exist on the server) without dropping their measures', () => {
    const store = seeded();
    store.beginResync(P); // the stream reconnected: a pumpup follows
    store.apply(row('b', { offered: 5 }, false));
    store.apply(row('new', { offered: 1 }, false));
    store.apply(row('a', { agentState: 'READY', offered: 1 }, true));
    assert.deepEqual(summary(store.pumpupComplete(P)), ['evict:agentId=c:']);
    assert.deepEqual(recordOf(store, 'b'), { agentId: 'b', agentState: 'READY', offered: 5 });
    assert.deepEqual(recordOf(store, 'new'), { agentId: 'new', offered: 1 });
  });

  it('does not protect entities updated outside a resync', () => {
    const store = seeded();
    store.apply(row('b', { offered: 9 }, false)); // between pumpups: no resync open
    store.apply(row('a', { agentState: 'READY', offered: 1 }, true)); // a new pumpup starts here
    store.apply(row('c', { agentState: 'READY', offered: 3 }, true));
    assert.deepEqual(summary(store.pumpupComplete(P)), ['evict:agentId=b:']);
  });

  it('folding an abandoned replacement back keeps every former value the row has not replaced', () => {
    const view = new ProducerView<EntityRecord>(P);
    for (let col = 0; col < 4; col++) view.column(`m${col}`);
    const entity = new EntityRecord(`${P}/agentId=a`, view, ['agentId', 'a']);
    const prev = new Array<unknown>(4);
    prev[0] = 'READY';
    prev[3] = 7;
    entity.prev = prev;
    entity.setValue(0, 'NOT_READY');
    foldPrevious(entity);
    assert.equal(entity.prev, null);
    assert.deepEqual(
      [0, 1, 2, 3].map((col) => entity.valueAt(col)),
      ['NOT_READY', undefined, undefined, 7],
    );
  });

  it('abandons a resync cut by a lost connection: the next pumpup starts over and nothing is lost meanwhile', () => {
    const store = seeded();
    store.apply(row('a', { agentState: 'NOT_READY' }, true)); // partial pumpup…
    store.connectionLost(P); // …cut off
    assert.equal(store.isSynced(P), false);
    assert.deepEqual(recordOf(store, 'a'), { agentId: 'a', agentState: 'NOT_READY', offered: 1 });
    assert.deepEqual(recordOf(store, 'b'), { agentId: 'b', agentState: 'READY', offered: 2 });
    store.beginResync(P);
    store.apply(row('a', { agentState: 'NOT_READY', offered: 7 }, true));
    store.apply(row('b', { agentState: 'READY' }, true));
    const changes = store.pumpupComplete(P);
    assert.deepEqual(summary(changes), ['upsert:agentId=b:offered', 'evict:agentId=c:']);
    assert.equal(store.isSynced(P), true);
    assert.deepEqual(recordOf(store, 'a'), { agentId: 'a', agentState: 'NOT_READY', offered: 7 });
    assert.deepEqual(recordOf(store, 'b'), { agentId: 'b', agentState: 'READY' });
  });

  it('keeps producers apart: one producer completing a pumpup does not touch another', () => {
    const store = seeded();
    const other = 'RoutingService_SoD_3.5';
    store.apply({
      producer: other,
      dimension: { routingServiceName: 'Chat' },
      payload: { active: 0 },
      pumpup: true,
      eventAction: 'UPSERT',
    });
    store.pumpupComplete(other);
    assert.equal(store.size, 4);
    assert.equal(store.isSynced(other), true);
    store.connectionLost(other);
    assert.equal(store.isSynced(other), false);
    assert.equal(store.isSynced(P), true);
  });

  it('handles a delete in the middle of a pumpup', () => {
    const store = seeded();
    store.apply(row('a', { agentState: 'READY', offered: 1 }, true));
    const del = store.apply({
      producer: P,
      dimension: { agentId: 'a' },
      payload: null,
      pumpup: false,
      eventAction: 'DELETE',
    });
    assert.equal(del?.kind, 'delete');
    store.apply(row('b', { agentState: 'READY', offered: 2 }, true));
    assert.deepEqual(summary(store.pumpupComplete(P)), ['evict:agentId=c:']);
    assert.equal(store.size, 1);
  });
});
