// The Open Interface client of one supervisor: one token, one WebSocket for every subscription.
//
// The connection supervisor (login, socket, backoff, reconcile) is built in layers, one concern per
// file: supervisor-core.ts (state, events, timers), reconcile.ts (the idempotent pass that POSTs,
// opens the socket and redirects; losses and their backoffs), socket-lifecycle.ts (the socket, its
// frames, its close), connection-control.ts (unsubscribe, disconnect / connect / reconnect /
// reconfigure, close) and this file (the public AnalyticsClient). Every subscription's phase, pumpup
// and routing belong to the SubscriptionTable (subscription-table.ts); REST is `client.rest`.
// A per-instance `epoch` is bumped on every loss and on close(), so a pass that was in flight when the
// world changed stops at its next await instead of acting on stale state.
import type * as api from '../api';
import type { AnalyticsClient, ClientOptions, ConnectionState, FaultCause } from '../api';
import type { ExtraClientOptions } from '../options';
import type { RestClient } from '../rest/rest-client';
import { ConnectionControl } from './connection-control';
import type { ClientCounters } from './counters';
import { Channel, publicState, Subscription } from './subscription';

export class OpenInterfaceClient extends ConnectionControl implements AnalyticsClient {
  get state(): ConnectionState {
    return this.current;
  }

  /** A snapshot of the counters. */
  get stats(): ClientCounters {
    return { ...this.counters, ...this.input.counts, logins: this.restClient.logins };
  }

  /** The REST queries, sharing this client's token (reconfigure() replaces the REST client). */
  get rest(): RestClient {
    return this.restClient;
  }

  get lastCause(): FaultCause | null {
    return this.cause;
  }

  /** The cause of bad or dropped input so far (bad frames outrank dropped values); null when none. */
  get inputCause(): FaultCause | null {
    return this.input.cause();
  }

  subscribe(producerId: string, options?: { sourceId?: string }): Subscription {
    if (typeof producerId !== 'string' || !producerId.trim()) return refusedAtOnce(String(producerId), undefined);
    if (this.closing) return refusedAtOnce(producerId, options?.sourceId, 'the client is closed');
    let channel = this.table.get(producerId);
    const fresh = !channel;
    if (!channel) {
      channel = this.table.add(producerId, options?.sourceId || undefined);
    } else if (options?.sourceId && channel.requestedSourceId && options.sourceId !== channel.requestedSourceId) {
      this.warnOnce(
        `source:${producerId}`,
        `${producerId} is already subscribed on source ${channel.requestedSourceId}; one subscription per producer`,
      );
    }
    const subscription = new Subscription(channel, this);
    channel.members.add(subscription);
    if (fresh || channel.phase === 'failed') {
      this.table.pending(channel, 'subscribing');
      void this.kick();
    } else {
      subscription.setState(publicState(channel.phase), channel.failure ?? undefined);
      // A newcomer on a running channel has missed the snapshot: ask for a fresh pumpup.
      if (channel.phase === 'ready' || channel.phase === 'subscribed') void this.requestPumpup(channel);
    }
    return subscription;
  }

  async unsubscribe(subscription: api.Subscription): Promise<void> {
    if (!(subscription instanceof Subscription) || subscription.state === 'closed') return;
    const channel = subscription.channel;
    if (!channel.members.has(subscription)) {
      subscription.setState('closed', 'unsubscribed');
      return;
    }
    channel.members.delete(subscription);
    subscription.setState('closed', 'unsubscribed');
    if (channel.members.size > 0) return;
    await this.dropChannel(channel);
  }

  /** Re-subscribes one producer (new POST, new redirect), which makes the server send a fresh pumpup. */
  requestPumpup(channel: Channel): Promise<void> {
    if (this.closing || channel.removed) return Promise.resolve();
    this.table.pumpupRequested(channel);
    return this.kick();
  }

  async close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = this.shutdown();
    return this.closing;
  }
}

/** A Subscription that never reaches the server (no producer id, or a closed client). */
function refusedAtOnce(
  producerId: string,
  sourceId: string | undefined,
  reason = 'a producer id is required',
): Subscription {
  const subscription = new Subscription(new Channel(producerId, sourceId), null);
  subscription.setState('failed', reason);
  return subscription;
}

export function createClient(options: ClientOptions & ExtraClientOptions): OpenInterfaceClient {
  return new OpenInterfaceClient(options);
}
