// The pure store: merging, deletes, queries, the entity bound, derived fields and bad input.
import assert from 'node:assert/strict';
import { SPARSE, type SparseColumn } from '../../lib/state/column-store';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import {
  StateInputError,
  StateStore,
  type ApplyResult,
  type EntityUpdate,
  type StateChange,
} from '../../lib/state/index';

const AGENT = 'Agent_SoD_3.5';
const BY_ACCOUNT = 'AgentByAccount_SoD_3.5';

function upsert(
  producer: string,
  dimension: Record<string, string>,
  measures: Record<string, unknown>,
  pumpup = false,
): EntityUpdate {
  return { producer, dimension, payload: measures, pumpup, eventAction: 'UPSERT' };
}

function change(result: ApplyResult): StateChange {
  assert.ok(result !== null && result.kind !== 'rejected', `expected a change, got ${JSON.stringify(result)}`);
  return result;
}

describe('state store', () => {
  describe('merging deltas', () => {
    it('merges measures per entity and reports what changed with the former values', () => {
      const store = new StateStore({ derived: false });
      const a = change(store.apply(upsert(AGENT, { agentId: 'a1' }, { agentState: 'READY', offered: 1 })));
      assert.equal(a.kind, 'upsert');
      assert.equal(a.created, true);
      assert.deepEqual(a.changed, ['agentState', 'offered']);
      assert.deepEqual({ ...a.previous }, {});
      const b = change(store.apply(upsert(AGENT, { agentId: 'a1' }, { offered: 2, answered: 1 })));
      assert.equal(b.created, false);
      assert.deepEqual(b.changed, ['offered', 'answered']);
      assert.deepEqual({ ...b.previous }, { offered: 1 }, 'a measure without a former value has no previous entry');
      assert.deepEqual({ ...store.record(b.entity) }, { agentId: 'a1', agentState: 'READY', offered: 2, answered: 1 });
    });

    it("gives every change lists of its own, which the next apply and a flow's edits leave alone", () => {
      const store = new StateStore({ derived: false });
      const a = change(store.apply(upsert(AGENT, { agentId: 'a1' }, { s: 'x' })));
      const b = change(store.apply(upsert(AGENT, { agentId: 'a1' }, { s: 'y' })));
      a.changed.push('added by a flow');
      const c = change(store.apply(upsert(AGENT, { agentId: 'a1' }, { s: 'z', t: 1 })));
      assert.deepEqual([a.changed, b.changed, c.changed], [['s', 'added by a flow'], ['s'], ['s', 't']]);
      assert.deepEqual([{ ...a.previous }, { ...b.previous }, { ...c.previous }], [{}, { s: 'x' }, { s: 'y' }]);
      assert.equal(Object.getPrototypeOf(a.previous), null);
      const quiet = change(store.apply(upsert(AGENT, { agentId: 'a1' }, { s: 'w' }), false));
      assert.deepEqual([quiet.changed, { ...quiet.previous }], [[], {}], 'no lists without diff');
      assert.deepEqual(change(store.apply(upsert(AGENT, { agentId: 'a1' }, { s: 'v' }))).changed, ['s']);
    });

    it('keeps entities of different producers and dimensions apart, whatever the key order on the wire', () => {
      const store = new StateStore({ derived: false });
      store.apply(upsert(AGENT, { agentId: 'jsmith' }, { x: 1 }));
      store.apply(upsert(BY_ACCOUNT, { agentId: 'jsmith', accountId: '8501014', channelId: 'Voice' }, { x: 2 }));
      store.apply(upsert(BY_ACCOUNT, { channelId: 'Voice', accountId: '8501014', agentId: 'jsmith' }, { y: 3 }));
      assert.equal(store.size, 2);
      const account = store.get('AgentByAccount_SoD_3.5/accountId=8501014/agentId=jsmith/channelId=Voice');
      assert.ok(account);
      assert.deepEqual(
        { ...store.record(account) },
        { accountId: '8501014', agentId: 'jsmith', channelId: 'Voice', x: 2, y: 3 },
      );
      assert.equal(store.record(store.get('Agent_SoD_3.5/agentId=jsmith')!).x, 1);
    });

    it('stores null (UNKNOWN) as a value and treats undefined as absent', () => {
      const store = new StateStore({ derived: false });
      const c = change(store.apply(upsert(AGENT, { agentId: 'a' }, { loginTimeStamp: null, skipped: undefined })));
      assert.deepEqual(c.changed, ['loginTimeStamp']);
      assert.deepEqual({ ...store.record(c.entity) }, { agentId: 'a', loginTimeStamp: null });
      const d = change(store.apply(upsert(AGENT, { agentId: 'a' }, { loginTimeStamp: 1496242479928 })));
      assert.deepEqual({ ...d.previous }, { loginTimeStamp: null });
    });

    it('returns null for a delta that changes nothing, and for a DELETE of an unknown entity', () => {
      const store = new StateStore();
      store.apply(upsert(AGENT, { agentId: 'a' }, { n: 1 }));
      assert.equal(store.apply(upsert(AGENT, { agentId: 'a' }, { n: 1 })), null);
      assert.equal(store.apply(upsert(AGENT, { agentId: 'a' }, { n: Number.NaN })) === null, false);
      assert.equal(store.apply(upsert(AGENT, { agentId: 'a' }, { n: Number.NaN })), null, 'NaN equals NaN here');
      assert.equal(
        store.apply({
          producer: AGENT,
          dimension: { agentId: 'nobody' },
          payload: null,
          pumpup: false,
          eventAction: 'DELETE',
        }),
        null,
      );
    });

    it('creates an entity from a delta with no measures (it exists on the server)', () => {
      const store = new StateStore();
      const c = change(store.apply(upsert(AGENT, { agentId: 'a' }, {})));
      assert.equal(c.created, true);
      assert.deepEqual(c.changed, []);
      assert.equal(store.size, 1);
    });

    it('lets a dimension field win over a measure of the same name', () => {
      const store = new StateStore();
      const c = change(store.apply(upsert(AGENT, { agentId: 'a' }, { agentId: 'spoofed', n: 1 })));
      assert.equal(store.record(c.entity).agentId, 'a');
    });

    it('skips the diff lists when asked (emit mode "never")', () => {
      const store = new StateStore();
      const c = change(store.apply(upsert(AGENT, { agentId: 'a' }, { n: 1 }), false));
      assert.deepEqual(c.changed, []);
      assert.equal(store.apply(upsert(AGENT, { agentId: 'a' }, { n: 1 }), false), null);
      assert.equal(store.record(c.entity).n, 1);
    });
  });

  describe('deletes', () => {
    it('drops the entity and returns its last record', () => {
      const store = new StateStore({ derived: false });
      store.apply(upsert(AGENT, { agentId: 'a' }, { agentState: 'READY' }));
      store.apply(upsert(AGENT, { agentId: 'b' }, { agentState: 'READY' }));
      const d = change(
        store.apply({
          producer: AGENT,
          dimension: { agentId: 'a' },
          payload: { ignored: 1 },
          pumpup: false,
          eventAction: 'DELETE',
        }),
      );
      assert.equal(d.kind, 'delete');
      assert.deepEqual({ ...store.record(d.entity) }, { agentId: 'a', agentState: 'READY' });
      assert.equal(store.size, 1);
      assert.equal(store.get(d.entity.key), undefined);
      const again = change(store.apply(upsert(AGENT, { agentId: 'a' }, { agentState: 'NOT_READY' })));
      assert.equal(again.created, true, 'a deleted entity comes back as a new one');
      assert.deepEqual({ ...store.record(again.entity) }, { agentId: 'a', agentState: 'NOT_READY' });
    });
  });

  describe('queries', () => {
    const store = new StateStore({ derived: false });
    before(() => {
      store.apply(upsert(AGENT, { agentId: 'a' }, { n: 1 }));
      store.apply(upsert(AGENT, { agentId: 'b' }, { n: 2 }));
      store.apply(upsert(BY_ACCOUNT, { agentId: 'a', accountId: '1', channelId: 'Voice' }, { n: 3 }));
      store.apply(upsert(BY_ACCOUNT, { agentId: 'a', accountId: '2', channelId: 'Chat' }, { n: 4 }));
    });

    it('selects by producer, by dimension values and by both', () => {
      assert.equal(store.select().length, 4);
      assert.deepEqual(
        store.select({ producer: AGENT }).map((e) => e.key),
        ['Agent_SoD_3.5/agentId=a', 'Agent_SoD_3.5/agentId=b'],
      );
      assert.deepEqual(store.select({ dimension: { agentId: 'a' } }).length, 3);
      assert.deepEqual(
        store
          .select({ producer: BY_ACCOUNT, dimension: { agentId: 'a', channelId: 'Chat' } })
          .map((e) => store.record(e).n),
        [4],
      );
      assert.deepEqual(store.select({ producer: 'Nope_SoD_3.5' }), []);
    });

    it('finds one entity by key or by producer and dimension', () => {
      assert.equal(store.record(store.get('Agent_SoD_3.5/agentId=b')!).n, 2);
      assert.equal(store.record(store.find(BY_ACCOUNT, { channelId: 'Voice', agentId: 'a', accountId: '1' })!).n, 3);
      assert.equal(store.find(BY_ACCOUNT, { agentId: 'a' }), undefined, 'a partial dimension is not an entity');
      assert.equal(store.get('Agent_SoD_3.5/agentId=zz'), undefined);
      assert.equal(store.get('Agent_SoD_3.5'), undefined);
    });

    it('hands out fresh records: changing one does not change the store', () => {
      const entity = store.get('Agent_SoD_3.5/agentId=a')!;
      const record = store.record(entity);
      record.n = 999;
      assert.equal(store.record(entity).n, 1);
    });
  });

  describe('reset', () => {
    it('forgets one producer or everything', () => {
      const store = new StateStore();
      store.apply(upsert(AGENT, { agentId: 'a' }, { n: 1 }, true));
      store.apply(upsert(BY_ACCOUNT, { agentId: 'a', accountId: '1', channelId: 'Voice' }, { n: 3 }));
      store.pumpupComplete(AGENT);
      assert.equal(store.isSynced(AGENT), true);
      assert.equal(store.reset(AGENT), 1);
      assert.equal(store.size, 1);
      assert.equal(store.isSynced(AGENT), false);
      assert.equal(store.reset('Unknown_SoD_3.5'), 0);
      assert.equal(store.reset(), 1);
      assert.equal(store.size, 0);
      assert.deepEqual(store.producers(), []);
    });
  });

  describe('record width', () => {
    it('one wide row costs its own values: its measures stay sparse columns, not a column of every row', () => {
      const store = new StateStore();
      for (let i = 0; i < 500; i++) store.apply(upsert(AGENT, { agentId: `x${i}` }, { agentState: 'READY', n: i % 7 }));
      const wide: Record<string, number> = {};
      for (let i = 0; i < 2000; i++) wide['counter' + i] = i;
      store.apply(upsert(AGENT, { agentId: 'wide' }, wide));
      for (let i = 0; i < 500; i++) store.apply(upsert(AGENT, { agentId: `y${i}` }, { agentState: 'BUSY', n: 1 }));
      store.apply(upsert(AGENT, { agentId: 'a' }, { agentState: 'NOT_READY', n: 2 }, true));
      const a = store.get('Agent_SoD_3.5/agentId=a')!;
      const columns = a.view.columns;
      const col = a.view.columnOf('counter1999')!;
      assert.equal(columns.kinds[col], SPARSE, 'a column one row in a thousand uses is a Map');
      assert.equal(
        (columns.arrays[col] as SparseColumn).map.size,
        0,
        'the wide row keeps its 2,000 values in an array of its own, not in the Maps',
      );
      assert.notEqual(columns.kinds[a.view.columnOf('n')!], SPARSE, 'a column every row uses is dense');
      assert.deepEqual({ ...store.record(a) }, { agentId: 'a', agentState: 'NOT_READY', n: 2 });
      store.apply(upsert(AGENT, { agentId: 'a' }, { counter1999: 7 }));
      assert.deepEqual({ ...store.record(a) }, { agentId: 'a', agentState: 'NOT_READY', n: 2, counter1999: 7 });
      assert.equal(Object.keys(store.record(store.get('Agent_SoD_3.5/agentId=wide')!)).length, 2001);
    });

    it('a resync that drops the wide measures leaves nothing of them behind', () => {
      const store = new StateStore();
      const wide: Record<string, number> = { agentState: 1 };
      for (let i = 0; i < 2000; i++) wide['counter' + i] = i;
      store.apply(upsert(AGENT, { agentId: 'w' }, wide));
      const w = store.get('Agent_SoD_3.5/agentId=w')!;
      store.apply(upsert(AGENT, { agentId: 'w' }, { agentState: 2 }, true));
      assert.equal(Object.keys(store.record(w)).length, 2002, 'the former values stay readable during the pumpup');
      store.pumpupComplete(AGENT);
      assert.deepEqual({ ...store.record(w) }, { agentId: 'w', agentState: 2 });
      let held = 0;
      for (let col = 0; col < w.width; col++) if (w.valueAt(col) !== undefined) held++;
      assert.equal(held, 1, 'the dropped counters are gone from the store');
      assert.equal(w.prev, null);
    });

    for (const width of [300, 1200]) {
      it(`reads a row by the names its caller gives as it reads it by enumeration (${width} measures)`, () => {
        // Lap 1 is a resync whose rows bring half the measures: what they did not bring is set aside, then dropped.
        const rows = (lap: number): Record<string, unknown>[] =>
          [0, 1, 2].map((i) => {
            const measures = Object.create(null) as Record<string, unknown>;
            const count = lap === 1 ? width / 2 : width;
            for (let k = 0; k < count; k++) measures[`counter${k}`] = (k * (i + 2) + lap) % 50;
            measures.agentState = lap % 2 === 0 ? 'READY' : null;
            return measures;
          });
        const given = new StateStore();
        const listed = new StateStore();
        const valued = new StateStore(); // names and values given
        for (let lap = 0; lap < 4; lap++) {
          const pumpup = lap === 1;
          rows(lap).forEach((measures, i) => {
            const update = upsert(AGENT, { agentId: `w${i}` }, measures, pumpup);
            const byNames = change(given.apply(update, true, Object.keys(measures)));
            const byEnumeration = change(listed.apply(upsert(AGENT, { agentId: `w${i}` }, { ...measures }, pumpup)));
            // The values are what is read: the object's own are left for them (here: wrong ones).
            const wrong = Object.fromEntries(Object.keys(measures).map((name) => [name, 'not read']));
            const byValues = change(
              valued.apply(
                upsert(AGENT, { agentId: `w${i}` }, wrong, pumpup),
                true,
                Object.keys(measures),
                Object.values(measures),
              ),
            );
            assert.deepEqual(byNames.changed, byEnumeration.changed);
            assert.deepEqual(byValues.changed, byEnumeration.changed);
            assert.deepEqual({ ...byNames.previous }, { ...byEnumeration.previous });
            assert.deepEqual({ ...byValues.previous }, { ...byEnumeration.previous });
            const key = `${AGENT}/agentId=w${i}`;
            assert.deepEqual(given.record(given.get(key)!), listed.record(listed.get(key)!), `lap ${lap}, ${key}`);
            assert.deepEqual(valued.record(valued.get(key)!), listed.record(listed.get(key)!), `lap ${lap}, ${key}`);
          });
          if (pumpup) {
            const dropped = given.pumpupComplete(AGENT).map((c) => [c.kind, c.changed]);
            const expected = listed.pumpupComplete(AGENT).map((c) => [c.kind, c.changed]);
            assert.deepEqual(dropped, expected);
            assert.deepEqual(
              valued.pumpupComplete(AGENT).map((c) => [c.kind, c.changed]),
              expected,
            );
            assert.equal(dropped.length, 3, 'the measures the resync did not bring are dropped');
          }
        }
        // The names are what is read: a name left out is not merged (the caller vouches for them).
        const partial = rows(4)[0]!;
        const result = change(given.apply(upsert(AGENT, { agentId: 'w0' }, partial), true, ['agentState']));
        assert.deepEqual(result.changed, ['agentState']);
        assert.equal(given.record(given.get(`${AGENT}/agentId=w0`)!).counter1, (1 * 2 + 3) % 50, 'lap 3 value kept');
      });
    }
  });

  describe('wide rows made into records', () => {
    const NOW = 5_000_000;
    const WIDTH = 1_000; // over MAX_SHAPE_FIELDS (900): a record built key by key
    /** A row of counters 0…width-1, but those in `without`, valued by `lap`; agentId is a measure too. */
    function row(lap: number, width = WIDTH, without: (k: number) => boolean = () => false): Record<string, unknown> {
      const measures = Object.create(null) as Record<string, unknown>;
      measures.agentId = 'a measure of the dimension name';
      for (let k = 0; k < width; k++) if (!without(k)) measures[`counter${k}`] = (k + lap) % 7;
      measures.lastStateChangeTimestamp = NOW - 1_000 * lap;
      return measures;
    }

    it("makes the record of a wide row given with its names out of the row's own object, equal to the record built", () => {
      const given = new StateStore({ now: () => NOW });
      const built = new StateStore({ now: () => NOW });
      const key = `${AGENT}/agentId=w0`;
      type Step = { measures: Record<string, unknown>; pumpup?: boolean; names?: false; shared: boolean; why: string };
      const steps: Step[] = [
        { measures: row(1), shared: true, why: 'every measure of the record' },
        {
          measures: row(2, WIDTH, (k) => k % 100 === 0),
          shared: true,
          why: '10 measures left out: their values added',
        },
        // The 5 measures a resync's row leaves out are set aside (entity.prev) until it completes: still in the record.
        {
          measures: row(3, WIDTH, (k) => k % 200 === 1),
          pumpup: true,
          shared: true,
          why: 'a resync: the rest set aside',
        },
        // counter3 is 0 in lap 4: then -0 is a change (merge compares as Object.is), and 0 again another one.
        { measures: row(4), shared: true, why: 'lap 4' },
        { measures: { ...row(4), counter3: -0 }, shared: true, why: '-0 where the record holds 0' },
        { measures: row(4), shared: true, why: '0 where the record holds -0' },
        { measures: row(5, WIDTH, (k) => k % 10 === 0), shared: false, why: '100 measures left out' },
        { measures: row(6, 850), shared: false, why: 'a row a compiled record serves' },
        { measures: row(7), names: false, shared: false, why: 'no names given' },
        { measures: row(8), shared: true, why: 'every measure again' },
      ];
      for (const step of steps) {
        const measures = Object.assign(Object.create(null), step.measures) as Record<string, unknown>;
        const update = upsert(AGENT, { agentId: 'w0' }, measures, step.pumpup);
        const result = change(given.apply(update, true, step.names === false ? undefined : Object.keys(measures)));
        change(built.apply(upsert(AGENT, { agentId: 'w0' }, { ...step.measures }, step.pumpup)));
        const expected = built.record(built.get(key)!);
        assert.deepStrictEqual(given.record(given.get(key)!), expected, step.why);
        assert.equal(result.wideRow !== undefined, step.shared, step.why);
        if (result.wideRow === undefined) continue;
        assert.equal(result.wideRow.measures, measures, "the update's own object");
        const record = given.recordFrom(result.entity, result.wideRow);
        assert.equal(record, measures, step.why);
        assert.deepStrictEqual(record, expected, step.why);
        assert.equal(record.agentId, 'w0', 'the dimension wins');
        assert.equal(record.timeInStateMs, NOW - (step.measures.lastStateChangeTimestamp as number));
        if (step.why.includes('-0')) {
          const sign = step.measures.counter3 as number; // the row's: the record's now, sign included
          assert.deepEqual(result.changed, ['counter3'], step.why);
          assert.ok(Object.is(record.counter3, sign), step.why);
        }
      }
    });
  });

  describe('record shapes', () => {
    it('keeps the shape of a changing entity, also when measures take both derived names', () => {
      const store = new StateStore({ now: () => 2_000 });
      const m = { lastStateChangeTimestamp: 1_000, stateSince: 'theirs', timeInStateMs: 'theirs too', n: 1 };
      store.apply(upsert(AGENT, { agentId: 'a' }, m));
      store.apply(upsert(AGENT, { agentId: 'a' }, { n: 2 }));
      const a = store.get('Agent_SoD_3.5/agentId=a')!;
      const first = store.record(a);
      const shape = a.shape;
      assert.ok(shape !== null && shape.build !== null, 'a compiled shape');
      store.apply(upsert(AGENT, { agentId: 'a' }, { n: 3 }));
      const second = store.record(a);
      assert.equal(a.shape, shape, 'a changed value keeps the shape');
      assert.notEqual(second, first);
      assert.equal(Object.getPrototypeOf(second), null);
      assert.deepEqual({ ...second }, { agentId: 'a', ...m, n: 3 });
      store.apply(upsert(AGENT, { agentId: 'a' }, { extra: true }));
      assert.equal(a.shape, null, 'a new field: another shape');
      assert.deepEqual({ ...store.record(a) }, { agentId: 'a', ...m, n: 3, extra: true });
    });

    it('shares one shape between entities with the same fields and builds many different shapes right', () => {
      const store = new StateStore({ now: () => 5_000 });
      const expected = new Map<string, Record<string, unknown>>();
      for (let i = 0; i < 40; i++) {
        const m: Record<string, unknown> = { agentState: 'READY', lastStateChangeTimestamp: 4_000 };
        for (let k = 0; k < 8; k++) if ((i >> (k % 5)) & 1) m['m' + k] = i * 10 + k;
        store.apply(upsert(AGENT, { agentId: 'x' + i }, m));
        expected.set('x' + i, { agentId: 'x' + i, ...m, stateSince: 4_000, timeInStateMs: 1_000 });
      }
      for (const [id, want] of expected)
        assert.deepEqual({ ...store.record(store.get(`Agent_SoD_3.5/agentId=${id}`)!) }, want, id);
      const shapes = new Set([...expected.keys()].map((id) => store.get(`Agent_SoD_3.5/agentId=${id}`)!.shape));
      assert.ok(shapes.size > 1 && shapes.size <= 32, `${shapes.size} shapes for 32 field sets`);
    });

    it('builds records with hostile names key by key: "__proto__" stays a plain field', () => {
      const store = new StateStore();
      store.apply({
        producer: AGENT,
        dimension: { agentId: 'h' },
        payload: JSON.parse('{"__proto__":"x","constructor":"c","n":1}') as Record<string, unknown>,
        pumpup: false,
        eventAction: 'UPSERT',
      });
      const record = store.record(store.get('Agent_SoD_3.5/agentId=h')!);
      assert.equal(Object.getPrototypeOf(record), null);
      assert.deepEqual(Object.keys(record), ['agentId', '__proto__', 'constructor', 'n']);
      assert.equal(record['__proto__'], 'x');
    });

    it('builds the same records where code generation is disallowed (node --disallow-code-generation-from-strings)', () => {
      const script = `
        const { StateStore } = require(${JSON.stringify(path.join(__dirname, '../../lib/state/index.js'))});
        const store = new StateStore({ now: () => 2000 });
        const up = (id, m) => store.apply({ producer: 'P', dimension: { agentId: id }, payload: m, pumpup: false, eventAction: 'UPSERT' });
        up('a', { lastStateChangeTimestamp: 1000, n: 1 }); up('a', { n: 2 }); up('b', { n: 3 });
        const a = store.record(store.get('P/agentId=a')), b = store.record(store.get('P/agentId=b'));
        process.stdout.write(JSON.stringify([a, b, Object.getPrototypeOf(a) === null]));`;
      const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', script], {
        encoding: 'utf8',
      });
      assert.deepEqual(JSON.parse(out), [
        { agentId: 'a', lastStateChangeTimestamp: 1000, n: 2, stateSince: 1000, timeInStateMs: 1000 },
        { agentId: 'b', n: 3 },
        true,
      ]);
    });
  });

  describe('entity bound', () => {
    it('rejects new entities beyond maxEntities but keeps updating the existing ones', () => {
      const store = new StateStore({ maxEntities: 2 });
      store.apply(upsert(AGENT, { agentId: 'a' }, { n: 1 }));
      store.apply(upsert(AGENT, { agentId: 'b' }, { n: 1 }));
      const r = store.apply(upsert(AGENT, { agentId: 'c' }, { n: 1 }));
      assert.deepEqual(r, { kind: 'rejected', key: 'Agent_SoD_3.5/agentId=c', producer: AGENT });
      assert.equal(store.size, 2);
      assert.equal(store.rejected, 1);
      assert.equal(change(store.apply(upsert(AGENT, { agentId: 'a' }, { n: 2 }))).changed[0], 'n');
      store.apply({
        producer: AGENT,
        dimension: { agentId: 'b' },
        payload: null,
        pumpup: false,
        eventAction: 'DELETE',
      });
      assert.equal(
        change(store.apply(upsert(AGENT, { agentId: 'c' }, { n: 1 }))).created,
        true,
        'room again after a delete',
      );
    });

    it('refuses a non-positive bound', () => {
      assert.throws(() => new StateStore({ maxEntities: 0 }), RangeError);
    });
  });

  describe('derived fields', () => {
    it('adds stateSince and timeInStateMs to records with lastStateChangeTimestamp', () => {
      let now = 1_000_000;
      const store = new StateStore({ now: () => now });
      const c = change(store.apply(upsert(AGENT, { agentId: 'a' }, { lastStateChangeTimestamp: 990_000 })));
      assert.equal(store.record(c.entity).stateSince, 990_000);
      assert.equal(store.record(c.entity).timeInStateMs, 10_000);
      now = 1_005_000;
      assert.equal(store.record(c.entity).timeInStateMs, 15_000, 'computed when the record is built');
    });

    it('reads the 20-digit wire form too (normalization off) and never goes negative', () => {
      const store = new StateStore({ now: () => 1496919456000 });
      const c = change(
        store.apply(upsert(AGENT, { agentId: 'a' }, { lastStateChangeTimestamp: '00000001496919456478' })),
      );
      assert.equal(store.record(c.entity).stateSince, 1496919456478);
      assert.equal(store.record(c.entity).timeInStateMs, 0);
    });

    it('leaves records without a usable timestamp alone, and yields to real measures of those names', () => {
      const store = new StateStore({ now: () => 5 });
      const plain = change(store.apply(upsert('VDN_SoD_3.5', { routingPointId: '5003' }, { routingDuration: 1 })));
      assert.equal('stateSince' in store.record(plain.entity), false);
      const unknown = change(store.apply(upsert(AGENT, { agentId: 'u' }, { lastStateChangeTimestamp: null })));
      assert.equal('stateSince' in store.record(unknown.entity), false);
      const own = change(
        store.apply(upsert(AGENT, { agentId: 'o' }, { lastStateChangeTimestamp: 1, stateSince: 'theirs' })),
      );
      assert.equal(store.record(own.entity).stateSince, 'theirs');
      assert.equal(store.record(own.entity).timeInStateMs, 4);
    });

    it('can be turned off', () => {
      const store = new StateStore({ derived: false });
      const c = change(store.apply(upsert(AGENT, { agentId: 'a' }, { lastStateChangeTimestamp: 1 })));
      assert.equal('stateSince' in store.record(c.entity), false);
    });
  });

  describe('the entity key', () => {
    it('takes msg.topic when it is the key of the producer and dimension, and computes it when a flow changed either', () => {
      const store = new StateStore();
      const key = 'AgentByAccount_SoD_3.5/accountId=1/agentId=a/channelId=Voice';
      const dimension = { agentId: 'a', channelId: 'Voice', accountId: '1' };
      const taken = change(
        store.apply({ producer: 'AgentByAccount_SoD_3.5', dimension, payload: { n: 1 }, topic: key }),
      );
      assert.equal(taken.entity.key, key);
      // A topic rewritten by a flow, or one left behind by a changed dimension: the dimension decides.
      const rewritten = change(
        store.apply({ producer: AGENT, dimension: { agentId: 'b' }, payload: { n: 1 }, topic: `${AGENT}/updates` }),
      );
      assert.equal(rewritten.entity.key, `${AGENT}/agentId=b`);
      const stale = change(
        store.apply({ producer: AGENT, dimension: { agentId: 'c' }, payload: { n: 1 }, topic: `${AGENT}/agentId=b` }),
      );
      assert.equal(stale.entity.key, `${AGENT}/agentId=c`);
      assert.equal(store.find(AGENT, { agentId: 'c' }), stale.entity, 'find() lands on the same entity');
      assert.equal(store.size, 3);
    });
  });

  describe('bad input', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['no update at all (null)', null, /update must be an object/],
      ['an update that is a string', 'Agent_SoD_3.5', /update must be an object/],
      ['no producer', { dimension: { agentId: 'a' }, payload: {}, eventAction: 'UPSERT' }, /producer/],
      ['empty producer', { producer: '', dimension: { agentId: 'a' }, payload: {}, eventAction: 'UPSERT' }, /producer/],
      [
        'dimension not an object',
        { producer: AGENT, dimension: 'agentId=a', payload: {}, eventAction: 'UPSERT' },
        /dimension/,
      ],
      ['dimension an array', { producer: AGENT, dimension: ['a'], payload: {}, eventAction: 'UPSERT' }, /dimension/],
      ['empty dimension', { producer: AGENT, dimension: {}, payload: {}, eventAction: 'UPSERT' }, /empty/],
      [
        'dimension value a number',
        { producer: AGENT, dimension: { agentId: 7 }, payload: {}, eventAction: 'UPSERT' },
        /"agentId" is not a string/,
      ],
      [
        'measures an array',
        { producer: AGENT, dimension: { agentId: 'a' }, payload: [1], eventAction: 'UPSERT' },
        /payload/,
      ],
      [
        'measures a string',
        { producer: AGENT, dimension: { agentId: 'a' }, payload: '{"n":1}', eventAction: 'UPSERT' },
        /payload/,
      ],
      [
        'object measure',
        { producer: AGENT, dimension: { agentId: 'a' }, payload: { ok: 1, n: { deep: 1 } }, eventAction: 'UPSERT' },
        /"n" is not/,
      ],
      [
        'unknown eventAction',
        { producer: AGENT, dimension: { agentId: 'a' }, payload: {}, eventAction: 'MERGE' },
        /eventAction/,
      ],
    ];
    for (const [name, input, pattern] of cases) {
      it(`throws a clear StateInputError and changes nothing: ${name}`, () => {
        const store = new StateStore();
        store.apply(upsert(AGENT, { agentId: 'a' }, { n: 1 }));
        assert.throws(
          () => store.apply(input as EntityUpdate),
          (err: unknown) => err instanceof StateInputError && pattern.test(err.message),
        );
        assert.equal(store.size, 1);
        assert.deepEqual({ ...store.record(store.get('Agent_SoD_3.5/agentId=a')!) }, { agentId: 'a', n: 1 });
      });
    }

    it('refuses a producer that invents thousands of measure names, before writing any', () => {
      const store = new StateStore();
      const many: Record<string, number> = {};
      for (let i = 0; i < 5000; i++) many['m' + i] = i;
      assert.throws(() => store.apply(upsert(AGENT, { agentId: 'a' }, many)), /too many distinct measures/);
      assert.equal(store.size, 0);
    });

    it('cuts long names short in error messages', () => {
      const store = new StateStore();
      const name = 'x'.repeat(10_000);
      assert.throws(
        () => store.apply(upsert(AGENT, { agentId: 'a' }, { [name]: {} })),
        (err: unknown) => err instanceof Error && err.message.length < 200,
      );
    });
  });
});
