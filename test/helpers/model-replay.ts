// Test helpers: a client-side view of the stream built only from entities() snapshots and deltas,
// the way a subscriber accumulates state, to compare against the model's ground truth.
import { entityKey } from '../../lib/entity-key';
import type { Entity, ModelDelta, TrafficModel } from '../../simulator/model';

export type View = Map<string, { dimension: Record<string, string>; realtimeData: Record<string, unknown> }>;

export const PRODUCER_IDS = [
  'Agent_SoD_3.5',
  'AgentByAccount_SoD_3.5',
  'AgentGroup_SoD_3.5',
  'AgentByNotReadyReasonCode_SoD_3.5',
  'ContactDetail_CDR_3.5',
  'RoutingService_SoD_3.5',
  'RoutingServiceByAgent_SoD_3.5',
  'Site_SoD_3.5',
  'VDN_SoD_3.5',
  'RoutingServiceGroup_SoD_3.5',
] as const;

export const T0 = 1_700_000_000_000;

/** A view with no entity, where a stream is missing (`new Map()` alone would be a Map<any, any>). */
export function emptyView(): View {
  return new Map();
}

export function viewOf(producerId: string, entities: Entity[]): View {
  const view: View = new Map();
  for (const e of entities)
    view.set(entityKey(producerId, e.dimension), {
      dimension: { ...e.dimension },
      realtimeData: { ...e.realtimeData },
    });
  return view;
}

/** Snapshots of every stream producer as `username` sees them. */
export function snapshot(model: TrafficModel, username: string): Map<string, View> {
  return new Map(PRODUCER_IDS.map((p) => [p, viewOf(p, model.entities(p, username))]));
}

/** Applies deltas as a subscriber would: UPSERT merges measures (creating the entity), DELETE drops it. */
export function apply(
  views: Map<string, View>,
  deltas: readonly ModelDelta[],
  accept: (d: ModelDelta) => boolean = () => true,
): void {
  for (const d of deltas) {
    const view = views.get(d.producerId);
    if (!view || !accept(d)) continue;
    const key = entityKey(d.producerId, d.dimension);
    if (d.eventAction === 'DELETE') {
      view.delete(key);
      continue;
    }
    const cur = view.get(key);
    if (cur) Object.assign(cur.realtimeData, d.realtimeData);
    else view.set(key, { dimension: { ...d.dimension }, realtimeData: { ...d.realtimeData } });
  }
}

/** A plain, order-independent form for deepStrictEqual. */
export function plain(view: View): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...view.keys()].sort()) out[key] = view.get(key);
  return out;
}
