// Keeps a copy of the views in a Node-RED context store (memory, localfilesystem, a Redis store…) so a
// restart shows the last view until the next pumpup. Writes are throttled: at most one per interval
// however busy the stream (a pure debounce would never write under a steady feed), and the snapshot is
// taken when the write happens, so it is always the latest view.

/** The slice of a Node-RED context scope (node.context().flow / .global) used here. */
export interface ContextScope {
  get(key: string, store: string | undefined, callback: (err: Error | null | undefined, value?: unknown) => void): void;
  set(key: string, value: unknown, store: string | undefined, callback: (err?: Error | null) => void): void;
}

export class ViewPersistence {
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private closed = false;
  private failing = false;
  private writing: Promise<void> = Promise.resolve();

  /**
   * @param snapshot returns the value to store (called when a write happens)
   * @param onError called with the first error of a run of failed writes (not for every retry)
   */
  constructor(
    private readonly context: ContextScope,
    private readonly store: string | undefined,
    private readonly key: string,
    private readonly intervalMs: number,
    private readonly snapshot: () => unknown,
    private readonly onError: (err: Error) => void,
  ) {}

  /**
   * The stored view, or undefined when there is none. Writes wait for it: the old view is read before it is
   * replaced.
   */
  load(): Promise<unknown> {
    const loading = new Promise<unknown>((resolve, reject) => {
      try {
        this.context.get(this.key, this.store, (err, value) => (err ? reject(err) : resolve(value)));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err))); // e.g. an invalid key, thrown synchronously
      }
    });
    const settled = (): void => undefined;
    this.writing = loading.then(settled, settled);
    return loading;
  }

  /** The view changed: it is written within the interval. Cheap enough to call per message. */
  changed(): void {
    this.dirty = true;
    if (this.timer === null && !this.closed) {
      this.timer = setTimeout(this.onTimer, this.intervalMs);
      this.timer.unref();
    }
  }

  /** Writes any pending change now and stops the timer for good (from the node's close handler). */
  flush(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    return this.write();
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    void this.write();
  };

  private write(): Promise<void> {
    if (!this.dirty) return this.writing;
    this.dirty = false;
    // Chained: a slow store (Redis) never has two writes of this view racing each other.
    this.writing = this.writing.then(
      () =>
        new Promise<void>((resolve) => {
          const finish = (err?: Error | null): void => {
            if (err) this.fail(err);
            else this.failing = false;
            resolve();
          };
          try {
            this.context.set(this.key, this.snapshot(), this.store, finish);
          } catch (err) {
            finish(err instanceof Error ? err : new Error(String(err)));
          }
        }),
    );
    return this.writing;
  }

  private fail(err: Error): void {
    if (!this.failing) this.onError(err);
    this.failing = true;
  }
}
