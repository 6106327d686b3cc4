// The client's counters (client.stats): the SubscriptionTable counts deliveries, the supervisor the rest.
import type { ClientStats } from '../api';

export type ClientCounters = ClientStats & { ambiguousMessages: number; serverErrors: number };

export function newCounters(): ClientCounters {
  return {
    framesReceived: 0,
    messagesDelivered: 0,
    heartbeatsReceived: 0,
    malformedFrames: 0,
    unroutableMessages: 0,
    reconnects: 0,
    logins: 0,
    ambiguousMessages: 0,
    serverErrors: 0,
  };
}
