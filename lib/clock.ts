// The one clock of the protocol client: every timer in lib/client, lib/stream, lib/token and lib/rest
// goes through it (backoff retries, the 8 s heartbeat, the stall and close watchdogs, token expiry, the
// REST spacing and deadline), so tests can drive time with a fake one (test/helpers/fake-clock.ts)
// instead of sleeping. The real clock is the default; ClientOptions' internal `clock` replaces it.

/** A timer as a Clock returns it: opaque, except that a real one can be unref'd. */
export interface TimerHandle {
  unref?(): unknown;
}

export interface Clock {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | null | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | null | undefined): void;
  /** Epoch ms. */
  now(): number;
}

/** Node's timers and Date.now. */
export const realClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout | undefined),
  now: () => Date.now(),
};
