// Waiting helpers for the integration tests: every wait has a deadline and cleans up after itself.
import type { EventEmitter } from 'node:events';

/** Resolves with the first `event` payload matching `predicate`; rejects after `timeoutMs`. */
export function waitForEvent<T = unknown>(
  emitter: EventEmitter,
  event: string,
  predicate: (value: T) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timeout after ${timeoutMs} ms waiting for '${event}'`));
    }, timeoutMs);
    function listener(value: T): void {
      if (!predicate(value)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(value);
    }
    emitter.on(event, listener);
  });
}

/** Polls `check` until it returns true; rejects with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timeout after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
