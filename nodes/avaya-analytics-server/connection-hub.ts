// The one client of one server config node, shared by every node that uses the config node (the
// core MQTT broker node's pattern): users register and deregister, connection states fan out to
// every user, the connection opens with the first subscription and closes only when the last user
// is REMOVED. Each user holds at most one subscription; the client shares one server subscription
// among the users of the same producer.
//
// Redeploys: Node-RED stops a changed node (removed = false) and creates its replacement with the
// same id. The stopped node's subscription is "parked" (kept open, nobody listening) and adopted by
// the replacement when it asks for the same stream, so a redeploy costs no new login, socket,
// subscription or pumpup. Parked subscriptions that nobody adopted by the time the flows have
// started again are unsubscribed by sweep().
import { NodeListeners } from '../shared/listeners';
import type {
  AnalyticsClient,
  ClientReconfiguration,
  ConnectionState,
  FaultCause,
  StateEvent,
  Subscription,
} from '../../lib/api';

/** A node using the config node. */
export interface HubUser {
  readonly id: string;
  /** Connection state changes of the shared client (optional: REST-only users do not care). */
  onConnectionState?(event: StateEvent): void;
  /** Bad or dropped input was counted (at most once a second). */
  onInputCause?(cause: FaultCause): void;
}

/** What msg.action "stats" answers: the connection, its last fault and every counter. */
export interface HubStats extends Record<string, unknown> {
  state: ConnectionState;
  lastCause: FaultCause | null;
  inputCause: FaultCause | null;
}

/** A user's (node's) Subscription, as the hub keeps it. */
interface UserSubscription {
  readonly subscription: Subscription;
  readonly producerId: string;
  readonly sourceId: string | undefined;
  /** Its node stopped without being removed: kept for the replacement node. */
  parked: boolean;
}

export interface HubLog {
  info(line: string): void;
  warn(line: string): void;
}

export class ConnectionHub {
  private client: AnalyticsClient | null = null;
  private closing: Promise<void> | null = null;
  private readonly users = new Map<string, HubUser>();
  /** The hub's listeners on its client (a new client after close() gets a new set). */
  private clientListeners = new NodeListeners();
  private readonly held = new Map<string, UserSubscription>();
  private lastState: StateEvent | undefined;
  /** kind:value of the cause logged last (each change is logged once, at warn). */
  private loggedCause: string | null = null;

  /** Whether a new client starts disconnected: "connect on start" off, or a disconnect before it existed. */
  private startStopped: boolean;

  constructor(
    private readonly createClient: () => AnalyticsClient,
    private readonly log: HubLog,
    options: { connectOnStart?: boolean } = {},
  ) {
    this.startStopped = options.connectOnStart === false;
  }

  /** State of the shared client ('idle' while there is none). */
  get state(): ConnectionState {
    return this.client ? this.client.state : 'idle';
  }

  get userCount(): number {
    return this.users.size;
  }

  /** Subscriptions held, parked ones included. */
  get subscriptionCount(): number {
    return this.held.size;
  }

  register(user: HubUser): void {
    this.users.set(user.id, user);
    if (this.lastState && this.client) user.onConnectionState?.(this.lastState);
  }

  /**
   * The user's node is closing. Its subscription is parked (removed = false: a replacement is
   * coming) or unsubscribed (removed = true); when the last user is removed the client closes.
   */
  async deregister(user: HubUser, removed: boolean): Promise<void> {
    this.users.delete(user.id);
    const held = this.held.get(user.id);
    if (removed && this.users.size === 0) {
      await this.close();
    } else if (held && removed) {
      await this.drop(user.id, held);
    } else if (held) {
      held.parked = true;
    }
  }

  /** Retry now (msg.action "retry"): skips the wait of a scheduled reconnect or refusal retry. */
  retryNow(): void {
    this.client?.retryNow();
  }

  /**
   * msg.action "connect": ends a disconnect (or a start without connecting), else retries now. The
   * subscriptions of every node then stream again, with a fresh pumpup.
   */
  connect(): void {
    this.startStopped = false;
    this.client?.connect();
  }

  /** msg.action "disconnect": unsubscribes on the server, closes the socket, stays down until connect(). */
  async disconnect(): Promise<void> {
    this.startStopped = true; // a client created later (first subscription) starts down too
    await this.client?.disconnect();
  }

  /** msg.action "reconfigure": the running client takes the new values (a client made later builds with them). */
  reconfigure(changes: ClientReconfiguration): void {
    this.client?.reconfigure(changes);
  }

  /** msg.action "reconnect": drops the socket and connects again at once. */
  reconnect(): void {
    this.startStopped = false;
    this.client?.reconnect();
  }

  /** The last fault of the connection (kept after recovery), null before any or without a client. */
  get lastCause(): FaultCause | null {
    return this.client?.lastCause ?? null;
  }

  stats(): HubStats {
    const client = this.client;
    if (!client) return { state: 'idle', lastCause: null, inputCause: null };
    return { state: client.state, lastCause: client.lastCause, inputCause: client.inputCause, ...client.stats };
  }

  /** The shared client for REST queries (created on first use; it opens no socket by itself). */
  rest(): AnalyticsClient {
    return this.ensureClient();
  }

  /** Subscribes `userId` to a producer, adopting the subscription its predecessor parked. */
  subscribe(userId: string, producerId: string, sourceId?: string): Subscription {
    const prior = this.held.get(userId);
    if (prior) {
      const usable = prior.subscription.state !== 'failed' && prior.subscription.state !== 'closed';
      if (prior.producerId === producerId && prior.sourceId === sourceId && usable) {
        prior.parked = false;
        return prior.subscription;
      }
      void this.drop(userId, prior);
    }
    const client = this.ensureClient();
    const subscription = sourceId ? client.subscribe(producerId, { sourceId }) : client.subscribe(producerId);
    this.held.set(userId, { subscription, producerId, sourceId, parked: false });
    this.log.info(`subscribing to ${producerId}${sourceId ? ` on ${sourceId}` : ''}`);
    return subscription;
  }

  /** `userId` ends its subscription (the client unsubscribes the stream if nobody else uses it). */
  async unsubscribe(userId: string): Promise<void> {
    const held = this.held.get(userId);
    if (held) await this.drop(userId, held);
  }

  /** Unsubscribes parked subscriptions that no replacement node adopted (call after flows start). */
  async sweep(): Promise<void> {
    const orphans = [...this.held].filter(([, held]) => held.parked);
    await Promise.all(orphans.map(([userId, held]) => this.drop(userId, held)));
  }

  /** Closes the client with the guide's unsubscribe stages (the config node is closing). */
  async close(): Promise<void> {
    const client = this.client;
    const listeners = this.clientListeners;
    this.client = null;
    this.clientListeners = new NodeListeners();
    this.lastState = undefined;
    this.held.clear();
    if (!client) return this.closing ?? undefined;
    this.log.info('closing the connection');
    const closing = client.close().finally(() => listeners.removeAll());
    this.closing = closing;
    await closing;
  }

  private async drop(userId: string, held: UserSubscription): Promise<void> {
    if (this.held.get(userId) === held) this.held.delete(userId);
    const client = this.client;
    if (!client) return;
    this.log.info(`unsubscribing from ${held.producerId}`);
    try {
      await client.unsubscribe(held.subscription);
    } catch (err) {
      this.log.warn(`unsubscribe from ${held.producerId} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private ensureClient(): AnalyticsClient {
    if (this.client) return this.client;
    const client = this.createClient();
    const listeners = this.clientListeners;
    listeners.on(client, 'state', (event: StateEvent) => {
      if (this.client !== client) return;
      this.lastState = event;
      this.logCause(event);
      for (const user of this.users.values()) user.onConnectionState?.(event);
    });
    listeners.on(client, 'input', (cause: FaultCause) => {
      if (this.client !== client) return;
      for (const user of this.users.values()) user.onInputCause?.(cause);
    });
    // No 'warning' listener: the client logs every warning through the node's logger already (a listener
    // here wrote each line twice).
    this.client = client;
    // Synchronously stopped before anything subscribes: no login, no socket until connect().
    if (this.startStopped) void client.disconnect('not connected on start');
    return client;
  }

  /**
   * A new cause is logged once at warn with its full (redacted) text; retries that fail the same way
   * are not. A refused subscription ('idle') was warned about by the client already.
   */
  private logCause(event: StateEvent): void {
    if (event.state === 'ready') this.loggedCause = null;
    const cause = event.cause;
    if (!cause || event.state === 'idle') return;
    const key = `${cause.kind}:${cause.value ?? ''}`;
    if (key === this.loggedCause) return;
    this.loggedCause = key;
    const retry = event.delayMs !== undefined ? ` (retrying in ${Math.round(event.delayMs / 100) / 10} s)` : '';
    this.log.warn(`${cause.short}: ${cause.detail}${retry}`);
  }
}
