// The order of the last pumpup (lib/state/pumpup-order.ts): guesses that are right whatever the rows do, and no
// removed entity kept in it; then through the store, a row after its entity was deleted and made anew.
import assert from 'node:assert/strict';
import { PumpupOrder, type Placed } from '../../lib/state/pumpup-order';
import { StateStore, type EntityUpdate } from '../../lib/state/index';

const P = 'Agent_SoD_3.5';

function entity(key: string): Placed & { row: number } {
  return { key, row: 0, orderAt: -1 };
}

/** Places each entity as a pumpup row of `cycle` would (a guess, then took); returns how many were guessed. */
function pumpup(order: PumpupOrder<Placed>, cycle: number, rows: Placed[]): number {
  let guessed = 0;
  for (const e of rows) {
    if (order.guess(e.key, cycle) === e) guessed++;
    order.took(e);
  }
  return guessed;
}

function row(agentId: string, measures: Record<string, unknown>, pumpup: boolean): EntityUpdate {
  return { producer: P, dimension: { agentId }, payload: measures, pumpup, eventAction: 'UPSERT' };
}

describe('pumpup order', () => {
  it('guesses every row of a pumpup in the last one’s order, and none of the first', () => {
    const order = new PumpupOrder<Placed>();
    const rows = ['a', 'b', 'c', 'd'].map((k) => entity(`${P}/agentId=${k}`));
    assert.equal(pumpup(order, 1, rows), 0);
    assert.equal(pumpup(order, 2, rows), 4);
    assert.equal(pumpup(order, 3, rows), 4);
  });

  it('learns a changed order: a row moved, one gone, one new', () => {
    const order = new PumpupOrder<Placed>();
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((k) => entity(k)) as Placed[];
    pumpup(order, 1, [a!, b!, c!, d!]);
    assert.equal(pumpup(order, 2, [b!, a!, d!, e!]), 0); // every place holds another entity now
    assert.equal(pumpup(order, 3, [b!, a!, d!, e!]), 4);
    assert.equal(pumpup(order, 4, [b!, a!]), 2);
    assert.equal(pumpup(order, 5, [b!, a!, d!]), 2, 'the places past the last pumpup’s rows are dropped');
  });

  it('guesses neither a key that is not the row’s nor an entity that left the view', () => {
    const order = new PumpupOrder<Placed>();
    const a = entity('a');
    const b = entity('b');
    pumpup(order, 1, [a, b]);
    assert.equal(order.guess('b', 2), undefined, 'the first place holds a');
    order.took(a);
    order.forget(b); // b left the view: its place is empty (and b is not kept alive by the order)
    assert.equal(b.orderAt, -1);
    assert.equal(order.guess('b', 2), undefined);
    const dead = entity('x');
    pumpup(order, 3, [dead]);
    dead.row = -1; // left the view while also placed elsewhere
    assert.equal(order.guess('x', 4), undefined);
  });

  it('through the store: a pumpup row for an entity deleted and made anew during the pumpup finds the new one', () => {
    const store = new StateStore({ derived: false });
    for (const id of ['a', 'b', 'c']) store.apply(row(id, { offered: 1 }, true));
    store.pumpupComplete(P);
    // The next pumpup: c first (it takes the first place and keeps its third), then c is deleted and made anew,
    // and a row for c comes at the third place, where the order still holds the deleted one.
    store.apply(row('c', { offered: 2 }, true));
    store.apply({ producer: P, dimension: { agentId: 'c' }, payload: {}, pumpup: false, eventAction: 'DELETE' });
    store.apply(row('c', { offered: 3 }, false));
    store.apply(row('b', { offered: 2 }, true));
    const change = store.apply(row('c', { offered: 4 }, true));
    assert.ok(change !== null && change.kind === 'upsert');
    assert.equal(change.entity, store.get(`${P}/agentId=c`), 'the live entity, not the deleted one');
    assert.equal(change.entity.row >= 0, true);
    assert.deepEqual({ ...store.record(change.entity) }, { agentId: 'c', offered: 4 });
    store.pumpupComplete(P);
    assert.deepEqual(
      store.select().map((e) => `${e.key.slice(P.length + 1)}:${String(store.record(e).offered)}`),
      ['agentId=b:2', 'agentId=c:4'],
    );
  });
});
