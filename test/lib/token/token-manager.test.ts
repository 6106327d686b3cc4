import assert from 'node:assert/strict';
import { TokenError } from '../../../lib/index';
import { rsaToken } from '../../helpers/jwt-tokens';
import { Redactor } from '../../../lib/redact';
import { TokenManager } from '../../../lib/token/token-manager';

/** A manager whose logins always answer `token` and are counted; `now` is its clock. */
function countingManager(token: string, now: () => number): { tm: TokenManager; logins: () => number } {
  let count = 0;
  const tm = new TokenManager(
    () => {
      count++;
      return Promise.resolve(token);
    },
    null,
    60_000,
    new Redactor(),
    now,
  );
  return { tm, logins: () => count };
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
    const { tm, logins } = countingManager(token, () => now);
    const first = await tm.get();
    now = first.expiresAt - 61_000;
    await tm.get();
    assert.equal(logins(), 1);
    now = first.expiresAt - 59_000;
    await tm.get();
    assert.equal(logins(), 2, 'within the 60 s lead: renewed');
    // A 10 s token must not be renewed on every call with a 60 s lead.
    const short = await rsaToken(10);
    now = Date.now();
    const tm2 = new TokenManager(
      () => Promise.resolve(short.token),
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

  it("judges expiry by the token's lifetime, not by a clock that is off from the server's", async () => {
    const { token } = await rsaToken(3600); // issued now by the server's clock, for an hour
    for (const offsetMs of [2 * 3600_000, -2 * 3600_000]) {
      // this machine's clock, two hours ahead of (or behind) the server's
      const { tm, logins } = countingManager(token, () => Date.now() + offsetMs);
      const first = await tm.get();
      for (let i = 0; i < 4; i++) await tm.get();
      assert.equal(logins(), 1, `one login for five uses with the clock ${offsetMs / 3600_000} h off`);
      assert.ok(Math.abs(first.expiresAt - (Date.now() + offsetMs + 3600_000)) < 5000, 'an hour from its arrival');
      assert.ok(tm.peek() !== null);
    }
  });

  it('forgets a token answered with 401 unless a newer one replaced it', async () => {
    const a = await rsaToken();
    const b = await rsaToken();
    const tokens = [a.token, b.token];
    const tm = new TokenManager(() => Promise.resolve(tokens.shift() as string), null, 60_000, new Redactor());
    const first = await tm.get();
    tm.invalidate('some-older-token');
    assert.equal((await tm.get()).token, first.token);
    tm.invalidate(first.token);
    assert.equal((await tm.get()).token, b.token);
  });

  it('refuses a login answer that is not a JWT, and registers tokens with the redactor', async () => {
    const redactor = new Redactor();
    const tm = new TokenManager(() => Promise.resolve('not-a-jwt'), null, 60_000, redactor);
    await assert.rejects(tm.get(), TokenError);
    const { token } = await rsaToken();
    const tm2 = new TokenManager(() => Promise.resolve(token), null, 60_000, redactor);
    await tm2.get();
    assert.equal(redactor.redact(`x ${token} y`), 'x *** y');
  });
});
