// RequestQueue on the fake clock: the spacing between request starts is measured in clock time, and a
// late timer (a blocked event loop: the clock jumps without running timers) must not release a burst.
import assert from 'node:assert/strict';
import { ClosedError } from '../../../lib/errors';
import { RequestQueue } from '../../../lib/rest/request-queue';
import { FakeClock } from '../../helpers/fake-clock';

describe('lib/rest RequestQueue', () => {
  it('starts requests in order at least spacingMs apart', async () => {
    const clock = new FakeClock();
    const q = new RequestQueue(40, clock);
    const starts: number[] = [];
    const order: number[] = [];
    const all = Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        q.run(() => {
          starts.push(clock.now());
          order.push(i);
          return Promise.resolve(i);
        }),
      ),
    );
    assert.equal(starts.length, 1, 'the first starts at once');
    clock.advance(39);
    assert.equal(starts.length, 1, 'the second waits its full spacing');
    clock.advance(1 + 3 * 40);
    assert.deepEqual(await all, [0, 1, 2, 3, 4]);
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    for (let i = 1; i < starts.length; i++)
      assert.ok((starts[i] as number) - (starts[i - 1] as number) >= 40, `gap ${i}`);
    q.close();
  });

  it('keeps the spacing when the event loop is late (a late timer does not release a burst)', async () => {
    const clock = new FakeClock();
    const q = new RequestQueue(30, clock);
    const starts: number[] = [];
    const all = Promise.all(
      [0, 1, 2, 3].map(() =>
        q.run(() => {
          starts.push(clock.now());
          return Promise.resolve();
        }),
      ),
    );
    // The event loop is blocked past the slots of every waiting task: time passes, no timer runs.
    clock.jump(150);
    for (let i = 0; i < 4; i++) clock.advance(30);
    await all;
    assert.equal(starts.length, 4);
    for (let i = 1; i < starts.length; i++)
      assert.ok((starts[i] as number) - (starts[i - 1] as number) >= 30, `gap ${i}: ${starts.join(', ')}`);
    q.close();
  });

  it('passes results and errors through, and close() rejects waiting tasks', async () => {
    const clock = new FakeClock();
    const q = new RequestQueue(1000, clock);
    assert.equal(await q.run(() => Promise.resolve(7)), 7);
    const waiting = q.run(() => Promise.resolve(8));
    assert.equal(q.pending, 1);
    assert.equal(clock.pending, 1, 'one timer for the head task');
    q.close();
    assert.equal(clock.pending, 0, 'close() clears it');
    await assert.rejects(waiting, ClosedError);
    await assert.rejects(
      q.run(() => Promise.resolve(9)),
      ClosedError,
    );
    const q2 = new RequestQueue(0, clock);
    await assert.rejects(
      // A task whose promise rejects (not one that throws before returning a promise).
      q2.run(() => Promise.reject(new Error('boom'))),
      /boom/,
    );
  });
});
