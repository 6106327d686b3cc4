import assert from 'node:assert/strict';
import { resolveOptions } from '../../lib/options';
import { tlsConnectOptions } from '../../lib/rest/http-transport';
import type { SubscriptionResponse } from '../../lib/rest/rest-client';
import { redirectFrame } from '../../lib/stream/redirect';
import { wsOptions } from '../../lib/stream/stream-socket';

describe('lib socket and TLS options', () => {
  const base = { url: 'https://h/orca-streams-rest/', username: 'u', password: 'p' };

  it('verifies the server certificate by default and passes CA, client cert and timeouts to undici and ws', () => {
    const o = resolveOptions({
      ...base,
      tls: { ca: 'CA', cert: 'CERT', key: 'KEY', passphrase: 'PW', servername: 'sni' },
      timeouts: { connectMs: 1234, handshakeMs: 4321 },
      maxPayload: 65536,
    });
    assert.equal(o.url, 'https://h/orca-streams-rest');
    assert.deepEqual(tlsConnectOptions(o), {
      rejectUnauthorized: true,
      timeout: 1234,
      ca: 'CA',
      cert: 'CERT',
      key: 'KEY',
      passphrase: 'PW',
      servername: 'sni',
    });
    const ws = wsOptions(o) as Record<string, unknown>;
    assert.equal(ws.perMessageDeflate, false);
    assert.equal(ws.maxPayload, 65536);
    assert.equal(ws.handshakeTimeout, 4321);
    assert.equal(ws.rejectUnauthorized, true);
    assert.equal(ws.ca, 'CA');
    assert.equal(ws.servername, 'sni');
    assert.equal(resolveOptions({ ...base, tls: { rejectUnauthorized: false } }).tls.rejectUnauthorized, false);
  });

  it('applies the defaults of the guide and refuses nonsense', () => {
    const o = resolveOptions(base);
    assert.equal(o.tenant, '0');
    assert.equal(o.requestSpacingMs, 100);
    assert.equal(o.heartbeatIntervalMs, 8000);
    assert.equal(o.missedHeartbeats, 3);
    assert.equal(o.maxPayload, 1024 * 1024);
    assert.equal(o.normalize, true);
    assert.throws(() => resolveOptions({ ...base, url: 'ftp://h' }), /https/);
    assert.throws(() => resolveOptions({ ...base, url: 'https://h/x?password=1' }), /query/);
    assert.throws(() => resolveOptions({ ...base, username: '' }), /username/);
    assert.throws(() => resolveOptions({ ...base, heartbeatIntervalMs: -1 }), /heartbeatIntervalMs/);
  });

  it('builds redirects from the SubscriptionResponse fields, the token and the event name only', () => {
    const response = {
      source: 'Oceana',
      sourceId: 'S',
      producer: 'Agent',
      producerId: 'Agent_SoD_3.5',
      streamType: 'SoD',
      version: '3.5',
      transport: 'websocket',
      endpoint: 'wss://h/ws',
      guid: 'g-1',
      currentGuids: ['x'],
    } as SubscriptionResponse;
    assert.deepEqual(JSON.parse(redirectFrame(response, 'T', 'unsubscriptionRedirect')), {
      source: 'Oceana',
      sourceId: 'S',
      producer: 'Agent',
      producerId: 'Agent_SoD_3.5',
      streamType: 'SoD',
      version: '3.5',
      transport: 'websocket',
      endpoint: 'wss://h/ws',
      guid: 'g-1',
      authorization: 'T',
      eventName: 'unsubscriptionRedirect',
    });
  });
});
