import assert from 'node:assert/strict';
import { exportSPKI, generateKeyPair, importPKCS8, SignJWT, UnsecuredJWT } from 'jose';
import { TokenError } from '../../lib/index';
import { Redactor } from '../../lib/redact';
import { TokenManager } from '../../lib/token/token-manager';
import { createTokenVerifier } from '../../lib/token/token-verifier';
import { generateCertificates } from '../../simulator/tls/certificates';

const noJwks = async (): Promise<never> => {
  throw new Error('no JWKS in this test');
};

async function rsaToken(lifetimeSec = 3600, sub = 'supervisor1'): Promise<{ token: string; pem: string }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSec)
    .sign(privateKey);
  return { token, pem: await exportSPKI(publicKey) };
}

describe('lib/token TokenManager', () => {
  it('reads exp and sub, and shares one login among concurrent callers (single flight)', async () => {
    const { token } = await rsaToken(3600);
    let logins = 0;
    const tm = new TokenManager(
      async () => {
        logins++;
        await new Promise((r) => setTimeout(r, 20));
        return token;
      },
      null,
      60_000,
      new Redactor(),
    );
    const all = await Promise.all([tm.get(), tm.get(), tm.get(), tm.refresh()]);
    assert.equal(logins, 1);
    assert.ok(all.every((t) => t.token === token));
    assert.equal(all[0]?.subject, 'supervisor1');
    assert.ok(Math.abs((all[0]?.expiresAt ?? 0) - (Date.now() + 3600_000)) < 5000);
    await tm.get();
    assert.equal(logins, 1, 'a fresh token is reused');
  });

  it('logs in again before expiry (lead capped at half the lifetime)', async () => {
    const { token } = await rsaToken(3600);
    let now = Date.now();
    let logins = 0;
    const tm = new TokenManager(
      async () => {
        logins++;
        return token;
      },
      null,
      60_000,
      new Redactor(),
      () => now,
    );
    const first = await tm.get();
    now = first.expiresAt - 61_000;
    await tm.get();
    assert.equal(logins, 1);
    now = first.expiresAt - 59_000;
    await tm.get();
    assert.equal(logins, 2, 'within the 60 s lead: renewed');
    // A 10 s token must not be renewed on every call with a 60 s lead.
    const short = await rsaToken(10);
    now = Date.now();
    const tm2 = new TokenManager(
      async () => short.token,
      null,
      60_000,
      new Redactor(),
      () => now,
    );
    const info = await tm2.get();
    assert.equal(tm2.needsRefresh(info), false);
    now += 6_000;
    assert.equal(tm2.needsRefresh(info), true);
  });

  it('forgets a token answered with 401 unless a newer one replaced it', async () => {
    const a = await rsaToken();
    const b = await rsaToken();
    const tokens = [a.token, b.token];
    const tm = new TokenManager(async () => tokens.shift() as string, null, 60_000, new Redactor());
    const first = await tm.get();
    tm.invalidate('some-older-token');
    assert.equal((await tm.get()).token, first.token);
    tm.invalidate(first.token);
    assert.equal((await tm.get()).token, b.token);
  });

  it('refuses a login answer that is not a JWT, and registers tokens with the redactor', async () => {
    const redactor = new Redactor();
    const tm = new TokenManager(async () => 'not-a-jwt', null, 60_000, redactor);
    await assert.rejects(tm.get(), TokenError);
    const { token } = await rsaToken();
    const tm2 = new TokenManager(async () => token, null, 60_000, redactor);
    await tm2.get();
    assert.equal(redactor.redact(`x ${token} y`), 'x *** y');
  });
});

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
});
