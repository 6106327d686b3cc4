// The alert engine: rules evaluated over an accumulated view (its own StateStore, fed the message
// contract of lib/flow-messages.ts), one episode per rule and entity, one scheduler for all of them.
// Pure: no Node-RED, the clock and timers are injected (tests drive them with a fake clock).
//
// An episode goes pending → raised (→ clearing → raised …) → gone:
//  pending   the condition holds, since `since`; raised at since + the rule's duration
//  raised    "raise" was sent (once per episode); "repeat" every repeat interval unless acknowledged
//  clearing  the condition stopped holding; "clear" is sent after the clear delay unless it holds again
// Measure rules are evaluated only while their producer's view is synced (a pumpup has completed since
// the last loss): a half-finished pumpup never raises or clears. At each pumpupComplete every entity of
// the producer is evaluated again: an alert still true stays raised (no second raise), one that no
// longer holds clears, one of an entity the pumpup did not contain clears as evicted.
import { toEpochMs } from '../state/record';
import { StateStore } from '../state/store';
import type { EntityRecord } from '../state/entity-record';
import { LOSS_EVENTS, RESYNC_EVENTS, type DataMessage } from '../flow-messages';
import type { FeedState } from '../broker';
import { CONTROL_OF_FEED } from '../health-board';
import { FEED_DOWN_EVENTS, FEED_UP_EVENTS, STATE_TIMESTAMPS, type Rule } from './rules';
import { realClock, type Clock } from '../clock';
import { EpisodeBook } from './episode-book';
import { SkewEstimate } from './skew';
import { fieldOf, limitOf } from './entity-fields';
import {
  Episode,
  persistEpisodes,
  persistedEpisodes,
  restoreEpisode,
  type AlertEvent,
  type ClearReason,
  type PersistedAlerts,
} from './episode';

export { ALERTS_FORMAT, ALERTS_VERSION } from './episode';
export { fieldOf } from './entity-fields';
export type { AlertEvent, AlertKind, ClearReason, PersistedAlerts } from './episode';

export interface AlertEngineOptions {
  clock?: Clock;
  /** Only this producer's data and events are watched ('' or undefined: every producer). */
  producer?: string;
  maxEntities?: number;
  emit: (event: AlertEvent) => void;
}

export class AlertEngine {
  readonly store: StateStore;
  private readonly clock: Clock;
  private readonly producer: string;
  private readonly measureRules: Rule[];
  private readonly feedRules: Rule[];
  private readonly rulesById: Map<string, Rule>;
  private readonly book: EpisodeBook;
  private readonly skew = new Map<string, SkewEstimate>();
  /** Producers whose feed is down: the event and when. */
  private readonly feedDown = new Map<string, { event: string; at: number }>();
  /** Conditions never count as holding before this time (set by reset). */
  private notBefore = 0;
  /** Called after any change that a persisted copy should see. */
  set onChange(fn: () => void) {
    this.book.onChange = fn;
  }

  constructor(rules: readonly Rule[], options: AlertEngineOptions) {
    this.clock = options.clock ?? realClock;
    this.producer = options.producer ?? '';
    const clock = this.clock;
    this.store = new StateStore({ maxEntities: options.maxEntities, derived: true, now: () => clock.now() });
    this.measureRules = rules.filter((r) => r.kind === 'measure');
    this.feedRules = rules.filter((r) => r.kind === 'feed');
    this.rulesById = new Map(rules.map((r) => [r.id, r]));
    this.book = new EpisodeBook(this.clock, this.store, options.emit);
  }

  /** Alerts raised now (including those waiting out their clear delay). */
  get raised(): number {
    return this.book.raisedCount;
  }

  /** Episodes tracked (pending and raised). */
  get tracked(): number {
    return this.book.episodes.size;
  }

  /** Episodes waiting for the scheduler, and whether its one timer is armed. */
  get timers(): { scheduled: number; armed: boolean } {
    return this.book.timers;
  }

  /** Whether the engine watches this producer. */
  watches(producer: string): boolean {
    return this.producer === '' || this.producer === producer;
  }

  // ---- input --------------------------------------------------------------------------------------

  /** A data msg of the contract (pumpup row, delta or delete). Throws StateInputError for bad input. */
  data(msg: DataMessage): void {
    if (!this.watches(msg.producer)) return;
    const result = this.store.apply(msg, false);
    if (result === null || result.kind === 'rejected') return;
    if (result.kind !== 'upsert') {
      this.endEntity(result.entity, 'deleted');
      return;
    }
    // A live delta carrying the state timestamp was sent when the state changed: its age on arrival
    // is the offset between the two clocks (plus the transit time).
    if (sentAtStateChange(msg)) {
      const ts = toEpochMs(msg.payload?.lastStateChangeTimestamp);
      if (ts !== undefined) this.skewOf(msg.producer).sample(this.clock.now() - ts);
    }
    if (result.entity.view.synced) this.evaluate(result.entity);
  }

  /** A lifecycle event of the contract; `at` is when it happened (msg.payload.at), default now. */
  lifecycle(event: string, producer: string, at?: number): void {
    if (!this.watches(producer)) return;
    this.feed(event, producer, at ?? this.clock.now());
    if (event === 'pumpupComplete') {
      for (const change of this.store.pumpupComplete(producer)) {
        if (change.kind !== 'upsert') this.endEntity(change.entity, 'evicted');
      }
      this.evaluateProducer(producer);
    } else if (LOSS_EVENTS.has(event as never)) {
      this.store.connectionLost(producer);
    } else if (RESYNC_EVENTS.has(event as never)) {
      this.store.beginResync(producer);
    }
  }

  /**
   * A broker consumer's feed health (lib/broker.ts HealthBoard: a producer is as good as its best
   * collector). There is no pumpup to complete: the retained records are the view, current while the
   * feed is live. Live: synced, and every entity evaluated as at a pumpupComplete (nothing is evicted);
   * otherwise not synced. The feed rules see the lifecycle event the state amounts to.
   */
  health(producer: string, state: FeedState, at?: number): void {
    if (!this.watches(producer)) return;
    this.feed(CONTROL_OF_FEED[state], producer, at ?? this.clock.now());
    const live = state === 'live';
    this.store.setSynced(producer, live);
    if (live) this.evaluateProducer(producer);
  }

  // ---- commands -----------------------------------------------------------------------------------

  /** The raised alerts (and those waiting out their clear delay), as alert events (alert = "raise"). */
  list(): AlertEvent[] {
    return this.book.list();
  }

  /** Acknowledges one alert: no more repeats, it still clears. Returns it, or null when it is not raised. */
  ack(id: string): AlertEvent | null {
    return this.book.ack(id);
  }

  /**
   * Clears every raised alert (a "clear" with reason "reset" each) and forgets every episode. Conditions
   * that still hold start again from now: they raise after their full duration.
   */
  reset(): number {
    let cleared = 0;
    for (const ep of [...this.book.episodes.values()]) {
      if (ep.state !== 'pending') {
        this.book.clear(ep, 'reset');
        cleared++;
      } else this.book.drop(ep);
    }
    this.notBefore = this.clock.now();
    for (const [producer, down] of this.feedDown) this.feed(down.event, producer, this.notBefore);
    for (const producer of this.store.producers()) if (this.store.isSynced(producer)) this.evaluateProducer(producer);
    this.book.onChange();
    return cleared;
  }

  /** Stops the scheduler for good (the node closes). */
  stop(): void {
    this.book.stop();
  }

  // ---- persistence (lib/alert/episode.ts) ---------------------------------------------------------

  toPersisted(): PersistedAlerts {
    return persistEpisodes(this.book.episodes.values());
  }

  /**
   * Takes back the episodes of a persisted copy (a redeploy or restart): raised alerts stay raised and
   * are not raised again. Nothing is evaluated until the producer's next pumpup completes. Episodes of
   * rules that no longer exist, or already known, are skipped. Returns the number restored.
   */
  restore(data: unknown): number {
    let restored = 0;
    for (const p of persistedEpisodes(data)) {
      if (this.book.episodes.has(p.id) || !this.watches(p.producer)) continue;
      const rule = this.rulesById.get(p.rule);
      if (rule === undefined) continue;
      const ep = restoreEpisode(p, rule);
      if (ep === null) continue;
      this.book.episodes.set(ep.id, ep);
      if (ep.state !== 'pending') this.book.raisedCount++;
      restored++;
    }
    return restored;
  }

  // ---- evaluation ---------------------------------------------------------------------------------

  private evaluateProducer(producer: string): void {
    const view = this.store.select({ producer });
    for (const entity of view) this.evaluate(entity);
    // Episodes of entities the view no longer has (restored ones the pumpup did not send).
    for (const ep of [...this.book.episodes.values()]) {
      if (ep.rule.kind === 'measure' && ep.producer === producer && this.store.get(ep.key) === undefined)
        this.book.endEpisode(ep, null, 'evicted');
    }
  }

  /** Every measure rule on one entity of a synced view. */
  private evaluate(entity: EntityRecord): void {
    const now = this.clock.now();
    for (const rule of this.measureRules) {
      const id = rule.id + '/' + entity.key;
      const scope = rule.scope;
      const condition = rule.condition!;
      const value = fieldOf(entity, condition.field);
      const holds = (scope === null || scope.test(fieldOf(entity, scope.field))) && condition.test(value);
      let ep = this.book.episodes.get(id);
      if (!holds) {
        if (ep !== undefined) this.book.stopHolding(ep, entity, now);
        continue;
      }
      if (ep === undefined) {
        ep = new Episode(id, rule, entity.key, entity.view.id);
        ep.since = now;
        this.book.episodes.set(id, ep);
      }
      ep.value = value;
      ep.by = rule.durationBy === '' ? undefined : fieldOf(entity, rule.durationBy);
      ep.limitMs = limitOf(rule, ep.by);
      if (ep.state === 'pending') ep.since = this.sinceOf(rule, entity, ep.since, now);
      this.book.conditionHolds(ep, entity, now);
    }
  }

  /** When the condition of a pending episode started: the entity's state timestamp when the rule's field has one. */
  private sinceOf(rule: Rule, entity: EntityRecord, current: number, now: number): number {
    let since = current;
    const tsField = STATE_TIMESTAMPS[rule.condition!.field];
    if (tsField !== undefined) {
      const ts = toEpochMs(fieldOf(entity, tsField));
      // On Node-RED's clock: the producer's timestamp plus the measured offset, never in the future.
      if (ts !== undefined) since = Math.min(now, ts + (this.skew.get(entity.view.id)?.offset ?? 0));
    }
    return Math.max(since, this.notBefore);
  }

  private skewOf(producer: string): SkewEstimate {
    let skew = this.skew.get(producer);
    if (skew === undefined) this.skew.set(producer, (skew = new SkewEstimate()));
    return skew;
  }

  // ---- feed-health rules --------------------------------------------------------------------------

  private feed(event: string, producer: string, at: number): void {
    const down = FEED_DOWN_EVENTS.has(event);
    const up = FEED_UP_EVENTS.has(event);
    if (down) this.feedDown.set(producer, { event, at: this.feedDown.get(producer)?.at ?? at });
    else if (up) this.feedDown.delete(producer);
    else return;
    const now = this.clock.now();
    for (const rule of this.feedRules) {
      const id = rule.id + '/' + producer;
      let ep = this.book.episodes.get(id);
      if (up) {
        if (ep !== undefined) this.book.stopHolding(ep, null, now);
        continue;
      }
      if (ep === undefined) {
        ep = new Episode(id, rule, producer, producer);
        ep.since = Math.max(Math.min(at, now), this.notBefore);
        ep.limitMs = rule.durationMs;
        this.book.episodes.set(id, ep);
      }
      ep.value = event;
      this.book.conditionHolds(ep, null, now);
    }
  }

  // ---- transitions --------------------------------------------------------------------------------

  /** The entity is gone (deleted, or evicted by a pumpup): its alerts clear now, whatever the clear delay. */
  private endEntity(entity: EntityRecord, reason: ClearReason): void {
    for (const rule of this.measureRules) {
      const ep = this.book.episodes.get(rule.id + '/' + entity.key);
      if (ep !== undefined) this.book.endEpisode(ep, entity, reason);
    }
  }
}

/**
 * Whether a data msg went out when its entity's state changed, so that its lastStateChangeTimestamp dates
 * its sending: a live delta does, a pumpup row or a broker's record does not, and a state node's output (the
 * whole record, with msg.changed) only when the timestamp is among the changed measures.
 */
function sentAtStateChange(msg: DataMessage): boolean {
  if (msg.pumpup || msg.record === true) return false;
  const changed = (msg as { changed?: unknown }).changed;
  return !Array.isArray(changed) || changed.includes('lastStateChangeTimestamp');
}
