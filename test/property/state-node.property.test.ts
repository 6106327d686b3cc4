// Garbage msgs into a running avaya-analytics-state node (through node-red-node-test-helper): every
// msg whose data cannot be an entity reaches the Catch node as exactly one clear error, nothing is
// thrown into the runtime, data with hostile names is stored as plain data, the node keeps answering,
// and no built-in prototype changes.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { helper } from '../helpers/node-red-test-helper';
import { start } from '../helpers/state-node-flow';
import { HOSTILE_KEYS, measuresArb, nullProtoCopy } from '../helpers/wire-arbitraries';
import { guardPrototypes } from '../helpers/prototype-guard';
import { until } from '../helpers/wait';

/** Data msgs the store must refuse: the dimension is not an object of strings, or is empty. */
const badDataMsg = fc.record({
  producer: fc.constantFrom('Agent_SoD_3.5', '__proto__'),
  dimension: fc.oneof(
    fc.constant({}),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.integer(),
    fc.string(),
    fc.dictionary(fc.constantFrom('agentId', ...HOSTILE_KEYS), fc.oneof(fc.integer(), fc.object(), fc.constant(null)), {
      minKeys: 1,
    }),
  ),
  payload: fc.anything(),
  pumpup: fc.anything(),
});

describe('property: garbage into a running state node', function () {
  this.timeout(30_000);
  afterEach(async () => {
    await helper.unload();
  });
  guardPrototypes();

  it('turns each bad msg into one caught error, stores hostile names as data, and keeps answering', async () => {
    const h = await start({ derived: false });
    // Msgs are ordinary objects in Node-RED (its own error path calls msg.hasOwnProperty).
    const bad = fc.sample(badDataMsg, { numRuns: 200, seed: 42 }).map((m) => ({ ...m }));
    h.send(...bad);
    await until('an error per bad msg', () => h.caught.length >= bad.length, 10_000);
    assert.equal(h.caught.length, bad.length);
    for (const m of h.caught) {
      const error = m.error as { message?: unknown } | undefined;
      assert.ok(
        typeof error?.message === 'string' && error.message.length > 0 && error.message.length < 300,
        JSON.stringify(m.error),
      );
    }

    // Hostile measure and dimension-value names are kept as plain data.
    const good = fc.sample(measuresArb, { numRuns: 50, seed: 43 });
    good.forEach((measures, i) =>
      h.send({
        producer: 'Agent_SoD_3.5',
        dimension: { agentId: `a${i}` },
        payload: measures,
        pumpup: false,
        eventAction: 'UPSERT',
      }),
    );
    const snap = await h.snapshot();
    assert.equal(h.caught.length, bad.length, 'good msgs raised errors');
    good.forEach((measures, i) => {
      const record = nullProtoCopy(
        (snap.payload as Record<string, Record<string, unknown>>)[`Agent_SoD_3.5/agentId=a${i}`] ?? {},
      );
      const want = nullProtoCopy(measures);
      for (const k of Object.keys(want)) if (k === 'agentId') delete want[k]; // the dimension field wins
      want.agentId = `a${i}`;
      assert.deepEqual(record, want);
    });
  });
});
