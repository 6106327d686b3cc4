import assert from 'node:assert/strict';
import { Backoff } from '../../lib/stream/backoff';
import { ClosedError } from '../../lib/errors';
import { RequestQueue } from '../../lib/rest/request-queue';

describe('lib/stream Backoff (full jitter)', () => {
  it('draws delays in [0, min(cap, floor·2^attempt)) and counts attempts', () => {
    const b = new Backoff({ floorMs: 100, capMs: 1000, stableMs: 5000 }, () => 0.999999);
    const ceilings = [100, 200, 400, 800, 1000, 1000];
    for (let i = 0; i < ceilings.length; i++) {
      const { attempt, delayMs } = b.next();
      assert.equal(attempt, i + 1);
      assert.ok(
        delayMs < (ceilings[i] as number) && delayMs >= (ceilings[i] as number) - 1,
        `attempt ${attempt}: ${delayMs}`,
      );
    }
    const zero = new Backoff({ floorMs: 100, capMs: 1000, stableMs: 5000 }, () => 0);
    assert.equal(zero.next().delayMs, 0, 'full jitter may retry at once');
  });

  it('spreads delays (random source really used)', () => {
    const b = new Backoff({ floorMs: 1000, capMs: 1000, stableMs: 0 });
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) seen.add(b.next().delayMs);
    assert.ok(seen.size > 10);
  });

  it('resets the attempt count only after a stable period', () => {
    let now = 0;
    const b = new Backoff(
      { floorMs: 100, capMs: 1000, stableMs: 5000 },
      () => 0.5,
      () => now,
    );
    b.next();
    b.next();
    b.markConnected();
    now += 1000; // lost again quickly: keep climbing
    assert.equal(b.next().attempt, 3);
    b.markConnected();
    now += 5000; // stable: start over
    assert.equal(b.next().attempt, 1);
  });
});

describe('lib/rest RequestQueue', () => {
  it('starts requests in order at least spacingMs apart', async () => {
    const q = new RequestQueue(40);
    const starts: number[] = [];
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        q.run(async () => {
          starts.push(Date.now());
          order.push(i);
          return i;
        }),
      ),
    );
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    for (let i = 1; i < starts.length; i++)
      assert.ok((starts[i] as number) - (starts[i - 1] as number) >= 40, `gap ${i}`);
    q.close();
  });

  it('keeps the spacing when the event loop is late (a late timer does not release a burst)', async () => {
    const q = new RequestQueue(30);
    const starts: number[] = [];
    const all = Promise.all([0, 1, 2, 3].map(() => q.run(async () => void starts.push(Date.now()))));
    // Block the event loop past the slots of every waiting task.
    const until = Date.now() + 150;
    while (Date.now() < until);
    await all;
    for (let i = 1; i < starts.length; i++)
      assert.ok((starts[i] as number) - (starts[i - 1] as number) >= 30, `gap ${i}: ${starts.join(', ')}`);
    q.close();
  });

  it('passes results and errors through, and close() rejects waiting tasks', async () => {
    const q = new RequestQueue(1000);
    assert.equal(await q.run(async () => 7), 7);
    const waiting = q.run(async () => 8);
    assert.equal(q.pending, 1);
    q.close();
    await assert.rejects(waiting, ClosedError);
    await assert.rejects(
      q.run(async () => 9),
      ClosedError,
    );
    const q2 = new RequestQueue(0);
    await assert.rejects(
      q2.run(async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
  });
});
