import assert from 'node:assert/strict';
import { decodeFrame } from '../../../lib/frames/decode';
import type { DecodedMessage } from '../../../lib/frames/decode';
import { toAnalyticsMessage } from '../../../lib/frames/message';
import { buildSchema } from '../../../lib/frames/producer-schema';

const schema = buildSchema('Agent_SoD_3.5', ['agentId'], [{ name: 'n', type: 'NUMBER' }]);

function decoded(text: string): DecodedMessage {
  const frame = decodeFrame(text);
  assert.equal(frame.type, 'message');
  return frame;
}

describe('lib/frames/message toAnalyticsMessage', () => {
  it('makes a delta with canonical keys, normalized measures, the entity key and the receive time', () => {
    const m = toAnalyticsMessage(
      decoded('{"dimension":{"AGENTID":"7"},"realtimeData":{"n":"5","s":"x"}}'),
      schema,
      'S',
      true,
      99,
    );
    assert.equal(m.kind, 'delta');
    assert.equal(m.pumpup, false);
    assert.deepEqual({ ...m.dimension }, { agentId: '7' });
    assert.deepEqual({ ...m.measures }, { n: 5, s: 'x' });
    assert.equal(m.key, 'Agent_SoD_3.5/agentId=7');
    assert.equal(m.producerId, 'Agent_SoD_3.5');
    assert.equal(m.sourceId, 'S');
    assert.equal(m.receivedAt, 99);
    assert.equal(m.eventAction, 'UPSERT');
  });

  it('a DELETE wins over a pumpup flag', () => {
    const m = toAnalyticsMessage(
      decoded('{"dimension":{"agentId":"7"},"realtimeData":{},"pumpup":true,"eventAction":"DELETE"}'),
      schema,
      'S',
      true,
      0,
    );
    assert.equal(m.kind, 'delete');
    assert.equal(m.pumpup, false);
  });

  it('pumpup rows are pumpup messages', () => {
    const m = toAnalyticsMessage(
      decoded('{"dimension":{"agentId":"7"},"realtimeData":{},"pumpup":true}'),
      schema,
      'S',
      true,
      0,
    );
    assert.equal(m.kind, 'pumpup');
    assert.equal(m.pumpup, true);
  });

  it("prefers the frame's own sourceId (long form) over the subscription's", () => {
    const msg = decoded('{"dimension":{"agentId":"7"},"realtimeData":{}}');
    msg.sourceId = 'FromFrame';
    assert.equal(toAnalyticsMessage(msg, schema, 'S', true, 0).sourceId, 'FromFrame');
  });

  it('leaves measures as on the wire with normalization off', () => {
    const m = toAnalyticsMessage(
      decoded('{"dimension":{"agentId":"7"},"realtimeData":{"n":"5","u":"UNKNOWN"}}'),
      schema,
      'S',
      false,
      0,
    );
    assert.deepEqual({ ...m.measures }, { n: '5', u: 'UNKNOWN' });
  });

  it("normalizes what the decoder did not normalize with this producer's types, and only that", () => {
    const text = '{"dimension":{"agentId":"7"},"realtimeData":{"n":"5","u":"UNKNOWN"}}';
    // Normalized by the decoder with this schema's types: taken as it is (a second pass would cost the same again;
    // the `marked` case below is the one that shows the pass is skipped).
    const once = decodeFrame(text, false, Infinity, () => schema.measureTypes) as DecodedMessage;
    assert.deepEqual({ ...toAnalyticsMessage(once, schema, 'S', true, 0).measures }, { n: 5, u: null });
    const marked = decoded(text);
    marked.normalizedWith = schema.measureTypes; // says it is done: left alone, so the check is real
    assert.deepEqual({ ...toAnalyticsMessage(marked, schema, 'S', true, 0).measures }, { n: '5', u: 'UNKNOWN' });
  });
});
