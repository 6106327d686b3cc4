// msg.action commands: "snapshot" (every record, filtered by producer and dimension values), "get"
// (one entity by topic, or by producer + dimension) and "reset" (forget one producer or everything).
import type { EntityFilter, StateStore } from '../../lib/state/index';
import { CatalogError } from '../shared/errors';
import type { NodeMessage } from '../shared/node-red';
import { describeEntity, type LabelBook } from './outputs';

/** A command msg the node cannot use; `key` is its i18n key under avaya-analytics-state.errors. */
export class CommandError extends CatalogError {}

/** msg.payload = { [topic]: record } (no prototype), msg.count, msg.synced (every selected producer). */
export function snapshot(msg: NodeMessage, store: StateStore, labels: LabelBook): NodeMessage {
  const filter = filterOf(msg);
  const records = Object.create(null) as Record<string, unknown>;
  let count = 0;
  for (const entity of store.select(filter)) {
    records[entity.key] = store.record(entity);
    count++;
  }
  msg.payload = records;
  msg.count = count;
  msg.synced = filter.producer !== undefined ? store.isSynced(filter.producer) : store.allSynced();
  if (filter.producer !== undefined) {
    const map = labels.get(filter.producer);
    if (map !== undefined) msg.labels = map;
  }
  return msg;
}

/** One entity: by msg.producer + msg.dimension, else by msg.topic. msg.found tells whether it exists. */
export function get(msg: NodeMessage, store: StateStore, labels: LabelBook): NodeMessage {
  const entity =
    msg.producer !== undefined || msg.dimension !== undefined
      ? store.find(stringOrThrow(msg.producer, 'msg.producer'), dimensionOrThrow(msg.dimension))
      : store.get(stringOrThrow(msg.topic, 'msg.topic'));
  if (entity === undefined) {
    msg.payload = null;
    msg.found = false;
    return msg;
  }
  describeEntity(msg, entity, store, labels);
  msg.found = true;
  return msg;
}

/** Forgets msg.producer's view, or every view. Returns the number of entities dropped. */
export function reset(msg: NodeMessage, store: StateStore): number {
  return msg.producer === undefined ? store.reset() : store.reset(stringOrThrow(msg.producer, 'msg.producer'));
}

function filterOf(msg: NodeMessage): EntityFilter {
  const filter: EntityFilter = {};
  if (msg.producer !== undefined) filter.producer = stringOrThrow(msg.producer, 'msg.producer');
  if (msg.dimension !== undefined) filter.dimension = dimensionOrThrow(msg.dimension);
  return filter;
}

function stringOrThrow(value: unknown, property: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new CommandError('not-a-string', { property });
  return value;
}

function dimensionOrThrow(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CommandError('bad-dimension');
  const dimension = value as Record<string, unknown>;
  for (const name of Object.keys(dimension)) {
    if (typeof dimension[name] !== 'string') throw new CommandError('bad-dimension');
  }
  return dimension as Record<string, string>;
}
