// One supervisor's WebSocket: the streams (subscriptions) attached to it, its heartbeat clock, the
// stall fault, and flow control (wait until the socket drains below a high-water mark).
import type { WebSocket } from 'ws';
import type { Subscription } from '../subscriptions';
import { errorFrame } from './frames';

/** Above this many buffered bytes a sender waits (pumpup chunks, the flat-out traffic loop). */
export const HIGH_WATER_BYTES = 1 << 20;
/** A client that lets this much pile up unread is dropped (so a non-reading peer cannot exhaust memory). */
export const SLOW_CONSUMER_BYTES = 64 << 20;
const DRAIN_POLL_MS = 4;

/** ws copies nothing for a Buffer sent as text; one options object serves every send. */
const TEXT_FRAME = { binary: false } as const;

export interface Stream {
  readonly subscription: Subscription;
  readonly session: Session;
  /** The jti of the token that authorized the redirect (revocation closes the socket). */
  tokenId: string;
  /** While a pumpup runs, live frames wait here and follow the pumpupComplete marker. */
  pumping: boolean;
  backlog: Buffer[];
  /** A pumpup was requested while one was running: run another after it. */
  pumpupAgain: boolean;
}

export class Session {
  /** The supervisor, known after the first accepted subscriptionRedirect. */
  username: string | undefined;
  readonly streams = new Map<string, Stream>();
  stalled = false;
  closed = false;
  /** Counted once: this socket streamed while another socket of the same user did. */
  countedAsDuplicate = false;
  lastClientHeartbeat: number;
  nextHeartbeatAt = 0;
  /** Frames received and not yet handled (redirects wait for token verification). */
  pending = 0;
  queue: Promise<void> = Promise.resolve();
  private drainWaiters: Array<() => void> = [];
  private drainTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    private readonly countFrame: () => void,
  ) {
    this.lastClientHeartbeat = Date.now();
  }

  /** Sends a text frame unless the socket is stalled or closing. */
  send(frame: Buffer | string): void {
    if (this.stalled || this.closed) return;
    this.ws.send(frame, TEXT_FRAME);
    this.countFrame();
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  /** The guide's error frame, then a close (1008 policy violation unless told otherwise). */
  fail(message: string, code = 1008): void {
    if (this.closed) return;
    this.send(errorFrame(message));
    this.close(code, message);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    // A close reason is limited to 123 bytes.
    this.ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
    this.markClosed();
  }

  terminate(): void {
    this.ws.terminate();
    this.markClosed();
  }

  markClosed(): void {
    this.closed = true;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once the socket has drained below the high-water mark (or closed); always yields a turn. */
  writable(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || this.ws.bufferedAmount < HIGH_WATER_BYTES) {
        setImmediate(resolve);
        return;
      }
      this.drainWaiters.push(resolve);
      this.pollDrain();
    });
  }

  private pollDrain(): void {
    if (this.drainTimer) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = undefined;
      if (!this.closed && this.ws.bufferedAmount >= HIGH_WATER_BYTES) {
        this.pollDrain();
        return;
      }
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const wake of waiters) wake();
    }, DRAIN_POLL_MS);
  }
}
