import assert from 'node:assert/strict';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, importSPKI, type JSONWebKeySet, jwtVerify } from 'jose';
import type { RunningSimulator } from '../../../simulator/options';
import {
  closeSimulatorWithRest,
  type LoginBody,
  type MessageError,
  type Problem,
  Rest,
  startSimulatorWithRest,
  startTestSimulator,
} from '../../helpers/sim-wire';

function b64(json: unknown): string {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

describe('simulator REST authentication', () => {
  let sim: RunningSimulator;
  let rest: Rest;
  before(async () => {
    ({ sim, rest } = await startSimulatorWithRest());
  });
  after(() => closeSimulatorWithRest({ sim, rest }));

  describe('GET /users/login', () => {
    it('answers {authdata} with an RS256 JWT carrying kid, sub, iat, exp, jti, aud, iss and userScopeList', async () => {
      const user = sim.users[0]!;
      const reply = await rest.call<LoginBody>(
        'GET',
        `/users/login?tenant=0&username=${encodeURIComponent(user.username)}&password=${encodeURIComponent(user.password)}`,
      );
      assert.equal(reply.status, 200);
      assert.match(String(reply.headers['content-type']), /^application\/json/);
      assert.deepEqual(Object.keys(reply.json), ['authdata']);
      const token = reply.json.authdata;
      const header = decodeProtectedHeader(token);
      assert.equal(header.alg, 'RS256');
      assert.equal(typeof header.kid, 'string');
      const claims = decodeJwt(token);
      assert.equal(claims.sub, user.username);
      assert.equal(claims.exp! - claims.iat!, 86400);
      assert.ok(Math.abs(claims.iat! - Date.now() / 1000) < 5);
      for (const claim of ['jti', 'aud', 'iss'] as const) assert.ok(claims[claim], claim);
      const scopes = claims['userScopeList'] as Array<{ featureName: string; featureValues: string[] }>;
      assert.deepEqual(scopes.find((s) => s.featureName === 'ccUserRole')?.featureValues, ['SUPERVISOR']);
    });

    it('issues a token verifiable with /keys/public.pem and with /.well-known/jwks.json (no auth needed)', async () => {
      const token = await rest.login();
      const pem = await rest.call('GET', '/keys/public.pem');
      assert.equal(pem.status, 200);
      assert.equal(pem.text, sim.publicKeyPem);
      await jwtVerify(token, await importSPKI(pem.text, 'RS256'));
      const jwks = await rest.call<JSONWebKeySet>('GET', '/.well-known/jwks.json');
      assert.equal(jwks.status, 200);
      assert.equal(jwks.json.keys[0]!.kid, decodeProtectedHeader(token).kid);
      await jwtVerify(token, createLocalJWKSet(jwks.json));
    });

    it("accepts the guide's double slash (orca-streams-rest//users/login)", async () => {
      const user = sim.users[0]!;
      const reply = await rest.call(
        'GET',
        `//users/login?tenant=0&username=${user.username}&password=${encodeURIComponent(user.password)}`,
      );
      assert.equal(reply.status, 200);
    });

    it('answers 401 with a JSON message to a wrong password, an unknown user and missing credentials', async () => {
      const user = sim.users[0]!;
      const before = sim.control.stats().failedLogins;
      for (const query of [
        `username=${user.username}&password=wrong`,
        `username=nobody&password=${encodeURIComponent(user.password)}`,
        `username=${user.username}`,
        '',
      ]) {
        const reply = await rest.call<MessageError & Partial<LoginBody>>('GET', `/users/login?tenant=0&${query}`);
        assert.equal(reply.status, 401, query);
        assert.equal(typeof reply.json.message, 'string');
        assert.equal(reply.json.authdata, undefined);
        assert.ok(!reply.text.includes(user.password), 'the password is not echoed');
      }
      assert.equal(sim.control.stats().failedLogins - before, 4);
    });

    it('only allows GET (405 with an Allow header)', async () => {
      const reply = await rest.call('POST', '/users/login?username=a&password=b', { body: '' });
      assert.equal(reply.status, 405);
      assert.equal(reply.headers['allow'], 'GET');
    });
  });

  describe('bearer tokens on the other endpoints', () => {
    let token: string;
    before(async () => {
      token = await rest.login();
    });

    async function expect401(headers: Record<string, string>, message: RegExp): Promise<void> {
      const reply = await rest.call<MessageError>('GET', '/sources', { headers });
      assert.equal(reply.status, 401);
      assert.match(reply.json.message, message);
      assert.match(String(reply.headers['www-authenticate']), /^Bearer/);
      assert.ok(!reply.text.includes(token.slice(-20)), 'the token is not echoed');
    }

    it('accepts a valid token', async () => {
      assert.equal((await rest.call('GET', '/sources', { token })).status, 200);
    });

    it('rejects a missing header, a non-Bearer scheme and garbage', async () => {
      await expect401({}, /Authorization: Bearer/);
      await expect401({ authorization: `Basic ${token}` }, /Authorization: Bearer/);
      await expect401({ authorization: 'Bearer not.a.jwt' }, /malformed/);
      await expect401({ authorization: 'Bearer %%%' }, /malformed/);
    });

    it('rejects a tampered payload (signature no longer matches)', async () => {
      const [header, , signature] = token.split('.');
      const claims = decodeJwt(token);
      const forged = `${header}.${b64({ ...claims, sub: 'someone-else' })}.${signature}`;
      await expect401({ authorization: `Bearer ${forged}` }, /signature/);
    });

    it('rejects an unsigned alg:none token', async () => {
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(decodeJwt(token))}.`;
      await expect401({ authorization: `Bearer ${unsigned}` }, /algorithm/);
    });

    it('rejects an HS256 token (algorithm confusion with the public key)', async () => {
      const header = b64({ alg: 'HS256', kid: decodeProtectedHeader(token).kid });
      const forged = `${header}.${b64(decodeJwt(token))}.${Buffer.from('x').toString('base64url')}`;
      await expect401({ authorization: `Bearer ${forged}` }, /algorithm/);
    });

    it('rejects an expired token', async () => {
      const expiring = await startTestSimulator({ tokenLifetimeSec: 0 });
      const other = new Rest(expiring);
      try {
        const stale = await other.login();
        const reply = await other.call<MessageError>('GET', '/sources', { token: stale });
        assert.equal(reply.status, 401);
        assert.match(reply.json.message, /expired/);
      } finally {
        await other.close();
        await expiring.close();
      }
    });

    it('rejects a token of another simulator (unknown key)', async () => {
      const foreign = await startTestSimulator();
      const other = new Rest(foreign);
      try {
        const alien = await other.login();
        const reply = await rest.call<MessageError>('GET', '/sources', { token: alien });
        assert.equal(reply.status, 401);
        assert.match(reply.json.message, /unknown key/);
      } finally {
        await other.close();
        await foreign.close();
      }
    });

    it('uses problem+json (RFC 7807) on the subscription, dictionary and dimdata endpoints', async () => {
      const reply = await rest.call<Problem>('GET', `${rest.producerPath('Agent_SoD_3.5')}/dictionaries?locale=de`);
      assert.equal(reply.status, 401);
      assert.match(String(reply.headers['content-type']), /^application\/problem\+json/);
      assert.equal(reply.json.status, 401);
      assert.equal(reply.json.title, 'Unauthorized');
      assert.match(reply.json.detail, /Bearer/);
    });
  });
});
