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
import { Redactor, redactPatterns, safeUrl } from '../../lib/redact';
import { errorMessageFromBody } from '../../lib/rest/error-body';
import { toNetworkError } from '../../lib/network-error';

describe('lib/rest error bodies', () => {
  it('reads plain JSON {message} and {error}', () => {
    assert.equal(
      errorMessageFromBody('{"message":"invalid username or password"}', 'application/json'),
      'invalid username or password',
    );
    assert.equal(errorMessageFromBody('{"error":"not found"}', 'application/json'), 'not found');
    assert.equal(errorMessageFromBody('{"error":{"message":"nested"}}', 'application/json'), 'nested');
  });
  it('reads RFC 7807 problem+json', () => {
    assert.equal(
      errorMessageFromBody(
        '{"type":"about:blank","title":"Forbidden","detail":"licence limit reached","status":403}',
        'application/problem+json',
      ),
      'Forbidden: licence limit reached',
    );
    assert.equal(errorMessageFromBody('{"title":"Not Found","status":404}', 'application/problem+json'), 'Not Found');
  });
  it('reads text and HTML, and clips long bodies', () => {
    assert.equal(errorMessageFromBody('Service Unavailable\n', 'text/plain'), 'Service Unavailable');
    assert.equal(
      errorMessageFromBody('<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html'),
      '502 Bad Gateway',
    );
    assert.ok(errorMessageFromBody('x'.repeat(5000), 'text/plain').length < 400);
    assert.equal(errorMessageFromBody('', undefined), '');
    assert.equal(errorMessageFromBody('{broken', 'application/json'), '{broken');
  });
});

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
  it('maps transport errors to typed errors with clear text', () => {
    const tls = toNetworkError(
      Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      'GET https://h/p',
    );
    assert.ok(tls instanceof TlsError);
    assert.match(tls.message, /CA certificate/);
    const t = toNetworkError(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'GET https://h/p');
    assert.ok(t instanceof TimeoutError);
    const n = toNetworkError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'GET https://h/p',
    );
    assert.ok(n instanceof NetworkError && !(n instanceof TimeoutError));
    assert.equal((n as NetworkError).reason, 'ECONNREFUSED');
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

describe('lib redaction', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  it('masks known secrets, URL-encoded too', () => {
    const r = new Redactor();
    r.add('p@ss word!');
    assert.equal(r.redact('bad p@ss word! and p%40ss%20word!'), 'bad *** and ***');
  });
  it('masks JWTs, Bearer credentials and password query parameters even when unknown', () => {
    assert.equal(redactPatterns(`token ${jwt} end`), 'token *** end');
    assert.equal(redactPatterns('Authorization: Bearer abc.def'), 'Authorization: Bearer ***');
    assert.equal(
      redactPatterns('/users/login?tenant=0&username=u&password=secret1'),
      '/users/login?tenant=0&username=u&password=***',
    );
    assert.equal(safeUrl('https://u:p@h:1/users/login?password=x'), 'https://h:1/users/login');
  });
});
