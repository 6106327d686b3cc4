// Drives the model: `rate` events per second on a timer (fractional rates accumulate), or flat out
// ('max') in a setImmediate loop that runs only while every socket drains (so memory stays bounded).

const TICK_MS = 50;
/** After a long event-loop stall, do not catch up with a burst of more than this. */
const MAX_CATCH_UP_MS = 1000;
/** Events per flat-out iteration: enough to amortize the loop, small enough to keep it responsive. */
const MAX_BATCH = 256;
const IDLE_POLL_MS = 50;
const CONGESTED_POLL_MS = 2;

export interface TrafficTarget {
  /** Runs `events` model events and sends the deltas. */
  run(events: number): void;
  /** True while the flat-out loop should wait for sockets to drain. */
  congested(): boolean;
  /** Whether anybody is listening (the flat-out loop idles otherwise). */
  streaming(): boolean;
}

export class TrafficDriver {
  private rate: number | 'max' = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private lastTick = 0;
  private carry = 0;

  constructor(private readonly target: TrafficTarget) {}

  get currentRate(): number | 'max' {
    return this.rate;
  }

  setRate(rate: number | 'max'): void {
    this.stop();
    this.rate = rate;
    if (rate === 'max') this.flatOut();
    else if (rate > 0) {
      this.lastTick = Date.now();
      this.carry = 0;
      this.timer = setInterval(() => this.tick(), TICK_MS);
    }
  }

  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      clearTimeout(this.timer);
    }
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private tick(): void {
    const now = Date.now();
    const elapsed = Math.min(now - this.lastTick, MAX_CATCH_UP_MS);
    this.lastTick = now;
    this.carry += ((this.rate as number) * elapsed) / 1000;
    const events = Math.floor(this.carry);
    if (events <= 0) return;
    this.carry -= events;
    this.target.run(events);
  }

  private flatOut(): void {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.rate !== 'max') return;
    if (!this.target.streaming()) {
      this.timer = setTimeout(() => this.flatOut(), IDLE_POLL_MS);
    } else if (this.target.congested()) {
      this.timer = setTimeout(() => this.flatOut(), CONGESTED_POLL_MS);
    } else {
      this.target.run(MAX_BATCH);
      this.immediate = setImmediate(() => this.flatOut());
    }
  }
}
