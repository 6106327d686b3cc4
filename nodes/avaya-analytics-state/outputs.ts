// The msgs the state node sends. A change reuses the input msg when there is one (so _msgid and the
// flow's own properties travel on) and builds only what the output needs: the record, the dimension
// for evictions, nothing else.
import type { EntityRecord } from '../../lib/state/entity-record';
import type { LabelMap } from '../../lib/state/labels';
import type { StateChange, StateStore } from '../../lib/state/index';
import type { NodeMessage } from '../shared/node-red';

/** Display names by producer, from dictionary msgs; `fallback` came without a producer. */
export class LabelBook {
  private readonly byProducer = new Map<string, LabelMap>();
  private fallback: LabelMap | undefined;

  set(producer: string | undefined, labels: LabelMap): void {
    if (producer === undefined) this.fallback = labels;
    else this.byProducer.set(producer, labels);
  }

  get(producer: string): LabelMap | undefined {
    return this.byProducer.get(producer) ?? this.fallback;
  }
}

/**
 * Turns `msg` into the output of a change: payload = the full record, topic = entity key, changed,
 * previous, eventAction (DELETE for deletes and evictions), synced, and labels when known.
 */
export function changeMessage(
  msg: NodeMessage,
  change: StateChange,
  store: StateStore,
  labels: LabelBook,
  dimension?: Record<string, string>,
): NodeMessage {
  // A wide row of this msg, which this node owns, becomes the record instead of a copy of it (StateChange.wideRow).
  const row = change.wideRow;
  describeEntity(msg, change.entity, store, labels, dimension, row && store.recordFrom(change.entity, row));
  msg.changed = change.changed;
  msg.previous = change.previous;
  msg.eventAction = change.kind === 'upsert' ? 'UPSERT' : 'DELETE';
  msg.pumpup = change.pumpup;
  if (change.kind === 'evict') msg.evicted = true;
  return msg;
}

/**
 * The properties every msg about one entity carries; `dimension` is the entity's own when the caller has it, and
 * `record` its record when the caller made it.
 */
export function describeEntity(
  msg: NodeMessage,
  entity: EntityRecord,
  store: StateStore,
  labels: LabelBook,
  dimension?: Record<string, string>,
  record?: Record<string, unknown>,
): void {
  const producer = entity.view.id;
  msg.topic = entity.key;
  msg.payload = record ?? store.record(entity);
  msg.producer = producer;
  msg.source = entity.view.source;
  msg.dimension = dimension ?? entity.dimension();
  msg.synced = entity.view.synced;
  const map = labels.get(producer);
  if (map !== undefined) msg.labels = map;
}
