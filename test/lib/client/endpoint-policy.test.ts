import assert from 'node:assert/strict';
import { streamEndpoint } from '../../../lib/client/endpoint-policy';
import { TransportPolicyError } from '../../../lib/errors';

const REST = 'https://analytics.example.com:8443/orca-streams-rest';

function refused(fn: () => unknown, kind: 'insecure' | 'foreign'): TransportPolicyError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof TransportPolicyError, String(err));
    assert.equal(err.kind, kind);
    return err;
  }
  assert.fail('expected a TransportPolicyError');
}

describe('lib/client/endpoint-policy streamEndpoint', () => {
  it('keeps wss:// on the REST host (any port) and maps https:// to wss://', () => {
    assert.equal(
      streamEndpoint('wss://analytics.example.com:9443/ws', REST, []),
      'wss://analytics.example.com:9443/ws',
    );
    assert.equal(streamEndpoint('https://ANALYTICS.example.com/ws', REST, []), 'wss://analytics.example.com/ws');
  });

  it('resolves a relative endpoint against the REST URL', () => {
    assert.equal(streamEndpoint('/ws/stream', REST, []), 'wss://analytics.example.com:8443/ws/stream');
  });

  it('refuses ws:// and http:// under an https:// REST URL (no silent upgrade)', () => {
    refused(() => streamEndpoint('ws://analytics.example.com/ws', REST, []), 'insecure');
    refused(() => streamEndpoint('http://analytics.example.com/ws', REST, []), 'insecure');
  });

  it('allows ws:// under an http:// REST URL (labs)', () => {
    assert.equal(streamEndpoint('http://lab:8080/ws', 'http://lab:8080/rest', []), 'ws://lab:8080/ws');
  });

  it('refuses other schemes and non-URLs', () => {
    refused(() => streamEndpoint('ftp://analytics.example.com/ws', REST, []), 'foreign');
    refused(() => streamEndpoint('http://[bad', REST, []), 'foreign');
  });

  it('refuses a foreign host unless allowed, and never shows its query string', () => {
    const err = refused(() => streamEndpoint('wss://evil.example.net/ws?token=secret', REST, []), 'foreign');
    assert.doesNotMatch(err.message, /secret/);
    assert.match(err.message, /evil\.example\.net/);
    assert.equal(
      streamEndpoint('wss://node2.example.com/ws', REST, ['node2.example.com']),
      'wss://node2.example.com/ws',
    );
    refused(() => streamEndpoint('wss://analytics.example.com.evil.net/ws', REST, []), 'foreign');
  });

  it('compares IPv6 literals without their brackets', () => {
    assert.equal(streamEndpoint('wss://[::1]:9/ws', 'https://[::1]/rest', []), 'wss://[::1]:9/ws');
    assert.equal(streamEndpoint('wss://[fe80::2]/ws', REST, ['fe80::2']), 'wss://[fe80::2]/ws');
  });
});
