// "__proto__", "constructor" and "prototype" as dimension and measure names: plain data, no pollution.
import assert from 'node:assert/strict';
import { StateStore } from '../../lib/state/index';
import { toLabelMap } from '../../lib/state/labels';

const HOSTILE = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'];

/** Parsed from JSON, as wire data is: "__proto__" becomes an own property, not a prototype. */
function wire(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

function assertNoPollution(): void {
  const probe: Record<string, unknown> = {};
  assert.equal(probe.polluted, undefined);
  assert.equal(Object.getPrototypeOf(probe), Object.prototype);
  assert.equal(typeof Object.prototype.toString, 'function');
  assert.equal(typeof Object.prototype.hasOwnProperty, 'function');
  assert.equal(Object.keys(Object.prototype).length, 0);
}

describe('state store: hostile keys', () => {
  afterEach(assertNoPollution);

  it('keeps hostile measure names as plain fields of the record', () => {
    const store = new StateStore({ derived: false });
    const measures = wire(
      '{"__proto__":{"polluted":1},"constructor":"c","prototype":7,"hasOwnProperty":1,"toString":"t"}',
    );
    const c = store.apply({
      producer: 'Agent_SoD_3.5',
      dimension: { agentId: 'a' },
      payload: flatten(measures),
      pumpup: false,
      eventAction: 'UPSERT',
    });
    assert.ok(c && c.kind === 'upsert');
    assert.deepEqual(c.changed, HOSTILE);
    const record = store.record(c.entity);
    assert.equal(Object.getPrototypeOf(record), null);
    assert.deepEqual(Object.keys(record), ['agentId', ...HOSTILE]);
    assert.equal(record.__proto__, '{"polluted":1}');
    assert.equal(record.constructor, 'c');
    assert.equal(record.prototype, 7);
    const again = store.apply({
      producer: 'Agent_SoD_3.5',
      dimension: { agentId: 'a' },
      payload: wire('{"__proto__":"x"}'),
      pumpup: false,
      eventAction: 'UPSERT',
    });
    assert.ok(again && again.kind === 'upsert');
    assert.equal(again.previous.__proto__, '{"polluted":1}');
    assert.equal(Object.getPrototypeOf(again.previous), null);
  });

  it('keeps hostile dimension names and values as plain data of the key and the record', () => {
    const store = new StateStore({ derived: false });
    const dimension = wire('{"__proto__":"p","constructor":"c","agentId":"prototype"}') as Record<string, string>;
    const c = store.apply({
      producer: 'Agent_SoD_3.5',
      dimension,
      payload: { n: 1 },
      pumpup: false,
      eventAction: 'UPSERT',
    });
    assert.ok(c && c.kind === 'upsert');
    assert.equal(c.entity.key, 'Agent_SoD_3.5/__proto__=p/agentId=prototype/constructor=c');
    assert.deepEqual(Object.entries(c.entity.dimension()), [
      ['__proto__', 'p'],
      ['agentId', 'prototype'],
      ['constructor', 'c'],
    ]);
    const record = store.record(c.entity);
    assert.equal(record.__proto__, 'p');
    assert.equal(record.constructor, 'c');
    assert.equal(store.find('Agent_SoD_3.5', dimension), c.entity);
    assert.deepEqual(store.select({ dimension: wire('{"__proto__":"p"}') as Record<string, string> }), [c.entity]);
    assert.deepEqual(store.select({ dimension: { constructor: 'zz' } }), []);
  });

  it('survives a persisted view full of hostile names', () => {
    const store = new StateStore({ derived: false });
    store.apply({
      producer: '__proto__',
      dimension: wire('{"__proto__":"p"}') as Record<string, string>,
      payload: wire('{"constructor":1,"__proto__":2}'),
      pumpup: false,
      eventAction: 'UPSERT',
    });
    const copy = new StateStore({ derived: false });
    copy.restore(JSON.parse(JSON.stringify(store.toPersisted())));
    const entity = copy.get('__proto__/__proto__=p');
    assert.ok(entity);
    assert.deepEqual(Object.entries(copy.record(entity)), [
      ['__proto__', 'p'],
      ['constructor', 1],
    ]);
  });

  it('builds label maps without a prototype from hostile names', () => {
    const labels = toLabelMap(wire('{"__proto__":"Proto","constructor":"Konstruktor","n":3}'));
    assert.equal(Object.getPrototypeOf(labels), null);
    assert.deepEqual(Object.entries(labels), [
      ['__proto__', 'Proto'],
      ['constructor', 'Konstruktor'],
    ]);
    assert.equal(Object.isFrozen(labels), true);
  });
});

/** The measures of a wire object with any object value turned into its JSON text (the store takes scalars). */
function flatten(measures: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const name of Object.keys(measures)) {
    const v = measures[name];
    out[name] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
  }
  return out;
}
