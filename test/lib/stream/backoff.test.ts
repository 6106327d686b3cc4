// Backoff on its own: full jitter, half jitter, the stable-period reset (an injected `now`).
import assert from 'node:assert/strict';
import { Backoff } from '../../../lib/stream/backoff';

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
