// A consumer's view of the feed health, from every collector's retained health topics (lib/broker.ts
// reads them from core `mqtt in` msgs): the state and alert nodes of a consumer show it as their status
// and pass it on as lifecycle events.
import type { BrokerInput, FeedState } from './broker';

const RANK: Record<FeedState, number> = { live: 3, synchronising: 2, stale: 1, disconnected: 0 };

/**
 * The feed health a consumer sees, from every collector's retained health topics: a producer is as
 * good as its best collector, and a collector whose Last Will arrived ("offline") counts as
 * disconnected whatever its producers' topics last said.
 */
export class HealthBoard {
  private readonly offline = new Map<string, string>(); // collector → cause
  /** producer → collector → feed */
  private readonly feeds = new Map<string, Map<string, { state: FeedState; cause: string }>>();
  private readonly shown = new Map<string, FeedState>();

  /** Applies one report; returns the producers whose overall state changed, with that state. */
  apply(
    report: Extract<BrokerInput, { kind: 'health' }>,
  ): Array<{ producer: string; state: FeedState; cause: string }> {
    if (report.producer === undefined) {
      if (report.state === 'offline') this.offline.set(report.collector, report.cause || 'collector offline');
      else this.offline.delete(report.collector);
    } else {
      let byCollector = this.feeds.get(report.producer);
      if (byCollector === undefined)
        this.feeds.set(report.producer, (byCollector = new Map<string, { state: FeedState; cause: string }>()));
      byCollector.set(report.collector, { state: report.state as FeedState, cause: report.cause });
    }
    const changes: Array<{ producer: string; state: FeedState; cause: string }> = [];
    for (const producer of this.feeds.keys()) {
      const now = this.overall(producer);
      if (this.shown.get(producer) !== now.state) {
        this.shown.set(producer, now.state);
        changes.push({ producer, ...now });
      }
    }
    return changes;
  }

  overall(producer: string): { state: FeedState; cause: string } {
    let best: { state: FeedState; cause: string } = { state: 'disconnected', cause: 'no collector' };
    for (const [collector, feed] of this.feeds.get(producer) ?? []) {
      const cause = this.offline.get(collector);
      const mine =
        cause !== undefined
          ? { state: 'disconnected' as const, cause: `${collector}: ${cause}` }
          : { state: feed.state, cause: `${collector}: ${feed.cause}` };
      if (RANK[mine.state] > RANK[best.state] || best.cause === 'no collector') best = mine;
    }
    return best;
  }
}

/** The lifecycle event a consumer's state node passes on for an overall feed state. */
export const CONTROL_OF_FEED = {
  live: 'ready',
  synchronising: 'connected',
  stale: 'stale',
  disconnected: 'disconnected',
} as const;
