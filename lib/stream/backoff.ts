// Exponential backoff with FULL jitter (delay = random(0, min(cap, floor * 2^attempt))), so that many
// clients that lost the same server do not come back in lock-step. With `halfJitter` the delay is
// random(ceiling / 2, ceiling): for retries that must keep a minimum spacing (a refused login retried
// at once could count against an account lockout). The attempt count resets when a
// connection stayed up for `stableMs` (see markConnected / next).

export interface BackoffOptions {
  floorMs: number;
  capMs: number;
  stableMs: number;
  halfJitter?: boolean;
}

export class Backoff {
  private attempt = 0;
  private connectedAt: number | null = null;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  /** Attempts made since the last reset (0 before the first failure). */
  get attempts(): number {
    return this.attempt;
  }

  /** The connection is up; if it lasts `stableMs`, the next failure starts again from attempt 1. */
  markConnected(): void {
    this.connectedAt = this.now();
  }

  /** The next retry: its number (1-based) and its delay. */
  next(): { attempt: number; delayMs: number } {
    if (this.connectedAt !== null && this.now() - this.connectedAt >= this.options.stableMs) this.attempt = 0;
    this.connectedAt = null;
    const ceiling = Math.min(this.options.capMs, this.options.floorMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const jittered = this.options.halfJitter ? ceiling / 2 + (this.random() * ceiling) / 2 : this.random() * ceiling;
    return { attempt: this.attempt, delayMs: Math.floor(jittered) };
  }

  reset(): void {
    this.attempt = 0;
    this.connectedAt = null;
  }
}
