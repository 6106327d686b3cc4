// Prototype-pollution guard for the property tests: the own keys of the built-in prototypes a hostile
// "__proto__" / "constructor" key could reach, compared before and after a run.
import assert from 'node:assert/strict';

const GUARDED: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];

export type PrototypeKeys = Map<string, string[]>;

export function prototypeKeys(): PrototypeKeys {
  return new Map(GUARDED.map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]));
}

/** Fails when any guarded prototype gained (or lost) a key since `before`, or `{}` grew a property. */
export function assertPrototypesUnchanged(before: PrototypeKeys): void {
  assert.deepEqual(prototypeKeys(), before, 'a built-in prototype changed');
  const probe: Record<string, unknown> = {};
  for (const key of ['polluted', 'isAdmin', 'x']) assert.equal(probe[key], undefined, `({}).${key} is defined`);
}

/**
 * Registers mocha hooks on the current suite: the prototypes' keys are read once every test file has
 * loaded (the Node-RED test helper loads should.js, which adds Object.prototype.should on purpose)
 * and compared after each test.
 */
export function guardPrototypes(): void {
  let atStart: PrototypeKeys;
  before(() => {
    atStart = prototypeKeys();
  });
  afterEach(() => assertPrototypesUnchanged(atStart));
}
