// lib/state/labels.ts: one dictionary → labels extraction for the dictionary node ('name') and the
// state node ('skip'), and the state node's frozen label map.
import assert from 'node:assert/strict';
import { StateInputError } from '../../lib/state/index';
import { dictionaryLabels, toLabelMap } from '../../lib/state/labels';

const DICTIONARY = {
  dimensions: [{ name: 'agentId', displayName: 'Agent' }],
  measures: [
    { name: 'agentState', displayName: 'Agent state' },
    { name: 'offered' },
    { name: 'blank', displayName: '' },
    { name: '', displayName: 'nameless' },
    { displayName: 'no name' },
    { name: 'agentState', displayName: 'again' },
    null,
    7,
    ['name', 'x'],
  ],
};

describe('state labels (lib/state/labels.ts)', () => {
  describe('dictionaryLabels', () => {
    it("'name': an entry without a displayName (or an empty one) gets its name; empty names are skipped", () => {
      const { map, count } = dictionaryLabels(DICTIONARY, 'name');
      assert.deepEqual({ ...map }, { agentId: 'Agent', agentState: 'again', offered: 'offered', blank: 'blank' });
      assert.equal(count, 4, 'distinct names');
      assert.equal(Object.getPrototypeOf(map), null);
    });

    it("'skip': an entry without a string displayName is left out, an empty one is kept", () => {
      const { map, count } = dictionaryLabels(DICTIONARY, 'skip');
      assert.deepEqual({ ...map }, { agentId: 'Agent', agentState: 'again', blank: '', '': 'nameless' });
      assert.equal(count, 4);
    });

    it('gives nothing for what is not a dictionary', () => {
      for (const d of [undefined, null, 'x', 3, [], { measures: 'x' }]) {
        assert.deepEqual(dictionaryLabels(d, 'name').count, 0);
        assert.deepEqual(Object.keys(dictionaryLabels(d, 'skip').map), []);
      }
    });

    it('keeps hostile names as plain keys', () => {
      const { map } = dictionaryLabels(JSON.parse('{"measures":[{"name":"__proto__","displayName":"P"}]}'), 'skip');
      assert.equal(Object.getPrototypeOf(map), null);
      assert.deepEqual(Object.entries(map), [['__proto__', 'P']]);
    });
  });

  describe('toLabelMap', () => {
    it('prefers msg.labels, skipping values that are not strings, and freezes the map', () => {
      const map = toLabelMap({ a: 'A', b: 2, c: '' }, DICTIONARY);
      assert.deepEqual({ ...map }, { a: 'A', c: '' });
      assert.equal(Object.isFrozen(map), true);
      assert.equal(Object.getPrototypeOf(map), null);
    });

    it("falls back to the dictionary read with 'skip' (no name stands in for a missing displayName)", () => {
      const map = toLabelMap(undefined, DICTIONARY);
      assert.equal(map.offered, undefined);
      assert.equal(map.agentState, 'again');
      assert.equal(Object.isFrozen(map), true);
    });

    it('throws a StateInputError when nothing usable is found', () => {
      assert.throws(() => toLabelMap({ a: 1 }), StateInputError);
      assert.throws(() => toLabelMap(undefined, { measures: [{ name: 'x' }] }), StateInputError);
      assert.throws(() => toLabelMap(null, null), /no labels/);
    });
  });
});
