// REST-side subscriptions: at most one per (user, producer) — a second POST replaces the first with a
// new guid, so a reconnecting client never duplicates a stream — and at most `maxPerUser` producers
// per user (the licence). The publisher attaches a subscription to a socket when its redirect arrives.
import { randomUUID } from 'node:crypto';

/** The guide's SubscriptionResponse. */
export interface SubscriptionResponse {
  source: string;
  sourceId: string;
  producer: string;
  producerId: string;
  streamType: string;
  version: string;
  transport: string;
  endpoint: string;
  guid: string;
}

export interface Subscription {
  readonly guid: string;
  readonly username: string;
  readonly sourceId: string;
  readonly producerId: string;
  readonly response: SubscriptionResponse;
}

export type SubscribeResult =
  { ok: true; subscription: Subscription; replaced: Subscription | undefined } | { ok: false; limit: number };

/** How many replaced guids to remember (to recognise a client that uses a stale one). */
const REPLACED_MEMORY = 10_000;

export class SubscriptionRegistry {
  private readonly byUser = new Map<string, Map<string, Subscription>>();
  private readonly byGuid = new Map<string, Subscription>();
  private readonly replacedGuids = new Set<string>();

  constructor(
    private readonly maxPerUser: number,
    /** Called when a subscription ends (replaced, deleted or forgotten), so its stream stops. */
    private readonly onEnd: (subscription: Subscription) => void,
  ) {}

  subscribe(
    username: string,
    sourceId: string,
    producerId: string,
    describe: (guid: string) => SubscriptionResponse,
  ): SubscribeResult {
    const previous = this.byUser.get(username)?.get(producerId);
    if (!previous && (this.byUser.get(username)?.size ?? 0) >= this.maxPerUser)
      return { ok: false, limit: this.maxPerUser };
    if (previous) {
      this.end(previous);
      this.rememberReplaced(previous.guid);
    }
    let mine = this.byUser.get(username);
    if (!mine) {
      mine = new Map();
      this.byUser.set(username, mine);
    }
    const guid = randomUUID();
    const subscription: Subscription = { guid, username, sourceId, producerId, response: describe(guid) };
    mine.set(producerId, subscription);
    this.byGuid.set(guid, subscription);
    return { ok: true, subscription, replaced: previous };
  }

  unsubscribe(username: string, producerId: string): Subscription | undefined {
    const subscription = this.byUser.get(username)?.get(producerId);
    if (subscription) this.end(subscription);
    return subscription;
  }

  get(guid: string): Subscription | undefined {
    return this.byGuid.get(guid);
  }

  wasReplaced(guid: string): boolean {
    return this.replacedGuids.has(guid);
  }

  forUser(username: string): Subscription[] {
    return [...(this.byUser.get(username)?.values() ?? [])];
  }

  users(): string[] {
    return [...this.byUser.keys()];
  }

  get size(): number {
    return this.byGuid.size;
  }

  /** Forgets every subscription (a restart). */
  clear(): void {
    for (const subscription of [...this.byGuid.values()]) this.end(subscription);
    this.replacedGuids.clear();
  }

  private end(subscription: Subscription): void {
    this.byGuid.delete(subscription.guid);
    const mine = this.byUser.get(subscription.username);
    mine?.delete(subscription.producerId);
    if (mine?.size === 0) this.byUser.delete(subscription.username);
    this.onEnd(subscription);
  }

  private rememberReplaced(guid: string): void {
    this.replacedGuids.add(guid);
    if (this.replacedGuids.size > REPLACED_MEMORY) {
      const oldest = this.replacedGuids.values().next().value;
      if (oldest !== undefined) this.replacedGuids.delete(oldest);
    }
  }
}
