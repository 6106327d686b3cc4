// Turns a routed DecodedMessage into the public AnalyticsMessage: canonical dimension keys, normalized
// measures (in place: the decoder's copy belongs to this frame alone) and the entity key.
import type { AnalyticsMessage } from '../api';
import { entityKey } from '../entity-key';
import { forgetBuiltValues } from './built-names';
import type { DecodedMessage } from './decode';
import { normalizeMeasures } from './normalize';
import type { ProducerSchema } from './producer-schema';
import { canonicalizeDimension } from './producer-schema';

export function toAnalyticsMessage(
  msg: DecodedMessage,
  schema: ProducerSchema,
  sourceId: string,
  normalize: boolean,
  receivedAt: number,
): AnalyticsMessage {
  const dimension = canonicalizeDimension(msg.dimension, schema);
  // The decoder normalized them already when it knew this producer's types (decode.ts, MeasureTypesOf). The client
  // decodes and dispatches in one synchronous step, so the types it named are this schema's; a caller that hands
  // over a message normalized with other types gets it normalized again, which cannot undo what those converted.
  let measures = msg.realtimeData;
  if (normalize && msg.normalizedWith !== schema.measureTypes) {
    // Normalized with other types: the values the decoder kept for it may change now (built-names.ts).
    if (msg.normalizedWith) forgetBuiltValues(measures);
    measures = normalizeMeasures(measures, schema.measureTypes, msg.stringMeasures);
  }
  const kind =
    msg.eventAction === 'DELETE' ? 'delete' : msg.pumpup || msg.kind === 'pumpupComplete' ? 'pumpup' : 'delta';
  return {
    kind,
    producerId: schema.producerId,
    sourceId: msg.sourceId ?? sourceId,
    dimension,
    measures,
    pumpup: kind === 'pumpup',
    eventAction: msg.eventAction,
    pumpupIdentifier: msg.pumpupIdentifier,
    key: entityKey(schema.producerId, dimension),
    receivedAt,
  };
}

/** A copy whose dimension and measures are objects of its own (prototype-free, like the original's). */
export function copyMessage(m: AnalyticsMessage): AnalyticsMessage {
  return {
    ...m,
    dimension: Object.assign(Object.create(null), m.dimension) as Record<string, string>,
    measures: Object.assign(Object.create(null), m.measures) as Record<string, unknown>,
  };
}
