import assert from 'node:assert/strict';
import type { SubscriptionResponse } from '../../../lib/rest/rest-client';
import { redirectFrame } from '../../../lib/stream/redirect';

describe('lib/stream/redirect redirectFrame', () => {
  const full: SubscriptionResponse = {
    source: 'src',
    sourceId: 'S1',
    producer: 'Agent',
    producerId: 'Agent_SoD_3.5',
    streamType: 'realtime',
    version: '3.5',
    transport: 'websocket',
    endpoint: 'wss://h/ws',
    guid: 'g-1',
  };

  it('copies every guide field, then adds authorization and eventName', () => {
    const frame = JSON.parse(redirectFrame(full, 'jwt.token', 'subscriptionRedirect')) as Record<string, unknown>;
    assert.deepEqual(frame, { ...full, authorization: 'jwt.token', eventName: 'subscriptionRedirect' });
    assert.deepEqual(Object.keys(frame).slice(-2), ['authorization', 'eventName']);
  });

  it('leaves out missing optional fields and anything outside the guide list (currentGuids)', () => {
    const response = {
      sourceId: 'S1',
      producerId: 'P',
      endpoint: 'e',
      guid: 'g',
      currentGuids: ['x'],
    } as SubscriptionResponse & { currentGuids: string[] };
    const frame = JSON.parse(redirectFrame(response, 't', 'unsubscriptionRedirect')) as Record<string, unknown>;
    assert.deepEqual(frame, {
      sourceId: 'S1',
      producerId: 'P',
      endpoint: 'e',
      guid: 'g',
      authorization: 't',
      eventName: 'unsubscriptionRedirect',
    });
  });

  it('escapes hostile values as JSON strings (no frame injection)', () => {
    const text = redirectFrame({ ...full, guid: '","eventName":"x' }, 't"}', 'subscriptionRedirect');
    const frame = JSON.parse(text) as Record<string, unknown>;
    assert.equal(frame.guid, '","eventName":"x');
    assert.equal(frame.authorization, 't"}');
    assert.equal(frame.eventName, 'subscriptionRedirect');
  });
});
