// Messages in the shape avaya-analytics-subscribe sends (nodes/avaya-analytics-subscribe/messages.ts,
// the contract between the two nodes), for feeding the state node without a server.
import { entityKey } from '../../../lib/entity-key.js';
import { AGENT_PRODUCER, SOURCE, decodeGuideFrame } from '../../state/fixtures/guide-scollins.js';

export type Msg = Record<string, any>;

export function dataMsg(
  dimension: Record<string, string>,
  payload: Record<string, unknown>,
  options: { producer?: string; pumpup?: boolean; eventAction?: 'UPSERT' | 'DELETE' } = {},
): Msg {
  const producer = options.producer ?? AGENT_PRODUCER;
  return {
    topic: entityKey(producer, dimension),
    payload,
    dimension,
    producer,
    source: SOURCE,
    pumpup: options.pumpup ?? false,
    eventAction: options.eventAction ?? 'UPSERT',
  };
}

export function controlMsg(control: string, producer = AGENT_PRODUCER): Msg {
  return { topic: producer, producer, control, payload: { state: control, at: Date.now() } };
}

/** A guide frame as the subscribe node would send it: a data msg, or the pumpupComplete control msg. */
export function guideMsg(frame: string): Msg {
  const f = decodeGuideFrame(frame);
  if (f.pumpupComplete) return controlMsg('pumpupComplete');
  return dataMsg(f.dimension, f.measures, { pumpup: f.pumpup });
}
