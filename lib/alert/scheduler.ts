// One scheduler for every alert of a node: a binary min-heap of due times and ONE timer, armed for the
// earliest entry. 10,000 agents × 3 rules cost one timer, not 30,000. Entries are invalidated lazily:
// rescheduling pushes a new entry and bumps the owner's generation, a stale entry is skipped when it
// reaches the top (and the heap is rebuilt when stale entries outnumber live ones). Pure apart from
// the injected clock, so tests drive it with a fake one.

import type { Clock, TimerHandle } from '../clock';

/** Something that can be due: the scheduler keeps its generation to tell live entries from stale ones. */
export interface Schedulable {
  /** Bumped by the scheduler at each (re)schedule or cancel; entries of older generations are stale. */
  timerGen: number;
  /** When it is due (epoch ms), or -1 when not scheduled. */
  due: number;
}

interface Entry<T extends Schedulable> {
  due: number;
  gen: number;
  item: T;
}

/** Longest single wait: setTimeout overflows past 2^31-1 ms; the timer is re-armed at its end. */
const MAX_WAIT_MS = 3_600_000;

export class Scheduler<T extends Schedulable> {
  private heap: Entry<T>[] = [];
  private live = 0;
  private timer: TimerHandle | null = null;
  private armedFor = Infinity;
  private stopped = false;

  /**
   * @param onDue called for every item whose due time has come, in due order, with the due time
   */
  constructor(
    private readonly clock: Clock,
    private readonly onDue: (item: T, due: number) => void,
  ) {}

  /** Items scheduled now (stale entries not counted). */
  get size(): number {
    return this.live;
  }

  /** Whether a timer is armed (there is at most one). */
  get armed(): boolean {
    return this.timer !== null;
  }

  /** (Re)schedules the item at `due` (epoch ms). A time in the past is due at the next run. */
  schedule(item: T, due: number): void {
    if (item.due >= 0 && item.due === due) return; // unchanged: keep the entry
    if (item.due < 0) this.live++;
    item.timerGen++;
    item.due = due;
    this.push({ due, gen: item.timerGen, item });
    this.compactIfStale();
    if (due < this.armedFor) this.arm();
  }

  cancel(item: T): void {
    if (item.due < 0) return;
    item.timerGen++;
    item.due = -1;
    this.live--;
    this.compactIfStale();
  }

  /** Cancels everything and stops the timer for good. */
  stop(): void {
    this.stopped = true;
    this.disarm();
    for (const e of this.heap) if (e.gen === e.item.timerGen) e.item.due = -1;
    this.heap = [];
    this.live = 0;
  }

  /** Runs every item due by now (the timer calls this; tests with a fake clock may too). */
  run(): void {
    this.disarm();
    const now = this.clock.now();
    for (let head = this.heap[0]; head !== undefined && head.due <= now; head = this.heap[0]) {
      const top = this.pop();
      if (top.gen !== top.item.timerGen) continue; // stale
      top.item.due = -1;
      top.item.timerGen++;
      this.live--;
      this.onDue(top.item, top.due);
    }
    this.dropStaleTop();
    if (this.heap.length > 0) this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    this.dropStaleTop();
    const head = this.heap[0];
    if (head === undefined) return this.disarm();
    const due = head.due;
    if (this.timer !== null && due >= this.armedFor) return;
    this.disarm();
    const wait = Math.min(Math.max(0, due - this.clock.now()), MAX_WAIT_MS);
    this.armedFor = due;
    this.timer = this.clock.setTimeout(this.fire, wait);
    this.timer.unref?.(); // an alert due later must not keep a stopping process alive
  }

  private disarm(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = Infinity;
  }

  private readonly fire = (): void => {
    this.timer = null;
    this.armedFor = Infinity;
    this.run();
  };

  private dropStaleTop(): void {
    for (let head = this.heap[0]; head !== undefined && head.gen !== head.item.timerGen; head = this.heap[0])
      this.pop();
  }

  private compactIfStale(): void {
    if (this.heap.length < 1024 || this.heap.length < 2 * this.live) return;
    this.heap = this.heap.filter((e) => e.gen === e.item.timerGen);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private push(entry: Entry<T>): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent] as Entry<T>; // parent < i < heap.length
      if (above.due <= entry.due) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = entry;
  }

  /** Removes the earliest entry. Only called on a non-empty heap. */
  private pop(): Entry<T> {
    const heap = this.heap;
    const top = heap[0] as Entry<T>; // callers check the heap is not empty
    const last = heap.pop() as Entry<T>;
    if (heap.length > 0) {
      heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private down(i: number): void {
    const heap = this.heap;
    const entry = heap[i];
    if (entry === undefined) return;
    for (;;) {
      let child = 2 * i + 1;
      let below = heap[child];
      if (below === undefined) break;
      const right = heap[child + 1];
      if (right !== undefined && right.due < below.due) {
        child++;
        below = right;
      }
      if (below.due >= entry.due) break;
      heap[i] = below;
      i = child;
    }
    heap[i] = entry;
  }
}
