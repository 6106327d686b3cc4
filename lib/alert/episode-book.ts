// The episodes of an alert engine and their transitions: pending → raised (→ clearing → raised …) → gone,
// on one scheduler (lib/alert/scheduler.ts). The engine (engine.ts) decides when a condition holds or stops
// holding; this book raises, repeats and clears, and turns an episode into the alert event the node sends.
import type { Clock } from '../clock';
import type { EntityRecord } from '../state/entity-record';
import type { StateStore } from '../state/store';
import { alertEvent, type AlertEvent, type AlertKind, type ClearReason, type Episode } from './episode';
import { Scheduler } from './scheduler';

export class EpisodeBook {
  /** Episodes by id (rule id + '/' + entity key or producer). */
  readonly episodes = new Map<string, Episode>();
  /** Raised (or clearing) episodes: changes whenever one is raised or cleared. */
  raisedCount = 0;
  /** Called after any change that a persisted copy should see. */
  onChange: () => void = () => undefined;
  private readonly scheduler: Scheduler<Episode>;

  constructor(
    private readonly clock: Clock,
    private readonly store: StateStore,
    private readonly emit: (event: AlertEvent) => void,
  ) {
    this.scheduler = new Scheduler<Episode>(clock, (ep) => this.onDue(ep));
  }

  /** Episodes waiting for the scheduler, and whether its one timer is armed. */
  get timers(): { scheduled: number; armed: boolean } {
    return { scheduled: this.scheduler.size, armed: this.scheduler.armed };
  }

  /** Stops the scheduler for good (the node closes). */
  stop(): void {
    this.scheduler.stop();
  }

  /** The raised alerts (and those waiting out their clear delay), as alert events (alert = "raise"). */
  list(): AlertEvent[] {
    const out: AlertEvent[] = [];
    for (const ep of this.episodes.values()) if (ep.state !== 'pending') out.push(this.event(ep, 'raise'));
    return out;
  }
  /** Acknowledges one alert: no more repeats, it still clears. Returns it, or null when it is not raised. */
  ack(id: string): AlertEvent | null {
    const ep = this.episodes.get(id);
    if (ep === undefined || ep.state === 'pending') return null;
    ep.acked = true;
    if (ep.state === 'raised') this.scheduler.cancel(ep);
    this.onChange();
    return this.event(ep, 'raise');
  }
  /** The condition of a measure rule no longer holds for an episode. */
  stopHolding(ep: Episode, entity: EntityRecord | null, now: number): void {
    if (ep.state === 'pending') return this.drop(ep);
    if (ep.state === 'raised') {
      if (ep.rule.clearMs === 0) return this.clear(ep, 'condition', entity);
      ep.state = 'clearing';
      ep.clearFrom = now;
      this.onChange();
    }
    this.scheduler.schedule(ep, ep.clearFrom + ep.rule.clearMs);
  }
  private onDue(ep: Episode): void {
    const entity = ep.rule.kind === 'measure' ? (this.store.get(ep.key) ?? null) : null;
    // A view that lost its stream is not evaluated: the next pumpupComplete re-evaluates (and reschedules) it.
    if (ep.rule.kind === 'measure' && (entity === null || !entity.view.synced)) return;
    const now = this.clock.now();
    if (ep.state === 'pending') this.raise(ep, entity);
    else if (ep.state === 'clearing') this.clear(ep, 'condition', entity);
    else {
      ep.repeats++;
      this.emit(this.event(ep, 'repeat', entity));
      this.scheduleRepeat(ep, now);
      this.onChange();
    }
  }
  /**
   * The episode's condition holds now: a pending one raises at since + limit (now, or by the scheduler),
   * a clearing one is raised again, and a raised one keeps its repeat timer.
   */
  conditionHolds(ep: Episode, entity: EntityRecord | null, now: number): void {
    if (ep.state === 'pending') {
      const due = ep.since + ep.limitMs;
      if (due <= now) this.raise(ep, entity);
      else this.scheduler.schedule(ep, due);
      return;
    }
    if (ep.state === 'clearing') {
      ep.state = 'raised';
      this.scheduler.cancel(ep);
    }
    this.scheduleRepeat(ep, now);
  }
  raise(ep: Episode, entity: EntityRecord | null): void {
    const now = this.clock.now();
    ep.state = 'raised';
    ep.raisedAt = now;
    this.raisedCount++;
    this.scheduler.cancel(ep);
    this.emit(this.event(ep, 'raise', entity));
    this.scheduleRepeat(ep, now);
    this.onChange();
  }
  /** Schedules the next reminder of a raised episode, if it has one. */
  scheduleRepeat(ep: Episode, now: number): void {
    const every = ep.rule.repeatMs;
    if (every <= 0 || ep.acked) return;
    let next = ep.raisedAt + (ep.repeats + 1) * every;
    if (next < now) next = now; // overdue (after a restore or an outage): one reminder now, not a burst
    this.scheduler.schedule(ep, next);
  }
  clear(ep: Episode, reason: ClearReason, entity: EntityRecord | null = null): void {
    this.raisedCount--;
    this.drop(ep);
    this.emit(this.event(ep, 'clear', entity, reason));
    this.onChange();
  }
  drop(ep: Episode): void {
    this.scheduler.cancel(ep);
    this.episodes.delete(ep.id);
  }
  endEpisode(ep: Episode, entity: EntityRecord | null, reason: ClearReason): void {
    if (ep.state === 'pending') this.drop(ep);
    else this.clear(ep, reason, entity);
  }
  event(ep: Episode, alert: AlertKind, entity: EntityRecord | null = null, reason?: ClearReason): AlertEvent {
    const found = entity ?? (ep.rule.kind === 'measure' ? (this.store.get(ep.key) ?? null) : null);
    const record = found === null ? null : this.store.record(found);
    return alertEvent(ep, alert, record, found === null ? null : found.dimension(), this.clock.now(), reason);
  }
}
