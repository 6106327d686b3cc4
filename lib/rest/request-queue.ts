// Staggers REST requests: the guide asks for at least 100 ms between requests. Callers enqueue a
// task; the queue starts tasks in FIFO order with starts at least `spacingMs` apart (a task may still
// run while the next one starts: the spacing is between request starts, as the guide words it).
import { ClosedError } from '../errors';

interface Waiting {
  timer: NodeJS.Timeout;
  reject: (err: Error) => void;
}

export class RequestQueue {
  private nextStart = 0;
  private closed = false;
  private readonly waiting = new Set<Waiting>();

  constructor(private readonly spacingMs: number) {}

  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ClosedError());
    const now = Date.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + this.spacingMs;
    const wait = start - now;
    if (wait <= 0) return task();
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting = {
        timer: setTimeout(() => {
          this.waiting.delete(entry);
          task().then(resolve, reject);
        }, wait),
        reject,
      };
      this.waiting.add(entry);
    });
  }

  /** Number of tasks waiting for their slot. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Rejects every waiting task with ClosedError and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const entry of this.waiting) {
      clearTimeout(entry.timer);
      entry.reject(new ClosedError());
    }
    this.waiting.clear();
  }
}
