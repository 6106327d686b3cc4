import assert from 'node:assert/strict';
import {
  AuthenticationError,
  HttpError,
  isTransient,
  NetworkError,
  TlsError,
  TimeoutError,
  StreamError,
} from '../../lib/index';
import {
  AnalyticsError,
  ClosedError,
  describeError,
  ProtocolError,
  ProxyError,
  TokenError,
  TransportPolicyError,
} from '../../lib/errors';

describe('lib errors', () => {
  it('classifies transient faults', () => {
    assert.equal(isTransient(new HttpError(503, 'GET', '/x', '')), true);
    assert.equal(isTransient(new HttpError(429, 'GET', '/x', '')), true);
    assert.equal(isTransient(new HttpError(403, 'POST', '/x', 'licence')), false);
    assert.equal(isTransient(new AuthenticationError(401, 'GET', '/users/login', 'bad')), false);
    assert.equal(isTransient(new NetworkError('ECONNREFUSED', 'refused')), true);
    assert.equal(isTransient(new TimeoutError('UND_ERR_HEADERS_TIMEOUT', 't')), true);
    assert.equal(isTransient(new TlsError('SELF_SIGNED_CERT_IN_CHAIN', 't')), false);
    assert.equal(isTransient(new StreamError('s')), true);
    assert.equal(isTransient(new Error('x')), false);
  });
  it('builds HttpError text from status, method, path and the server message', () => {
    const e = new HttpError(
      403,
      'POST',
      '/orca-streams-rest/sources/S/producers/P/subscriptions',
      'licence limit reached',
    );
    assert.equal(e.status, 403);
    assert.equal(e.code, 'E_HTTP');
    assert.match(e.message, /HTTP 403 on POST .*subscriptions: licence limit reached/);
  });
});

describe('lib/errors classes and helpers', () => {
  it('gives every class its stable code, name chain and message', () => {
    const cases: Array<[AnalyticsError, string]> = [
      [new AuthenticationError(401, 'POST', '/users/login', ''), 'E_AUTH'],
      [new NetworkError('ECONNRESET', 'm'), 'E_NETWORK'],
      [new TimeoutError('ETIMEDOUT', 'm'), 'E_TIMEOUT'],
      [new TlsError('CERT_HAS_EXPIRED', 'm'), 'E_TLS'],
      [new ProxyError('PROXY_407', 'm', { status: 407 }), 'E_PROXY'],
      [new ProtocolError('m'), 'E_PROTOCOL'],
      [new TransportPolicyError('foreign', 'm'), 'E_TRANSPORT_POLICY'],
      [new TokenError('m'), 'E_TOKEN'],
      [new StreamError('m'), 'E_STREAM'],
      [new ClosedError(), 'E_CLOSED'],
    ];
    for (const [err, code] of cases) {
      assert.ok(err instanceof AnalyticsError && err instanceof Error);
      assert.equal(err.code, code, err.constructor.name);
    }
    assert.equal(new ClosedError().message, 'client closed');
    assert.equal(new HttpError(500, 'GET', '/x', '').message, 'HTTP 500 on GET /x', 'no dangling colon');
    const cause = new Error('inner');
    assert.equal(new NetworkError('E', 'm', { cause }).cause, cause);
  });

  it('isTransient: 5xx, 408 and 429 are; other 4xx, policy and proxy credential refusals are not', () => {
    assert.equal(isTransient(new HttpError(500, 'GET', '/x', '')), true);
    assert.equal(isTransient(new HttpError(408, 'GET', '/x', '')), true);
    assert.equal(isTransient(new HttpError(404, 'GET', '/x', '')), false);
    assert.equal(isTransient(new ProtocolError('bad json')), true);
    assert.equal(isTransient(new TransportPolicyError('insecure', 'm')), false);
    assert.equal(isTransient(new TokenError('m')), false);
    for (const status of [401, 403, 407])
      assert.equal(isTransient(new ProxyError(`PROXY_${status}`, 'm', { status })), false, String(status));
    assert.equal(isTransient(new ProxyError('PROXY_502', 'm', { status: 502 })), true);
    assert.equal(isTransient(new ProxyError('ECONNREFUSED', 'm')), true);
    assert.equal(isTransient(null), false);
  });

  it('describeError gives the message of an Error and String() of anything else', () => {
    assert.equal(describeError(new TokenError('bad token')), 'bad token');
    assert.equal(describeError('text'), 'text');
    assert.equal(describeError(undefined), 'undefined');
    assert.equal(describeError(42), '42');
  });
});
