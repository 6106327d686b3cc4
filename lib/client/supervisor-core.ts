// What every part of the connection supervisor shares: its options, REST client, backoffs, timers,
// socket, subscription table and counters, and how it reports (state events, warnings, logs).
// The supervisor is built in layers, one concern per file (client.ts describes the whole):
//   supervisor-core.ts     state, events, retry timer            (this file)
//   reconcile.ts           the idempotent reconcile pass, POSTs, redirects, losses
//   socket-lifecycle.ts    opening the socket, its frames, its close
//   connection-control.ts  unsubscribe, disconnect / connect / reconnect / reconfigure, shutdown
//   client.ts              the public AnalyticsClient
import type { EventEmitter } from 'node:events';
import type { ClientOptions, ClientEvents, ConnectionState, FaultCause, StateEvent } from '../api';
import type { Clock, TimerHandle } from '../clock';
import { describeError } from '../errors';
import type { ExtraClientOptions, ResolvedOptions } from '../options';
import { resolveOptions } from '../options';
import { Redactor } from '../redact';
import { RestClient } from '../rest/rest-client';
import { Backoff } from '../stream/backoff';
import type { StreamSocket } from '../stream/stream-socket';
import { TypedEventEmitter } from '../typed-emitter';
import { newCounters } from './counters';
import { InputHealth } from './input-health';
import { SchemaCache } from './schema-cache';
import { SubscriptionTable } from './subscription-table';

export abstract class SupervisorCore extends TypedEventEmitter<ClientEvents> {
  protected readonly counters = newCounters();
  protected o: ResolvedOptions;
  /** The options as given (reconfigure() merges into them). */
  protected given: ClientOptions & ExtraClientOptions;
  protected readonly clock: Clock;
  protected readonly redactor = new Redactor();
  protected restClient: RestClient;
  protected schemas: SchemaCache;
  protected readonly backoff: Backoff;
  /** For faults that need someone to act: starts short, caps at minutes (see resolveOptions). */
  protected readonly faultBackoff: Backoff;
  /** For subscriptions refused with a 4xx (their own timer: the connection may be fine). */
  protected readonly refusalBackoff: Backoff;
  protected refusalTimer: TimerHandle | null = null;
  protected retryTimer: TimerHandle | null = null;
  /** disconnect() was called: nothing connects until connect(). */
  protected stopped = false;
  protected readonly input: InputHealth;
  protected cause: FaultCause | null = null;
  protected readonly table: SubscriptionTable;
  protected current: ConnectionState = 'idle';
  protected socket: StreamSocket | null = null;
  /**
   * Sockets closed or terminated that have not closed yet (a polite close waits up to a grace period for
   * the server's answer): close() waits for them, so that a Node-RED redeploy gets done() with none open.
   */
  private readonly closingSockets = new Set<StreamSocket>();
  /** Bumped on every loss and on close(): a pass in flight stops at its next await. */
  protected epoch = 0;
  protected closing: Promise<void> | null = null;
  protected hadConnection = false;
  private readonly warned = new Set<string>();

  constructor(options: ClientOptions & ExtraClientOptions) {
    super();
    this.given = options;
    this.o = resolveOptions(options);
    const clock = (this.clock = this.o.clock);
    const now = (): number => clock.now();
    this.restClient = new RestClient(this.o, this.redactor);
    this.schemas = new SchemaCache((sourceId) => this.restClient.producers(sourceId));
    this.backoff = new Backoff(this.o.backoff, Math.random, now);
    const faults = { ...this.o.faultBackoff, stableMs: 0, halfJitter: true };
    this.faultBackoff = new Backoff(faults, Math.random, now);
    this.refusalBackoff = new Backoff(faults, Math.random, now);
    this.input = new InputHealth(
      this.o.logger,
      (t) => this.redact(t),
      (cause) => this.safeEmit('input', cause),
      clock,
    );
    const reporter = {
      ambiguous: (keys: string[], producers: string[]) =>
        this.warnOnce(
          'ambiguous',
          `short-form frames with dimension keys {${keys.join(', ')}} match ${producers.join(' and ')}; delivered to each, flagged "ambiguous" (use the long envelope or subscribe to only one of them)`,
        ),
      listenerFailed: (event: string, producerId: string, err: unknown) => this.listenerFailed(event, producerId, err),
    };
    this.table = new SubscriptionTable(this.counters, reporter, this.o.normalize, clock);
  }

  /** A listener of a Subscription threw: user code, logged and never thrown into the client's work. */
  listenerFailed(event: string, producerId: string, err: unknown): void {
    this.o.logger.error(`a '${event}' listener of ${producerId} threw: ${this.redact(describeError(err))}`);
  }

  /** Masks this client's secrets (password, tokens) in any text. */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** Runs a reconcile pass now, or once more after the running one (reconcile.ts). */
  protected abstract kick(): Promise<void>;

  protected alive(epoch: number): boolean {
    return epoch === this.epoch && !this.closing;
  }

  protected scheduleRetry(delayMs: number): void {
    this.cancelRetry();
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      void this.kick();
    }, delayMs);
  }

  protected cancelRetry(): void {
    if (this.retryTimer) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  protected cancelRefusalRetry(): void {
    if (this.refusalTimer) this.clock.clearTimeout(this.refusalTimer);
    this.refusalTimer = null;
  }

  protected closeSocket(reason: string): void {
    this.retireSocket()?.close(reason);
  }

  /** Tears the socket down at once (a lost connection). */
  protected terminateSocket(): void {
    this.retireSocket()?.terminate();
  }

  /** Takes the current socket out of use, kept among the closing ones until it has closed. */
  private retireSocket(): StreamSocket | null {
    const socket = this.socket;
    this.socket = null;
    if (socket !== null) {
      this.closingSockets.add(socket);
      void socket.whenClosed.then(() => this.closingSockets.delete(socket));
    }
    return socket;
  }

  /** Resolves once every socket closed or terminated so far has closed. */
  protected async socketsClosed(): Promise<void> {
    await Promise.all([...this.closingSockets].map((socket) => socket.whenClosed));
  }

  /** 'ready' once the socket is open and every subscription not refused has its snapshot. */
  protected updateReadiness(): void {
    if (!this.socket?.isOpen || !this.table.allReady()) return;
    if (this.current !== 'ready')
      this.setState('ready', this.table.failureSummary() ?? 'every subscription has its snapshot');
  }

  protected setState(
    state: ConnectionState,
    reason?: string,
    extra?: { attempt?: number; delayMs?: number; cause?: FaultCause | undefined },
  ): void {
    if (extra?.cause) this.cause = extra.cause;
    const repeat = state === this.current && state !== 'disconnected' && state !== 'auth-failed';
    this.current = state;
    if (repeat) return;
    const event: StateEvent = { state, at: this.clock.now() };
    if (reason !== undefined) event.reason = this.redact(reason);
    if (extra?.attempt !== undefined) event.attempt = extra.attempt;
    if (extra?.delayMs !== undefined) event.delayMs = extra.delayMs;
    if (extra?.cause) event.cause = extra.cause;
    this.o.logger.debug(`state ${state}${event.reason ? `: ${event.reason}` : ''}`);
    this.safeEmit('state', event);
  }

  protected warn(message: string): void {
    const text = this.redact(message);
    this.o.logger.warn(text);
    this.safeEmit('warning', text);
  }

  protected warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(message);
  }

  /** Listeners are user code: their exceptions are logged, never thrown into the socket handlers. */
  protected safeEmit<K extends keyof ClientEvents>(event: K, ...args: Parameters<ClientEvents[K]>): void {
    try {
      (this as unknown as EventEmitter).emit(event, ...args);
    } catch (err) {
      this.o.logger.error(`a '${event}' listener threw: ${this.redact(describeError(err))}`);
    }
  }
}
