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
