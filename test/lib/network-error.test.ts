import assert from 'node:assert/strict';
import { NetworkError, TlsError, TimeoutError } from '../../lib/index';
import { toNetworkError } from '../../lib/network-error';

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
