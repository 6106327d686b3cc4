// The public Subscription object and the server-side subscription behind it, the Channel. Several
// Subscriptions for the same producer share one Channel: one POST, one guid, one redirect (the licence
// counts subscriptions, and a second POST for a producer replaces the first). A Subscription keeps its
// identity across reconnects: the same object re-emits its states and the new pumpup.
// Only the SubscriptionTable (subscription-table.ts) changes a Channel's phase and pumpup flag.
import type * as api from '../api';
import type { AnalyticsMessage, FaultCause, SubscriptionEvents, SubscriptionState } from '../api';
import type { ProducerSchema } from '../frames/producer-schema';
import { fallbackSchema } from '../frames/producer-schema';
import type { RouteTarget } from '../frames/router';
import type { SubscriptionResponse } from '../rest/rest-client';
import { TypedEventEmitter } from '../typed-emitter';

/**
 * Where a channel stands. pending: needs a POST; posted: has a SubscriptionResponse, redirect not sent;
 * subscribed: redirect sent, pumpup running; ready: pumpup complete; failed: refused (4xx).
 */
export type ChannelPhase = 'pending' | 'posted' | 'subscribed' | 'ready' | 'failed';

export class Channel implements RouteTarget {
  schema: ProducerSchema;
  sourceId: string;
  phase: ChannelPhase = 'pending';
  response: SubscriptionResponse | null = null;
  /** A pumpup is in progress (redirect sent, or the server started one). */
  pumping = false;
  /** Set when the last member left: late POST results must be undone. */
  removed = false;
  failure: string | null = null;
  /** Why the server refused it (set with `failure`). */
  cause: FaultCause | null = null;
  /** Refused, and its retry is due: the next reconcile pass posts it again. */
  retryDue = false;
  readonly members = new Set<Subscription>();

  constructor(
    readonly producerId: string,
    /** The source the user asked for; undefined = the server's first source. */
    readonly requestedSourceId: string | undefined,
  ) {
    this.schema = fallbackSchema(producerId);
    this.sourceId = requestedSourceId ?? '';
  }

  /** Moves the channel and tells every member (members skip repeats of the same state). */
  setPhase(phase: ChannelPhase, reason?: string): void {
    this.phase = phase;
    const state = publicState(phase);
    for (const m of this.members) m.setState(state, reason);
  }
}

export function publicState(phase: ChannelPhase): SubscriptionState {
  return phase === 'posted' ? 'pending' : phase;
}

/** What the client offers a Subscription (kept narrow so the two stay decoupled). */
export interface SubscriptionOwner {
  requestPumpup(channel: Channel): Promise<void>;
  /** Logs a listener's exception (the README: listeners' exceptions are logged, never thrown into the client). */
  listenerFailed(event: string, producerId: string, err: unknown): void;
}

export class Subscription extends TypedEventEmitter<SubscriptionEvents> implements api.Subscription {
  private current: SubscriptionState = 'pending';
  private reason: string | undefined;

  constructor(
    readonly channel: Channel,
    private readonly owner: SubscriptionOwner | null,
  ) {
    super();
  }

  get producerId(): string {
    return this.channel.producerId;
  }

  /** The source id ('' until the client learned the default source). */
  get sourceId(): string {
    return this.channel.sourceId;
  }

  get state(): SubscriptionState {
    return this.current;
  }

  /** Why the subscription is in its current state (e.g. the server's refusal when failed). */
  get lastReason(): string | undefined {
    return this.reason;
  }

  get failureCause(): FaultCause | null {
    return this.current === 'failed' ? this.channel.cause : null;
  }

  requestPumpup(): Promise<void> {
    if (this.current === 'closed' || !this.owner) return Promise.resolve();
    return this.owner.requestPumpup(this.channel);
  }

  /** Emits 'state' on a change of state only; a new reason for the same state is just recorded. */
  setState(state: SubscriptionState, reason?: string): void {
    if (this.current === 'closed') return;
    const changed = state !== this.current;
    this.current = state;
    this.reason = reason;
    if (!changed) return;
    try {
      this.emit('state', state, reason);
    } catch (err) {
      // Thrown here, it would abort the reconnect or close that changed the state (and leave the
      // server-side subscription behind).
      this.owner?.listenerFailed('state', this.producerId, err);
    }
  }

  deliver(message: AnalyticsMessage): void {
    this.emit('message', message);
  }

  pumpupComplete(): void {
    this.emit('pumpupComplete');
  }
}
