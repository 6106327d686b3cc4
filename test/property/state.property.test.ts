// Property-based tests of state merging (lib/state StateStore): after ANY history — arbitrary updates,
// deletes, pumpups cut short, lost connections, hostile producer / dimension / measure names, and
// garbage input of every type — a complete pumpup leaves exactly the pumped records, and deltas and
// deletes after it merge like a plain reference map. Bad input is refused with StateInputError (never
// another error), and no built-in prototype changes.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StateInputError, StateStore } from '../../lib/state/index';
import { toEpochMs } from '../../lib/state/record';
import { HOSTILE_KEYS, measuresArb, nullProtoCopy } from '../helpers/wire-arbitraries';
import { guardPrototypes } from '../helpers/prototype-guard';

const PRODUCERS = ['Agent_SoD_3.5', 'VDN_SoD_3.5', '__proto__', 'constructor'];
/** One dimension key per producer; hostile ones included. */
const DIM_KEYS = new Map([
  ['Agent_SoD_3.5', 'agentId'],
  ['VDN_SoD_3.5', 'routingPointId'],
  ['__proto__', '__proto__'],
  ['constructor', 'constructor'],
]);
const dimKey = (producer: string): string => DIM_KEYS.get(producer)!;
const IDS = ['a', 'b', 'c', '0', '__proto__', 'constructor'];

const producerArb = fc.constantFrom(...PRODUCERS);
const idArb = fc.constantFrom(...IDS);

type Op =
  | { op: 'upsert'; producer: string; id: string; measures: Record<string, unknown>; pumpup: boolean }
  | { op: 'delete'; producer: string; id: string; pumpup: boolean }
  | { op: 'complete' | 'lost' | 'resync'; producer: string }
  | { op: 'garbage'; update: unknown };

const upsertArb = fc.record({
  op: fc.constant('upsert' as const),
  producer: producerArb,
  id: idArb,
  measures: measuresArb,
  pumpup: fc.boolean(),
});
const deleteArb = fc.record({
  op: fc.constant('delete' as const),
  producer: producerArb,
  id: idArb,
  pumpup: fc.boolean(),
});
const historyOpArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: upsertArb },
  { weight: 1, arbitrary: deleteArb },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constantFrom('complete' as const, 'lost' as const, 'resync' as const),
      producer: producerArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('garbage' as const),
      // An object always: the state node builds the update from the msg's fields (any of which may be garbage).
      update: fc.oneof(
        fc.object(),
        fc.record({
          producer: fc.anything(),
          dimension: fc.anything(),
          payload: fc.anything(),
          pumpup: fc.anything(),
          eventAction: fc.anything(),
        }),
        fc.record({
          producer: producerArb,
          dimension: fc.dictionary(fc.constantFrom(...HOSTILE_KEYS), fc.anything()),
          payload: fc.anything(),
          pumpup: fc.boolean(),
          eventAction: fc.constant('UPSERT'),
        }),
      ),
    }),
  },
);

/** producer → id → measures: what the server holds when the pumpup runs. */
const truthArb = fc.array(fc.tuple(producerArb, idArb, measuresArb), { maxLength: 20 });

function dimension(producer: string, id: string): Record<string, string> {
  const d = Object.create(null) as Record<string, string>;
  d[dimKey(producer)] = id;
  return d;
}

/** Runs one op; bad input must be refused with StateInputError and nothing else. */
function run(store: StateStore, o: Op): void {
  try {
    if (o.op === 'upsert')
      store.apply({
        producer: o.producer,
        dimension: dimension(o.producer, o.id),
        payload: o.measures,
        pumpup: o.pumpup,
        eventAction: 'UPSERT',
      });
    else if (o.op === 'delete')
      store.apply({
        producer: o.producer,
        dimension: dimension(o.producer, o.id),
        payload: null,
        pumpup: o.pumpup,
        eventAction: 'DELETE',
      });
    else if (o.op === 'complete') store.pumpupComplete(o.producer);
    else if (o.op === 'lost') store.connectionLost(o.producer);
    else if (o.op === 'resync') store.beginResync(o.producer);
    else if (o.op === 'garbage') store.apply(o.update as never);
  } catch (err) {
    if (o.op !== 'garbage' || !(err instanceof StateInputError)) throw err;
  }
}

type Reference = Map<string, Map<string, Record<string, unknown>>>;

/** The record the store should show: dimension fields plus the measures (a dimension field wins). */
function expectedRecord(producer: string, id: string, measures: Record<string, unknown>): Record<string, unknown> {
  const out = nullProtoCopy(measures);
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  out[dimKey(producer)] = id;
  return out;
}

function viewOf(store: StateStore): Reference {
  const view: Reference = new Map();
  for (const p of PRODUCERS) {
    const records = new Map<string, Record<string, unknown>>();
    for (const entity of store.select({ producer: p }))
      records.set(String(entity.dimensionValue(dimKey(p))), store.record(entity));
    view.set(p, records);
  }
  return view;
}

describe('property: state merging', function () {
  this.timeout(60_000);
  guardPrototypes();

  it('converges to exactly the pumped records after any history, then merges deltas like a plain map', () => {
    fc.assert(
      fc.property(
        fc.array(historyOpArb, { maxLength: 60 }),
        truthArb,
        fc.array(
          fc.oneof(
            { weight: 3, arbitrary: upsertArb.map((u) => ({ ...u, pumpup: false })) },
            { weight: 1, arbitrary: deleteArb.map((d) => ({ ...d, pumpup: false })) },
          ),
          { maxLength: 30 },
        ),
        (history, truthRows, deltas) => {
          const store = new StateStore({ derived: false, maxEntities: 1_000 });
          for (const o of history) run(store, o);
          assert.equal(store.size, store.select().length, 'size agrees with the entities held');

          // The reference: a full pumpup per producer (the server's state after a reconnect).
          const reference: Reference = new Map(PRODUCERS.map((p) => [p, new Map<string, Record<string, unknown>>()]));
          const latest = new Map<string, [string, string, Record<string, unknown>]>();
          for (const [p, id, m] of truthRows) latest.set(`${p}\u0000${id}`, [p, id, m]); // one row per entity
          for (const p of PRODUCERS) {
            store.connectionLost(p);
            store.beginResync(p);
            for (const [rp, id, m] of latest.values()) {
              if (rp !== p) continue;
              store.apply({
                producer: p,
                dimension: dimension(p, id),
                payload: m,
                pumpup: true,
                eventAction: 'UPSERT',
              });
              reference.get(p)!.set(id, expectedRecord(p, id, m));
            }
            store.pumpupComplete(p);
          }
          assert.deepEqual(viewOf(store), reference, 'after the pumpup the view is exactly the pumped records');
          assert.ok(store.allSynced());

          for (const d of deltas) {
            run(store, d);
            const records = reference.get(d.producer)!;
            if (d.op === 'delete') records.delete(d.id);
            else if (d.op === 'upsert')
              records.set(
                d.id,
                expectedRecord(d.producer, d.id, { ...(records.get(d.id) ?? {}), ...nullProtoCopy(d.measures) }),
              );
          }
          assert.deepEqual(viewOf(store), reference, 'deltas and deletes merge like a map');
          assert.equal(
            store.size,
            [...reference.values()].reduce((n, r) => n + r.size, 0),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the entity bound under any flood of new entities, counting what it refuses', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 100 }),
        (max, ids) => {
          const store = new StateStore({ derived: false, maxEntities: max });
          let refused = 0;
          const held = new Set<string>();
          for (const raw of ids) {
            const id = raw || '-';
            const r = store.apply({
              producer: 'Agent_SoD_3.5',
              dimension: { agentId: id },
              payload: { a: 1 },
              pumpup: false,
              eventAction: 'UPSERT',
            });
            if (r?.kind === 'rejected') refused++;
            else held.add(id);
          }
          assert.equal(store.size, Math.min(max, new Set(ids.map((i) => i || '-')).size));
          assert.equal(store.size, held.size);
          assert.equal(store.rejected, refused);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('property: records built by shape', function () {
  this.timeout(60_000);
  guardPrototypes();

  // Index-like, inherited and quoting names go through compiled builders; "__proto__" through the key-by-key path.
  const NAMES = [
    'agentState',
    'lastStateChangeTimestamp',
    'stateSince',
    'timeInStateMs',
    'agentId',
    'n',
    '10',
    '0',
    'constructor',
    'a"b\\c\u2028',
  ];
  const valueArb = fc.oneof(
    fc.constantFrom(
      'READY',
      'NOT_READY',
      '00000001496919456478',
      '1496919456478',
      '',
      null,
      0,
      1496919456478,
      -5,
      true,
    ),
    fc.integer(),
  );
  const rowArb = (names: string[]) =>
    fc.dictionary(fc.constantFrom(...names), valueArb, { maxKeys: names.length }).map(nullProtoCopy);
  const opArb = (names: string[]) =>
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          op: fc.constant('upsert' as const),
          id: fc.constantFrom('a', 'b'),
          measures: rowArb(names),
          pumpup: fc.boolean(),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          op: fc.constant('delete' as const),
          id: fc.constantFrom('a', 'b'),
          pumpup: fc.boolean(),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({ op: fc.constantFrom('complete' as const, 'lost' as const, 'resync' as const) }),
      },
    );

  /**
   * The record built from scratch: dimension fields, every visible measure (a dimension field wins), derived fields.
   */
  function fromScratch(entity: ReturnType<StateStore['select']>[number], now: number): Record<string, unknown> {
    const out = Object.create(null) as Record<string, unknown>;
    for (let i = 0; i < entity.dims.length; i += 2) out[entity.dims[i]!] = entity.dims[i + 1];
    entity.view.names.forEach((name, col) => {
      const value = entity.valueAt(col);
      if (value !== undefined && entity.dimensionValue(name) === undefined) out[name] = value;
    });
    const col = entity.view.stateChangeColumn;
    const since = col >= 0 ? toEpochMs(entity.valueAt(col)) : undefined;
    if (since !== undefined) {
      if (out.stateSince === undefined) out.stateSince = since;
      if (out.timeInStateMs === undefined) out.timeInStateMs = Math.max(0, now - since);
    }
    return out;
  }

  const variants: Array<[string, string[]]> = [
    ['', NAMES],
    [' (with "__proto__")', [...NAMES, '__proto__']],
  ];
  for (const [title, names] of variants) {
    it(`equals a record built from scratch after every step, in content and key order, and hands out independent copies${title}`, () => {
      fc.assert(
        fc.property(
          fc.array(opArb(names), { maxLength: 80 }),
          fc.integer({ min: 0, max: 3_000_000_000_000 }),
          (ops, now) => {
            const store = new StateStore({ now: () => now });
            const P = 'Agent_SoD_3.5';
            for (const o of ops) {
              const dimension = Object.assign(Object.create(null), {
                agentId: o.op === 'upsert' || o.op === 'delete' ? o.id : 'a',
              }) as Record<string, string>;
              if (o.op === 'upsert')
                store.apply({ producer: P, dimension, payload: o.measures, pumpup: o.pumpup, eventAction: 'UPSERT' });
              else if (o.op === 'delete')
                store.apply({ producer: P, dimension, payload: null, pumpup: o.pumpup, eventAction: 'DELETE' });
              else if (o.op === 'complete') store.pumpupComplete(P);
              else if (o.op === 'lost') store.connectionLost(P);
              else store.beginResync(P);
              for (const entity of store.select()) {
                const record = store.record(entity);
                const expected = fromScratch(entity, now);
                assert.deepEqual(Object.entries(record), Object.entries(expected));
                assert.equal(Object.getPrototypeOf(record), null);
                record.agentState = 'changed by a flow'; // a consumer's change must not reach the store
                delete record.agentId;
                assert.deepEqual(Object.entries(store.record(entity)), Object.entries(expected));
              }
            }
          },
        ),
        { numRuns: 400 },
      );
    });
  }
});
