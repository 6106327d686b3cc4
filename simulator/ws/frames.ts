// The text frames the data publisher sends, serialized once per message (the same Buffer goes to
// every socket that should get it). Faithful to the guide and notes.md: dimension/realtimeData as
// objects or JSON strings, the long envelope (pumpupIdentifier, extra, sourceId, producerId,
// eventAction) or the short one, and the occasional missing flag in the short form.
import type { Entity, ModelDelta } from '../model/contract';

export type Encoding = 'object' | 'string' | 'mixed';
export type Envelope = 'long' | 'short' | 'mixed';

/** The guide's heartbeat message (sent as is, whatever the envelope). */
export const HEARTBEAT_FRAME = Buffer.from(
  '{"dimension":{},"realtimeData":{},"pumpup":false,"pumpupComplete":false,"heartbeat":true}',
);
/** The text heartbeat the client must echo. */
export const HEARTBEAT_TEXT = '--heartbeat--';
export const HEARTBEAT_TEXT_FRAME = Buffer.from(HEARTBEAT_TEXT);

/** The guide's WebSocket error: code 200 or 500 "with an explanatory text". */
export function errorFrame(message: string, code: 200 | 500 = 500): string {
  return JSON.stringify({ code, message });
}

/** The Kafka stream name in a pumpupIdentifier: VDN_SoD_3.5 → ROUTINGPOINTMEASURES (as in the guide's sample). */
export function streamName(producerId: string): string {
  const name = producerId.split('_')[0] ?? producerId;
  return (name === 'VDN' ? 'ROUTINGPOINT' : name.toUpperCase()) + 'MEASURES';
}

export class FrameEncoder {
  /** Drives the per-message choices of the 'mixed' modes and the missing flags (deterministic). */
  private counter = 0;
  /** Long-envelope tails per producer: ',"extra":null,"sourceId":…,"producerId":…,"eventAction":"UPSERT"}'. */
  private readonly tails = new Map<string, string>();

  constructor(
    private readonly sourceId: string,
    private readonly encoding: Encoding,
    private readonly envelope: Envelope,
  ) {}

  /** A live delta. A DELETE always carries the long envelope: the short one cannot express it. */
  delta(delta: ModelDelta): Buffer {
    const n = this.counter++;
    const asStrings = this.stringValues(n);
    const dimension = encodeValue(delta.dimension, asStrings);
    const realtimeData = encodeValue(delta.realtimeData, asStrings);
    if (delta.eventAction === 'DELETE' || this.longEnvelope(n)) {
      return Buffer.from(
        '{"dimension":' +
          dimension +
          ',"realtimeData":' +
          realtimeData +
          ',"pumpupIdentifier":null,"pumpup":false,"pumpupComplete":false,"heartbeat":false' +
          this.tail(delta.producerId, delta.eventAction),
      );
    }
    // Short form; every 4th omits pumpupComplete and every 8th heartbeat (missing means false).
    let text = '{"dimension":' + dimension + ',"realtimeData":' + realtimeData + ',"pumpup":false';
    if (n % 4 !== 3) text += ',"pumpupComplete":false';
    if (n % 8 !== 5) text += ',"heartbeat":false';
    return Buffer.from(text + '}');
  }

  /** A DELETE for an entity a user lost sight of. */
  deleteFrame(producerId: string, dimension: Record<string, string>): Buffer {
    return this.delta({ producerId, dimension, realtimeData: {}, eventAction: 'DELETE' });
  }

  /** One row of a pumpup: the entity's full current record. */
  pumpupRow(producerId: string, entity: Entity, pumpupIdentifier: string): Buffer {
    const n = this.counter++;
    const asStrings = this.stringValues(n);
    return this.pumpupFrame(
      producerId,
      encodeValue(entity.dimension, asStrings),
      encodeValue(entity.realtimeData, asStrings),
      false,
      pumpupIdentifier,
      this.longEnvelope(n),
    );
  }

  /** The marker after the last pumpup row (the guide's message; the long form adds its fields). */
  pumpupComplete(producerId: string, pumpupIdentifier: string): Buffer {
    return this.pumpupFrame(producerId, '{}', '{}', true, pumpupIdentifier, this.longEnvelope(this.counter++));
  }

  private pumpupFrame(
    producerId: string,
    dimension: string,
    realtimeData: string,
    complete: boolean,
    pumpupIdentifier: string,
    long: boolean,
  ): Buffer {
    const head = '{"dimension":' + dimension + ',"realtimeData":' + realtimeData;
    const flags = ',"pumpup":true,"pumpupComplete":' + complete + ',"heartbeat":false';
    if (!long) return Buffer.from(head + flags + '}');
    return Buffer.from(
      head + ',"pumpupIdentifier":' + JSON.stringify(pumpupIdentifier) + flags + this.tail(producerId, 'UPSERT'),
    );
  }

  private stringValues(n: number): boolean {
    return this.encoding === 'string' || (this.encoding === 'mixed' && n % 3 === 1);
  }

  private longEnvelope(n: number): boolean {
    return this.envelope === 'long' || (this.envelope === 'mixed' && n % 2 === 0);
  }

  private tail(producerId: string, eventAction: 'UPSERT' | 'DELETE'): string {
    const key = eventAction === 'UPSERT' ? producerId : '\u0000' + producerId;
    let tail = this.tails.get(key);
    if (tail === undefined) {
      tail =
        ',"extra":null,"sourceId":' +
        JSON.stringify(this.sourceId) +
        ',"producerId":' +
        JSON.stringify(producerId) +
        ',"eventAction":"' +
        eventAction +
        '"}';
      this.tails.set(key, tail);
    }
    return tail;
  }
}

/** A JSON object, or that JSON as a JSON string (`"{\"agentId\":\"x\"}"`), as notes.md describes. */
function encodeValue(value: object, asString: boolean): string {
  const json = JSON.stringify(value);
  return asString ? JSON.stringify(json) : json;
}
