// lib/message-ids.ts: the ids of the msgs our nodes create, and how a node tells a lifecycle event it
// already applied from a copy that came over its second wire.
import assert from 'node:assert/strict';
import { LifecycleDeduper, MessageIds } from '../../lib/message-ids';

describe('lib/message-ids', () => {
  describe('MessageIds', () => {
    it('numbers msgs with 16 hex digits, unique within a node and across nodes', () => {
      const a = new MessageIds();
      const b = new MessageIds();
      const seen = new Set<string>();
      for (let i = 0; i < 1000; i++)
        for (const id of [a.next(), b.next()]) {
          assert.match(id, /^[0-9a-f]{16}$/);
          seen.add(id);
        }
      assert.equal(seen.size, 2000);
    });

    it('counts up by one across every 256th id, and takes a new prefix after the 2^32nd', () => {
      const ids = new MessageIds();
      const first = ids.next();
      const counter = (id: string): number => parseInt(id.slice(8), 16);
      let previous = first;
      for (let i = 0; i < 600; i++) {
        const id = ids.next();
        assert.equal(id.slice(0, 8), first.slice(0, 8));
        assert.equal(counter(id), counter(previous) + 1, `${previous} then ${id}`);
        previous = id;
      }
      (ids as unknown as { n: number }).n = 0xffff_ff00; // the last 256 of the counter
      for (let i = 0; i < 255; i++) ids.next();
      assert.equal(ids.next(), `${first.slice(0, 8)}ffffffff`);
      const fresh = ids.next();
      assert.equal(fresh.slice(8), '00000000');
      assert.notEqual(fresh.slice(0, 8), first.slice(0, 8), 'a new prefix (equal by chance once in 2^32)');
    });
  });

  describe('LifecycleDeduper', () => {
    it("knows a copy of a subscribe node's event however late it comes, by the rising counter of its ids", () => {
      const d = new LifecycleDeduper(3);
      const ids = new MessageIds();
      const other = new MessageIds();
      const early = ids.next();
      assert.equal(d.first(early), true);
      assert.equal(d.first(early), false, 'the copy over the second wire');
      for (let i = 0; i < 100; i++) assert.equal(d.first(ids.next()), true);
      assert.equal(d.first(early), false, 'still known after 100 newer events (a window of 3 would have forgotten it)');
      assert.equal(d.first(other.next()), true, "another node's ids count on their own");
    });

    it('lets an id through once, forgets it after `size` others, and never stops an empty id', () => {
      const d = new LifecycleDeduper(3);
      assert.equal(d.first('a'), true);
      assert.equal(d.first('a'), false);
      assert.equal(d.first(''), true);
      assert.equal(d.first(''), true);
      for (const id of ['b', 'c', 'd']) assert.equal(d.first(id), true);
      assert.equal(d.first('a'), true, 'a fell out of the window');
      assert.equal(d.first('d'), false);
    });
  });
});
