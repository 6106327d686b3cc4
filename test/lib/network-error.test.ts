import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import { NetworkError, TlsError, TimeoutError } from '../../lib/index';
import { ProxyError, TokenError } from '../../lib/errors';
import { proxyRefused, toNetworkError, toProxiedNetworkError } from '../../lib/network-error';

const coded = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('lib/network-error toNetworkError', () => {
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
    assert.equal(n.reason, 'ECONNREFUSED');
  });
});

describe('lib/network-error details', () => {
  const where = 'GET https://h/p';

  it('https:// to a plain HTTP port: a TLS error that says to check the port, not to configure a CA', async () => {
    const plain = http.createServer((_req, res) => res.end('plain'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const { port } = plain.address() as AddressInfo;
    try {
      const thrown = await fetch(`https://127.0.0.1:${port}/`).then(
        () => assert.fail('a plain HTTP port answered in TLS'),
        (err: unknown) => err,
      );
      const tls = toNetworkError(thrown, `GET https://127.0.0.1:${port}/`);
      assert.ok(tls instanceof TlsError, String(tls));
      assert.match(tls.message, /Check that the host and port of the URL serve HTTPS/);
      assert.doesNotMatch(tls.message, /CA certificate/);
    } finally {
      plain.close();
    }
  });

  it('keeps AnalyticsErrors as they are', () => {
    const e = new TokenError('t');
    assert.equal(toNetworkError(e, where), e);
    assert.equal(toProxiedNetworkError(e, where, 'http://proxy:3128'), e);
  });

  it('finds the code nested in cause or AggregateError, skipping the generic socket codes', () => {
    const nested = Object.assign(new Error('fetch failed'), {
      code: 'UND_ERR_SOCKET',
      cause: coded('CERT_HAS_EXPIRED'),
    });
    const tls = toNetworkError(nested, where);
    assert.ok(tls instanceof TlsError);
    assert.equal(tls.reason, 'CERT_HAS_EXPIRED');
    assert.match(tls.message, /expired \[CERT_HAS_EXPIRED\] on GET https:\/\/h\/p/);
    const aggregate = new AggregateError([coded('ECONNREFUSED')], 'all failed');
    assert.equal((toNetworkError(aggregate, where) as NetworkError).reason, 'ECONNREFUSED');
    const socket = toNetworkError(coded('UND_ERR_SOCKET', 'other side closed'), where);
    assert.equal((socket as NetworkError).reason, 'UND_ERR_SOCKET');
  });

  it('treats unknown TLS-looking codes as TLS errors and names timeout phases', () => {
    const t = toNetworkError(coded('ERR_SSL_SOMETHING_NEW', 'boom'), where);
    assert.ok(t instanceof TlsError);
    assert.match(t.message, /TLS failure \(boom\)/);
    assert.match(
      toNetworkError(coded('UND_ERR_BODY_TIMEOUT'), where).message,
      /timeout waiting for response body on GET/,
    );
    const hs = toNetworkError(new Error('Opening handshake has timed out'), 'wss://h/ws');
    assert.ok(hs instanceof TimeoutError);
    assert.equal(hs.reason, 'HANDSHAKE_TIMEOUT');
  });

  it('wraps anything else as NetworkError UNKNOWN, non-Errors included', () => {
    const n = toNetworkError('weird', where);
    assert.ok(n instanceof NetworkError);
    assert.equal(n.reason, 'UNKNOWN');
    assert.equal(n.message, 'network error on GET https://h/p: weird');
    assert.equal(toNetworkError(null, where).message, 'network error on GET https://h/p: null');
  });

  it('proxyRefused counts a 401 as 407 and keeps the status the proxy sent in the text', () => {
    const e = proxyRefused(401, 'http://proxy:3128', where);
    assert.deepEqual([e.status, e.reason], [407, 'PROXY_407']);
    assert.match(e.message, /HTTP 401 Proxy Authentication Required/);
    assert.equal(proxyRefused(418, 'p', where).message, 'proxy p refused the tunnel for GET https://h/p: HTTP 418');
  });

  it('toProxiedNetworkError: refusals and unreachable proxies become ProxyError, the rest stays', () => {
    const refused = toProxiedNetworkError(new Error('Proxy response (403) !== 200 when HTTP Tunneling'), where, 'P');
    assert.ok(refused instanceof ProxyError);
    assert.equal(refused.status, 403);
    const down = toProxiedNetworkError(coded('ECONNREFUSED'), where, 'P');
    assert.ok(down instanceof ProxyError);
    assert.equal(down.message, 'proxy P unreachable (ECONNREFUSED) for GET https://h/p');
    assert.match(toProxiedNetworkError(coded('UND_ERR_CONNECT_TIMEOUT'), where, 'P').message, /proxy P timed out/);
    const tls = toProxiedNetworkError(coded('CERT_HAS_EXPIRED'), where, 'P');
    assert.ok(tls instanceof TlsError && !(tls instanceof ProxyError));
  });
});
