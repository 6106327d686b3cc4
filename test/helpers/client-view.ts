// The client's view of every entity, accumulated from messages the way a consumer must: pumpup rows
// replace, deltas merge, deletes remove, and pumpupComplete evicts the entities that pumpup did not
// mention. Compared with the simulator's ground truth (normalized with the client's own normalizer).
import type { AnalyticsMessage, Subscription } from '../../lib/index';
import type { ProducerSchema } from '../../lib/frames/producer-schema';
import { entityKey } from '../../lib/index';
import { normalizeMeasures } from '../../lib/frames/normalize';
import { schemaFromDescriptor } from '../../lib/frames/producer-schema';
import type { Entity } from '../../simulator/model/contract';

export type Records = Map<string, Record<string, unknown>>;

export class View {
  /** producerId → entity key → measures */
  readonly records = new Map<string, Records>();
  private readonly seen = new Map<string, Set<string>>();
  pumpups = 0;

  attach(sub: Subscription): void {
    const producerId = sub.producerId;
    const records: Records = new Map();
    this.records.set(producerId, records);
    sub.on('state', (state: string) => {
      if (state === 'subscribed') this.seen.set(producerId, new Set());
    });
    sub.on('message', (m: AnalyticsMessage) => {
      if (m.kind === 'delete') {
        records.delete(m.key);
      } else if (m.kind === 'pumpup') {
        records.set(m.key, { ...m.measures });
        this.seen.get(producerId)?.add(m.key);
      } else {
        records.set(m.key, { ...records.get(m.key), ...m.measures });
      }
    });
    sub.on('pumpupComplete', () => {
      this.pumpups++;
      const seen = this.seen.get(producerId) ?? new Set<string>();
      for (const key of records.keys()) if (!seen.has(key)) records.delete(key);
    });
  }
}

export function schemasOf(descriptors: unknown[]): Map<string, ProducerSchema> {
  const map = new Map<string, ProducerSchema>();
  for (const d of descriptors) {
    const s = schemaFromDescriptor(d);
    if (s) map.set(s.producerId, s);
  }
  return map;
}

/** The simulator's truth in the client's terms: entity key → normalized measures. */
export function normalizedTruth(
  truth: Record<string, Entity[]>,
  schemas: Map<string, ProducerSchema>,
): Map<string, Records> {
  const out = new Map<string, Records>();
  for (const [producerId, entities] of Object.entries(truth)) {
    const schema = schemas.get(producerId);
    const records: Records = new Map();
    for (const e of entities) {
      const measures = normalizeMeasures(
        Object.assign(Object.create(null) as Record<string, unknown>, e.realtimeData),
        schema?.measureTypes,
      );
      records.set(entityKey(producerId, e.dimension), { ...measures });
    }
    out.set(producerId, records);
  }
  return out;
}

/** A readable list of differences (empty when equal). */
export function differences(view: Map<string, Records>, truth: Map<string, Records>, limit = 10): string[] {
  const diffs: string[] = [];
  for (const [producerId, expected] of truth) {
    const actual: Records = view.get(producerId) ?? new Map<string, Record<string, unknown>>();
    for (const [key, rec] of expected) {
      const got = actual.get(key);
      if (!got) diffs.push(`missing ${key}`);
      else if (JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(rec)))
        diffs.push(`differs ${key}: ${JSON.stringify(diff(got, rec))}`);
    }
    for (const key of actual.keys()) if (!expected.has(key)) diffs.push(`extra ${key}`);
  }
  return diffs.slice(0, limit);
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function diff(got: Record<string, unknown>, want: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(got), ...Object.keys(want)]))
    if (got[k] !== want[k]) out[k] = { got: got[k], want: want[k] };
  return out;
}
