import assert from 'node:assert/strict';
import { causeOf, makeCause, shortText } from '../../../lib/client/cause';
import {
  AuthenticationError,
  HttpError,
  NetworkError,
  ProtocolError,
  ProxyError,
  StreamError,
  TimeoutError,
  TlsError,
  TokenError,
  TransportPolicyError,
} from '../../../lib/errors';

describe('lib/client/cause', () => {
  it('makeCause carries kind, short text and detail; value only when given', () => {
    assert.deepEqual(makeCause('http', 'd', 503), { kind: 'http', short: 'HTTP 503', detail: 'd', value: 503 });
    const noValue = makeCause('no-heartbeat', 'd');
    assert.deepEqual(noValue, { kind: 'no-heartbeat', short: 'no heartbeat', detail: 'd' });
    assert.ok(!('value' in noValue));
  });

  it('shortText stays short for every kind', () => {
    assert.equal(shortText('network'), 'network error');
    assert.equal(shortText('network', 'ECONNREFUSED'), 'ECONNREFUSED');
    assert.equal(shortText('network', 'UND_ERR_SOCKET'), 'connection dropped', "undici's code means nothing to a user");
    assert.equal(shortText('timeout', 'headers'), 'timeout: headers');
    assert.equal(shortText('bad-frames', 3), 'bad frames: 3');
    assert.equal(shortText('proxy', 407), 'proxy: 407');
  });

  it('classifies TLS failures by reason', () => {
    assert.equal(causeOf(new TlsError('SELF_SIGNED_CERT_IN_CHAIN', 'm'), 'd').kind, 'tls-untrusted');
    assert.equal(causeOf(new TlsError('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'm'), 'd').kind, 'tls-untrusted');
    assert.equal(causeOf(new TlsError('ERR_TLS_CERT_ALTNAME_INVALID', 'm'), 'd').kind, 'tls-hostname');
    assert.equal(causeOf(new TlsError('CERT_NOT_YET_VALID', 'm'), 'd').kind, 'tls-expired');
    assert.equal(causeOf(new TlsError('ERR_SSL_WRONG_VERSION_NUMBER', 'm'), 'd').kind, 'tls');
  });

  it('classifies proxy faults: the status, "timeout", or the network reason', () => {
    assert.equal(causeOf(new ProxyError('PROXY_407', 'm', { status: 407 }), 'd').value, 407);
    assert.equal(causeOf(new ProxyError('ETIMEDOUT', 'm'), 'd').value, 'timeout');
    const c = causeOf(new ProxyError('ECONNREFUSED', 'm'), 'd');
    assert.deepEqual([c.kind, c.value, c.short], ['proxy', 'ECONNREFUSED', 'proxy: ECONNREFUSED']);
  });

  it('classifies timeouts by phase (unknown reasons count as connect) and network errors by reason', () => {
    assert.equal(causeOf(new TimeoutError('UND_ERR_BODY_TIMEOUT', 'm'), 'd').value, 'body');
    assert.equal(causeOf(new TimeoutError('HANDSHAKE_TIMEOUT', 'm'), 'd').value, 'handshake');
    assert.equal(causeOf(new TimeoutError('SOMETHING', 'm'), 'd').value, 'connect');
    assert.deepEqual(causeOf(new NetworkError('ENOTFOUND', 'm'), 'x'), {
      kind: 'network',
      short: 'ENOTFOUND',
      detail: 'x',
      value: 'ENOTFOUND',
    });
  });

  it('tells a refused login from other HTTP errors, and maps the remaining error classes', () => {
    assert.deepEqual(
      [causeOf(new AuthenticationError(401, 'POST', '/users/login', ''), 'd').kind, 'login-refused'],
      ['login-refused', 'login-refused'],
    );
    assert.equal(causeOf(new AuthenticationError(401, 'POST', '/p', ''), 'd').value, 401);
    assert.equal(causeOf(new HttpError(403, 'POST', '/p', ''), 'd').short, 'HTTP 403');
    assert.equal(causeOf(new TokenError('t'), 'd').kind, 'bad-token');
    assert.equal(causeOf(new TransportPolicyError('insecure', 'm'), 'd').kind, 'insecure-endpoint');
    assert.equal(causeOf(new TransportPolicyError('foreign', 'm'), 'd').kind, 'foreign-endpoint');
    assert.equal(causeOf(new ProtocolError('m', { kind: 'no-source' }), 'd').kind, 'no-source');
    assert.equal(causeOf(new ProtocolError('m'), 'd').kind, 'protocol');
    assert.deepEqual(
      [causeOf(new StreamError('m', 502), 'd').kind, causeOf(new StreamError('m', 502), 'd').short],
      ['handshake', 'WS HTTP 502'],
    );
    assert.equal(causeOf(new StreamError('m'), 'd').kind, 'closed');
  });

  it('falls back to protocol for anything unknown, keeping the given detail', () => {
    for (const err of [new Error('x'), 'text', null, { code: 'ECONNREFUSED' }]) {
      assert.deepEqual(causeOf(err, 'redacted'), { kind: 'protocol', short: 'protocol error', detail: 'redacted' });
    }
  });
});
