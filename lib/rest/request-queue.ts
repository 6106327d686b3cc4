// Staggers REST requests: the guide asks for at least 100 ms between requests. Callers enqueue a
// task; the queue starts tasks in FIFO order, each at least `spacingMs` after the previous one really
// started (a task may still run while the next one starts: the spacing is between request starts, as
// the guide words it). One timer at a time: a late timer (a busy event loop) delays the tasks behind
// it instead of letting them start in a burst.
import type { Clock, TimerHandle } from '../clock';
import { realClock } from '../clock';
import { ClosedError } from '../errors';

interface Waiting {
  start: () => void;
  reject: (err: Error) => void;
}

export class RequestQueue {
  private lastStart = Number.NEGATIVE_INFINITY;
  private closed = false;
  private timer: TimerHandle | null = null;
  private readonly waiting: Waiting[] = [];

  constructor(
    private readonly spacingMs: number,
    private readonly clock: Clock = realClock,
  ) {}

  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ClosedError());
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        try {
          task().then(resolve, reject);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      };
      this.waiting.push({ start, reject });
      this.pump();
    });
  }

  /** Number of tasks waiting for their slot. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Rejects every waiting task with ClosedError and refuses new ones. */
  close(): void {
    this.closed = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
    for (const entry of this.waiting.splice(0)) entry.reject(new ClosedError());
  }

  /** Starts the head task if its slot has come, else sets the one timer for it. */
  private pump(): void {
    while (!this.timer && this.waiting.length > 0) {
      const wait = this.lastStart + this.spacingMs - this.clock.now();
      if (wait > 0) {
        this.timer = this.clock.setTimeout(() => {
          this.timer = null;
          this.pump();
        }, wait);
        return;
      }
      const head = this.waiting.shift() as Waiting;
      head.start();
      // Taken after the start: the clock may tick while the task sends its request, and the next slot
      // must count from when the request really left.
      this.lastStart = this.clock.now();
    }
  }
}
