// Public types of the state store (lib/state): what goes in, what comes out.
import type { EntityRecord } from './entity-record';

/**
 * One data message of a producer: the fields of a subscribe node's data msg (DataMessage in
 * lib/flow-messages.ts) that the store reads, so a msg is applied as it is, with no copy.
 */
export interface EntityUpdate {
  producer: string;
  source?: string;
  /** Canonical dimension: identifies the entity within its producer. */
  dimension: Readonly<Record<string, string>>;
  /** The delta's measures, normalized (epoch-ms timestamps, null for UNKNOWN); ignored for a DELETE. */
  payload?: Readonly<Record<string, unknown>> | null;
  /** Default false. */
  pumpup?: boolean;
  /** Default UPSERT. */
  eventAction?: 'UPSERT' | 'DELETE';
  /** The entity key (entityKey(producer, dimension)) when the sender computed it: taken as it is. */
  topic?: string;
}

/**
 * What one update (or the end of a pumpup) did to one entity.
 *  upsert  the entity was created or some measures changed (or were dropped by a pumpup)
 *  delete  the server deleted the entity
 *  evict   the entity was not in the pumpup that just completed, so the server no longer has it
 */
export interface StateChange {
  kind: 'upsert' | 'delete' | 'evict';
  /** The entity (still readable after a delete or evict: it holds the last record). */
  entity: EntityRecord;
  /** True when the update created the entity. */
  created: boolean;
  /** Names of the measures whose value changed, in the order they were written. Empty when diffs are off. */
  changed: string[];
  /** Former values of the changed measures (a measure that had no value is absent). No prototype. */
  previous: Record<string, unknown>;
  /** The change came from a pumpup (a pumpup row, or the end of a pumpup). */
  pumpup: boolean;
  /**
   * A row wider than a compiled record (over MAX_SHAPE_FIELDS measures), given to apply() with its names: the
   * update's own measures object, which holds every measure of the record but those of `others`. Whoever owns
   * that object may make it the record with StateStore.recordFrom() instead of building a copy.
   */
  wideRow?: WideRow;
}

/** See StateChange.wideRow. */
export interface WideRow {
  /** The update's measures, each merged with its value: the record holds that value. */
  readonly measures: Record<string, unknown>;
  /** The columns of the record the update had no measure for (the record may hold a value in some). */
  readonly others: readonly number[];
}

/** An update the store refused because it would create an entity beyond maxEntities. */
export interface Rejection {
  kind: 'rejected';
  key: string;
  producer: string;
}

export type ApplyResult = StateChange | Rejection | null;

export interface StateStoreOptions {
  /** Largest number of entities over all producers; updates that would create more are rejected. Default 100,000. */
  maxEntities?: number;
  /** Add stateSince / timeInStateMs to records that have lastStateChangeTimestamp. Default true. */
  derived?: boolean;
  /** Clock used for timeInStateMs. Default Date.now. */
  now?: () => number;
}

/** Which entities a snapshot selects: every given part must match. */
export interface EntityFilter {
  producer?: string;
  /** Dimension values the entity must have, e.g. { agentId: 'scollins' }. */
  dimension?: Readonly<Record<string, string>>;
}
