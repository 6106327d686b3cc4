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

type Falsy = undefined | null | false | 0 | '';

/**
 * The one poll of the tests: calls `check` (sync or async) every `everyMs` until it gives a truthy value,
 * which it resolves with; rejects naming `what` after `timeoutMs`. An error thrown by `check` ends the wait.
 */
export async function until<T>(
  what: string,
  check: () => T | Falsy | Promise<T | Falsy>,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timeout after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The one sleep of the tests (and of the bench: bench/ imports it from here too). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
