import assert from 'node:assert/strict';
import { exportSPKI, generateKeyPair, importPKCS8, SignJWT, UnsecuredJWT } from 'jose';
import { TokenError } from '../../../lib/index';
import { rsaToken } from '../../helpers/jwt-tokens';
import { createTokenVerifier, MAX_JWKS_BYTES } from '../../../lib/token/token-verifier';
import { generateCertificates } from '../../../simulator/tls/certificates';

const noJwks = (): Promise<never> => Promise.reject(new Error('no JWKS in this test'));

describe('lib/token verification', () => {
  it('accepts a token signed by the PEM public key and refuses one signed by another key', async () => {
    const good = await rsaToken();
    const other = await rsaToken();
    const verify = createTokenVerifier({ kind: 'pem', key: good.pem }, noJwks);
    assert.ok(verify);
    await verify(good.token);
    await assert.rejects(
      verify(other.token),
      (err: Error) => err instanceof TokenError && /verification failed/.test(err.message),
    );
  });

  it('refuses alg "none" and HS256 whatever the key', async () => {
    const good = await rsaToken();
    const verify = createTokenVerifier({ kind: 'pem', key: good.pem }, noJwks);
    assert.ok(verify);
    const unsecured = new UnsecuredJWT({ sub: 'x' }).setExpirationTime('1h').encode();
    await assert.rejects(verify(unsecured), /alg "none"/);
    const hs = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(good.pem));
    await assert.rejects(verify(hs), /HS256.*not accepted/);
    await assert.rejects(verify('garbage'), /not a JWT/);
  });

  it('refuses an expired token', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(privateKey);
    const verify = createTokenVerifier({ kind: 'pem', key: await exportSPKI(publicKey) }, noJwks);
    await assert.rejects(verify!(token), /ERR_JWT_EXPIRED/);
  });

  it('verifies with an X.509 certificate (importX509)', async () => {
    const { certPem, keyPem, caPem } = generateCertificates(['localhost']);
    const key = await importPKCS8(keyPem, 'ES256');
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setExpirationTime('1h').sign(key);
    const verify = createTokenVerifier({ kind: 'pem', key: certPem }, noJwks);
    await verify!(token);
    const wrong = createTokenVerifier({ kind: 'pem', key: caPem }, noJwks);
    await assert.rejects(wrong!(token), TokenError);
  });

  it('rejects unusable configuration early', () => {
    assert.throws(() => createTokenVerifier({ kind: 'pem', key: 'not a pem' }, noJwks), TypeError);
    assert.throws(() => createTokenVerifier({ kind: 'jwks', url: 'not a url' }, noJwks), TypeError);
    assert.equal(createTokenVerifier({ kind: 'none' }, noJwks), null);
  });

  it('refuses a JWKS over clear text: anyone on the path could swap the keys', () => {
    assert.throws(
      () => createTokenVerifier({ kind: 'jwks', url: 'http://10.0.0.5/.well-known/jwks.json' }, noJwks),
      /tokenVerification\.url must be https:\/\//,
    );
  });

  it('bounds a JWKS to MAX_JWKS_BYTES and hands the fetch a signal', async () => {
    const good = await rsaToken();
    const asked: Array<{ signal?: AbortSignal; maxBytes: number }> = [];
    const verify = createTokenVerifier({ kind: 'jwks', url: 'https://10.0.0.5/jwks.json' }, (_url, limits) => {
      asked.push(limits);
      return Promise.resolve({ status: 200, text: '{"keys":[]}', contentType: 'application/json' });
    });
    await assert.rejects(verify!(good.token), TokenError);
    assert.equal(asked.length >= 1, true);
    assert.equal(asked[0]!.maxBytes, MAX_JWKS_BYTES);
    assert.ok(MAX_JWKS_BYTES <= 1024 * 1024, 'a key set, not a REST body');
    assert.ok(asked[0]!.signal instanceof AbortSignal);
  });

  it("ends a JWKS fetch that never answers at jose's 5 s timeout, not the REST request deadline", async function () {
    this.timeout(15_000);
    const good = await rsaToken();
    const verify = createTokenVerifier(
      { kind: 'jwks', url: 'https://10.0.0.5/jwks.json' },
      (_url, { signal }) =>
        new Promise((_resolve, reject) => {
          // A transport that stops only when told to (as the client's does with this signal).
          signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
        }),
    );
    await assert.rejects(
      verify!(good.token),
      (err: Error) => err instanceof TokenError && /JWKS_TIMEOUT/.test(err.message),
    );
  });
});
