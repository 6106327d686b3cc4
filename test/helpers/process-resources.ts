// Counting what a process holds open, for the leak checks: active handles and requests by kind
// (process.getActiveResourcesInfo), and a heap figure taken after a forced garbage collection.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sleep } from './wait';

export type ResourceCounts = Record<string, number>;

/** Active resources by kind, e.g. { TCPSocketWrap: 2, Timeout: 5 }. */
export function activeResources(): ResourceCounts {
  const counts: ResourceCounts = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/**
 * The counts to compare against later, taken after one turn of the event loop: mocha arms the running
 * test's timeout timer only after the test function returned its promise, and it must be in both.
 */
export async function baselineResources(): Promise<ResourceCounts> {
  await new Promise((resolve) => setImmediate(resolve));
  return activeResources();
}

/** Kinds (with the surplus) of which there are more now than in `baseline`. */
export function surplus(now: ResourceCounts, baseline: ResourceCounts): ResourceCounts {
  const extra: ResourceCounts = {};
  for (const [kind, n] of Object.entries(now)) if (n > (baseline[kind] ?? 0)) extra[kind] = n - (baseline[kind] ?? 0);
  return extra;
}

/**
 * Waits (bounded) until nothing exceeds the baseline: sockets close and timers fire a few ticks after
 * the close() that ended them. Returns what is still in surplus at the deadline (empty = no leak).
 */
export async function settleTo(baseline: ResourceCounts, timeoutMs = 5_000): Promise<ResourceCounts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const extra = surplus(activeResources(), baseline);
    if (Object.keys(extra).length === 0 || Date.now() > deadline) return extra;
    await sleep(50);
  }
}

let gc: (() => void) | undefined;

/** A full collection (gc exposed at run time, so no node flag is needed). */
export function fullGc(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** Heap in use after a full collection. */
export function heapUsedAfterGc(): number {
  fullGc();
  fullGc();
  return process.memoryUsage().heapUsed;
}
