// The order of the last pumpup (lib/state/pumpup-order.ts): guesses that are right whatever the rows do, one lookup
// per entity that came, went or moved, bounded lists, and no removed entity kept alive; then through the store.
import assert from 'node:assert/strict';
import { PumpupOrder, type Placed } from '../../lib/state/pumpup-order';
import { StateStore, type EntityUpdate } from '../../lib/state/index';
import { fullGc } from '../helpers/process-resources';

const P = 'Agent_SoD_3.5';

function entity(key: string): Placed & { row: number } {
  return { key, row: 0, orderAt: -1 };
}

/** Places each entity as the pumpup rows of `cycle` would (a guess, then took); returns how many were guessed. */
function pumpup(order: PumpupOrder<Placed>, cycle: number, rows: Placed[]): number {
  const seen = new Set<Placed>();
  let guessed = 0;
  for (const e of rows) {
    if (order.guess(e.key, cycle) === e) guessed++;
    order.took(e, !seen.has(e));
    seen.add(e);
  }
  return guessed;
}

function row(agentId: string, measures: Record<string, unknown>, pumpup: boolean): EntityUpdate {
  return { producer: P, dimension: { agentId }, payload: measures, pumpup, eventAction: 'UPSERT' };
}

function deleteOf(agentId: string): EntityUpdate {
  return { producer: P, dimension: { agentId }, payload: {}, pumpup: false, eventAction: 'DELETE' };
}

/** Whether the entity that `pick` hands back (and drops) is collected once the current job ends. */
async function collected(pick: () => object): Promise<boolean> {
  const ref = new WeakRef(pick());
  await new Promise((resolve) => setImmediate(resolve)); // a WeakRef keeps its target until the job ends
  fullGc();
  return ref.deref() === undefined;
}

describe('pumpup order', () => {
  const keys = (n: number): Placed[] => Array.from({ length: n }, (_, i) => entity(`${P}/agentId=${1000 + i}`));

  it('guesses every row of a pumpup in the last one’s order, and none of the first', () => {
    const order = new PumpupOrder<Placed>(100);
    const rows = keys(6);
    assert.equal(pumpup(order, 1, rows), 0);
    assert.equal(pumpup(order, 2, rows), 6);
    assert.equal(pumpup(order, 3, rows), 6);
  });

  it('costs one miss per entity that came, went or moved, not every row after it', () => {
    const order = new PumpupOrder<Placed>(100);
    const [a, b, c, d, e, f] = keys(6) as [Placed, Placed, Placed, Placed, Placed, Placed];
    pumpup(order, 1, [a, b, c, d, e]);
    assert.equal(pumpup(order, 2, [b, c, d, e]), 3, 'the first one gone: b is found, and the rest guessed');
    assert.equal(pumpup(order, 3, [f, b, c, d, e]), 4, 'a new one first: missed, the rest guessed');
    assert.equal(pumpup(order, 4, [f, d, b, c, e]), 2, 'd moved ahead: d and b missed');
    assert.equal(pumpup(order, 5, [f, d, b, c, e, e, b]), 5, 'rows again for e and b keep their places');
    assert.equal(pumpup(order, 6, [f, d, b, c, e]), 5);
  });

  it('guesses neither a key that is not the row’s nor an entity that left the view', () => {
    const order = new PumpupOrder<Placed>(100);
    const [a, b] = keys(2) as [Placed & { row: number }, Placed & { row: number }];
    pumpup(order, 1, [a, b]);
    assert.equal(order.guess(b.key, 2), undefined, 'the first place holds a');
    order.took(a, true);
    order.forget(b); // b left the view: its place is empty
    assert.equal(b.orderAt, -1);
    assert.equal(order.guess(b.key, 2), undefined);
    pumpup(order, 3, [a]);
    a.row = -1; // a left the view without the order being told
    assert.equal(order.guess(a.key, 4), undefined);
  });

  it('places at most `limit` entities a pumpup', () => {
    const order = new PumpupOrder<Placed>(2);
    const rows = keys(4);
    pumpup(order, 1, rows);
    assert.deepEqual(
      rows.map((e) => e.orderAt),
      [0, 1, -1, -1],
    );
    assert.equal(pumpup(order, 2, rows), 2);
  });

  describe('through the store', () => {
    it('a pumpup row for an entity deleted and made anew during the pumpup finds the new one', () => {
      const store = new StateStore({ derived: false });
      for (const id of ['a', 'b', 'c']) store.apply(row(id, { offered: 1 }, true));
      store.pumpupComplete(P);
      store.apply(row('c', { offered: 2 }, true));
      store.apply(deleteOf('c'));
      store.apply(row('c', { offered: 3 }, false));
      store.apply(row('b', { offered: 2 }, true));
      const change = store.apply(row('c', { offered: 4 }, true));
      assert.ok(change !== null && change.kind === 'upsert');
      assert.equal(change.entity, store.get(`${P}/agentId=c`), 'the live entity, not the deleted one');
      assert.deepEqual({ ...store.record(change.entity) }, { agentId: 'c', offered: 4 });
      store.pumpupComplete(P);
      assert.deepEqual(
        store.select().map((e) => `${e.key.slice(P.length + 1)}:${String(store.record(e).offered)}`),
        ['agentId=b:2', 'agentId=c:4'],
      );
    });

    it('keeps no entity that left the view alive: deleted after it moved, or evicted', async () => {
      const store = new StateStore({ derived: false });
      for (const id of ['a', 'b', 'c']) store.apply(row(id, { offered: 1 }, true));
      store.pumpupComplete(P);
      store.apply(row('c', { offered: 2 }, true)); // c moved to the first place
      store.apply(row('b', { offered: 2 }, true));
      assert.equal(
        await collected(() => {
          const change = store.apply(deleteOf('c'));
          assert.ok(change !== null && change.kind === 'delete');
          return change.entity;
        }),
        true,
        'the deleted c',
      );
      assert.equal(
        await collected(() => {
          const evicted = store.pumpupComplete(P).filter((c) => c.kind === 'evict');
          assert.deepEqual(
            evicted.map((c) => c.entity.key),
            [`${P}/agentId=a`],
          );
          return evicted[0]!.entity;
        }),
        true,
        'the evicted a',
      );
    });
  });
});
