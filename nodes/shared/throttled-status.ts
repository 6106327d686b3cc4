// Node status updates cost a message to every open editor, so a node that counts messages must not
// call status() per message. ThrottledStatus shows at most one status per interval: update() is
// cheap to call on every message (a null check while a render is pending) and the status shown is
// built when it is due, so it always reflects the latest state and count.
import { realClock, type Clock, type TimerHandle } from '../../lib/clock';
import type { NodeStatus } from './node-red';

export interface StatusTarget {
  status(status: NodeStatus): void;
}

export class ThrottledStatus {
  private timer: TimerHandle | null = null;
  private lastShownAt = 0;
  private lastText: string | undefined;
  private lastFill: string | undefined;
  private lastShape: string | undefined;
  private disposed = false;

  /**
   * @param target the node whose status is shown
   * @param build returns the status to show now (called only when a status is due)
   * @param intervalMs minimum gap between two shown statuses
   * @param clock the timers (a fake one in tests)
   */
  constructor(
    private readonly target: StatusTarget,
    private readonly build: () => NodeStatus,
    private readonly intervalMs = 1000,
    private readonly clock: Clock = realClock,
  ) {}

  /** Something changed: show it now if the last status is older than the interval, else at its end. */
  update(): void {
    if (this.timer !== null || this.disposed) return;
    const wait = this.lastShownAt + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.render();
    } else {
      this.timer = this.clock.setTimeout(this.onTimer, wait);
      this.timer.unref?.();
    }
  }

  /**
   * A change the user must see (a lost or restored connection): shown at once, even inside the
   * interval. Otherwise a reconnect that completes within the interval would never show on the node.
   */
  now(): void {
    if (this.disposed) return;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.render();
  }

  /** Stops updates for good (call from the node's close handler). */
  dispose(): void {
    this.disposed = true;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    if (!this.disposed) this.render();
  };

  private render(): void {
    this.lastShownAt = this.clock.now();
    const status = this.build();
    // Identical statuses are not re-sent (e.g. a state event that changes nothing visible).
    if (status.text === this.lastText && status.fill === this.lastFill && status.shape === this.lastShape) return;
    this.lastText = status.text;
    this.lastFill = status.fill;
    this.lastShape = status.shape;
    this.target.status(status);
  }
}
