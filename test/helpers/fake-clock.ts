// One fake clock for every test that waits for a timeout: time moves only when a test advances it,
// and the timers that fall due on the way run in order, each at its own time. It implements the one Clock
// (lib/clock.ts) of the protocol client, the alert engine and the node statuses, so none is driven by sleeping.
import type { Clock, TimerHandle } from '../../lib/clock';

interface Timer {
  at: number;
  fn: () => void;
  /** 0 for a timeout; the period of an interval. */
  every: number;
}

/** What the fake returns for a timer: an opaque handle (never a number, so `if (timer)` holds). */
class Handle implements TimerHandle {
  constructor(readonly id: number) {}
  unref(): this {
    return this;
  }
}

export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<Handle, Timer>();
  /** The most timers armed at once so far. */
  peak = 0;

  constructor(start = Date.UTC(2025, 0, 6, 9, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.arm(fn, ms, 0);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.arm(fn, ms, Math.max(1, ms));
  }

  clearTimeout(handle: TimerHandle | null | undefined): void {
    if (handle instanceof Handle) this.timers.delete(handle);
  }

  clearInterval(handle: TimerHandle | null | undefined): void {
    this.clearTimeout(handle);
  }

  /** Timers armed now. */
  get pending(): number {
    return this.timers.size;
  }

  /** Delays of the timers armed now, from now, soonest first. */
  get delays(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.t).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way, at its own time. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [Handle, Timer] | undefined;
      for (const entry of this.timers)
        if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      const [handle, timer] = next;
      this.t = Math.max(this.t, timer.at);
      if (timer.every > 0) timer.at += timer.every;
      else this.timers.delete(handle);
      timer.fn();
    }
    this.t = end;
  }

  /** Moves time forward WITHOUT running timers (a blocked event loop); the next advance() runs them late. */
  jump(ms: number): void {
    this.t += ms;
  }

  /** advance(), then lets the promise callbacks the timers started run (a few event-loop turns). */
  async tick(ms: number, turns = 5): Promise<void> {
    this.advance(ms);
    for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private arm(fn: () => void, ms: number, every: number): Handle {
    const handle = new Handle(++this.seq);
    this.timers.set(handle, { at: this.t + Math.max(0, ms), fn, every });
    this.peak = Math.max(this.peak, this.timers.size);
    return handle;
  }
}
