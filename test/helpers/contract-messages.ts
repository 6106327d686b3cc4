// Messages as avaya-analytics-subscribe sends them, built by the contract module itself
// (lib/flow-messages.ts), for feeding the state node without a server.
import { entityKey } from '../../lib/entity-key';
import { dataMessage, lifecycleMessage, type LifecycleEvent } from '../../lib/flow-messages';
import { MessageIds } from '../../lib/message-ids';
import { AGENT_PRODUCER, SOURCE, decodeGuideFrame } from '../state/fixtures/guide-scollins';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- msgs are free-form JSON; tests assert their shape
export type Msg = Record<string, any>;

const ids = new MessageIds();

export function dataMsg(
  dimension: Record<string, string>,
  payload: Record<string, unknown>,
  options: { producer?: string; pumpup?: boolean; eventAction?: 'UPSERT' | 'DELETE' } = {},
): Msg {
  const producerId = options.producer ?? AGENT_PRODUCER;
  const pumpup = options.pumpup ?? false;
  const eventAction = options.eventAction ?? 'UPSERT';
  return dataMessage(
    {
      kind: eventAction === 'DELETE' ? 'delete' : pumpup ? 'pumpup' : 'delta',
      producerId,
      sourceId: SOURCE,
      dimension,
      measures: payload,
      pumpup,
      eventAction,
      pumpupIdentifier: null,
      key: entityKey(producerId, dimension),
      receivedAt: Date.now(),
    },
    ids.next(),
  );
}

/** A lifecycle event with an _msgid of its own (the same event over two wires shares one: send the msg twice). */
export function controlMsg(control: LifecycleEvent, producer = AGENT_PRODUCER): Msg {
  return lifecycleMessage(producer, control, ids.next());
}

/** A guide frame as the subscribe node would send it: a data msg, or the pumpupComplete lifecycle event. */
export function guideMsg(frame: string): Msg {
  const f = decodeGuideFrame(frame);
  if (f.pumpupComplete) return controlMsg('pumpupComplete');
  return dataMsg(f.dimension, f.measures, { pumpup: f.pumpup });
}
