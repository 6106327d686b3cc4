// One alert episode per rule and entity (or per rule and producer, for a feed rule), what the engine
// tells its owner about it (AlertEvent), and its persisted form in a context store. The engine
// (engine.ts) decides when an episode moves; this module only holds and converts its bookkeeping.
import type { Rule } from './rules';
import type { Schedulable } from './scheduler';

export type AlertKind = 'raise' | 'repeat' | 'clear';
export type ClearReason = 'condition' | 'deleted' | 'evicted' | 'reset';
export type EpisodeState = 'pending' | 'raised' | 'clearing';

/** What the engine tells its owner: one alert message to send. */
export interface AlertEvent {
  alert: AlertKind;
  /** Stable alert id: `<rule id>/<entity key>` (or `<rule id>/<producer>` for a feed rule): msg.topic. */
  id: string;
  rule: Rule;
  producer: string;
  /** The entity key, or the producer for a feed rule. */
  key: string;
  /** The entity's record now (its last one after a delete or eviction); null for a feed rule. */
  record: Record<string, unknown> | null;
  dimension: Record<string, string> | null;
  /** The watched field's value (a feed rule: the lifecycle event that took the feed down). */
  value: unknown;
  /** The value of the rule's "duration by" field (e.g. the reason name), when it has one. */
  by: unknown;
  /** When the condition started to hold (epoch ms, Node-RED's clock). */
  since: number;
  /** When this message was made (epoch ms). */
  at: number;
  /** The duration the condition had to hold before raising (ms). */
  limitMs: number;
  raisedAt: number;
  repeats: number;
  acked: boolean;
  /** Why a clear was sent. */
  reason?: ClearReason;
}

export class Episode implements Schedulable {
  timerGen = 0;
  due = -1;
  state: EpisodeState = 'pending';
  since = 0;
  limitMs = 0;
  raisedAt = 0;
  repeats = 0;
  acked = false;
  /** Since when the condition no longer holds (clearing). */
  clearFrom = 0;
  value: unknown = undefined;
  by: unknown = undefined;

  constructor(
    readonly id: string,
    readonly rule: Rule,
    readonly key: string,
    readonly producer: string,
  ) {}
}

/** One episode as kept in a context store. */
export interface PersistedEpisode {
  id: string;
  rule: string;
  key: string;
  producer: string;
  state: EpisodeState;
  since: number;
  raisedAt: number;
  repeats: number;
  acked: boolean;
  clearFrom: number;
  value?: unknown;
  by?: unknown;
}

export const ALERTS_FORMAT = 'avaya-analytics-alerts';
export const ALERTS_VERSION = 1;

export interface PersistedAlerts {
  format: typeof ALERTS_FORMAT;
  version: number;
  episodes: PersistedEpisode[];
}

/** The persisted form of these episodes (toPersisted of the engine). */
export function persistEpisodes(episodes: Iterable<Episode>): PersistedAlerts {
  const out: PersistedEpisode[] = [];
  for (const ep of episodes) {
    const p: PersistedEpisode = {
      id: ep.id,
      rule: ep.rule.id,
      key: ep.key,
      producer: ep.producer,
      state: ep.state,
      since: ep.since,
      raisedAt: ep.raisedAt,
      repeats: ep.repeats,
      acked: ep.acked,
      clearFrom: ep.clearFrom,
    };
    if (isScalar(ep.value)) p.value = ep.value;
    if (isScalar(ep.by)) p.by = ep.by;
    out.push(p);
  }
  return { format: ALERTS_FORMAT, version: ALERTS_VERSION, episodes: out };
}

/**
 * The entries of a persisted copy that name an episode (an id, a key and a producer that are strings);
 * none when `data` is not a persisted copy.
 */
export function persistedEpisodes(data: unknown): PersistedEpisode[] {
  const d = data as Partial<PersistedAlerts> | null;
  if (d === null || typeof d !== 'object' || d.format !== ALERTS_FORMAT || !Array.isArray(d.episodes)) return [];
  return d.episodes.filter(
    (p: PersistedEpisode | null) =>
      p !== null &&
      typeof p === 'object' &&
      typeof p.id === 'string' &&
      typeof p.key === 'string' &&
      typeof p.producer === 'string',
  );
}

/** The episode a persisted entry describes under its rule, or null when its id is not `<rule id>/<key>`. */
export function restoreEpisode(p: PersistedEpisode, rule: Rule): Episode | null {
  if (p.id !== `${rule.id}/${p.key}`) return null;
  const ep = new Episode(p.id, rule, p.key, p.producer);
  ep.state = p.state === 'raised' || p.state === 'clearing' ? p.state : 'pending';
  ep.since = num(p.since);
  ep.raisedAt = num(p.raisedAt);
  ep.repeats = num(p.repeats);
  ep.acked = p.acked === true;
  ep.clearFrom = num(p.clearFrom);
  ep.value = p.value;
  ep.by = p.by;
  ep.limitMs = rule.durationMs;
  return ep;
}

/** The alert message of an episode now: `record` and `dimension` are the entity's (null for a feed rule). */
export function alertEvent(
  ep: Episode,
  alert: AlertKind,
  record: Record<string, unknown> | null,
  dimension: Record<string, string> | null,
  at: number,
  reason?: ClearReason,
): AlertEvent {
  const e: AlertEvent = {
    alert,
    id: ep.id,
    rule: ep.rule,
    producer: ep.producer,
    key: ep.key,
    record,
    dimension,
    value: ep.value,
    by: ep.by,
    since: ep.since,
    at,
    limitMs: ep.limitMs,
    raisedAt: ep.raisedAt,
    repeats: ep.repeats,
    acked: ep.acked,
  };
  if (reason !== undefined) e.reason = reason;
  return e;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
