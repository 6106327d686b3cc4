// REST behaviour that needs a scripted server: error body shapes, size bound, timeouts, TLS trust,
// 401 retry, token verification over JWKS, secrets kept out of errors.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import {
  createClient,
  createRestClient,
  HttpError,
  AuthenticationError,
  ProtocolError,
  TimeoutError,
  TlsError,
  TokenError,
} from '../../../lib/index';
import type { AnalyticsRestClient, ClientOptions, StateEvent } from '../../../lib/index';
import { generateCertificates } from '../../../simulator/tls/certificates';
import { startRawServer } from '../../helpers/raw-server';
import type { RawRequest, RawServer } from '../../helpers/raw-server';
import { waitForEvent } from '../../helpers/wait';

const PASSWORD = 'S3cret-passw0rd';

function reply(res: ServerResponse, status: number, body: string, contentType = 'application/json'): true {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
  return true;
}

describe('lib REST client against a raw HTTPS server', function () {
  this.timeout(20_000);
  let server: RawServer;
  const open: Array<{ close(): Promise<void> }> = [];
  const rest = (extra: Partial<ClientOptions> & { maxResponseBytes?: number } = {}): AnalyticsRestClient => {
    const c = createRestClient({
      url: server.restUrl,
      username: 'supervisor1',
      password: PASSWORD,
      tls: { ca: server.caPem },
      requestSpacingMs: 0,
      ...extra,
    });
    open.push(c);
    return c;
  };

  beforeEach(async () => {
    server = await startRawServer();
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    await server.close();
  });

  it('logs in with tenant/username/password in the query and returns subject and expiry only', async () => {
    const r = await rest().login();
    assert.equal(r.subject, 'supervisor1');
    assert.ok(r.expiresAt > Date.now());
    assert.ok(!('token' in r));
    const login = server.requests[0] as RawRequest;
    assert.equal(login.path, '/orca-streams-rest/users/login');
    assert.deepEqual(Object.fromEntries(login.query), { tenant: '0', username: 'supervisor1', password: PASSWORD });
  });

  it('refuses bad credentials with AuthenticationError and no password anywhere in the error', async () => {
    server.override = (req, res) =>
      req.path.endsWith('/users/login') &&
      reply(res, 401, JSON.stringify({ message: `invalid password ${PASSWORD} for supervisor1` }));
    const err = await rest()
      .login()
      .catch((e: unknown) => e);
    assert.ok(err instanceof AuthenticationError, String(err));
    assert.equal(err.status, 401);
    assert.match(err.message, /login refused \(HTTP 401\)/);
    const everything = `${err.message} ${err.serverMessage} ${err.path} ${err.stack} ${JSON.stringify(err)}`;
    assert.ok(!everything.includes(PASSWORD), everything);
    assert.ok(!everything.includes('password='), 'no query string in the error');
  });

  it('carries status and the server message for problem+json, plain JSON and text bodies', async () => {
    let shape = 0;
    server.override = (req, res) => {
      if (!req.path.endsWith('/dimdata/Agent/datatype/Agent')) return false;
      shape++;
      if (shape === 1)
        return reply(
          res,
          403,
          '{"type":"about:blank","title":"Forbidden","detail":"not a supervisor","status":403}',
          'application/problem+json',
        );
      if (shape === 2) return reply(res, 404, '{"error":"unknown kind"}');
      return reply(res, 502, 'Bad Gateway', 'text/plain');
    };
    const c = rest();
    const errs = [];
    for (let i = 0; i < 3; i++) errs.push(await c.dimdata('Agent').catch((e: unknown) => e));
    assert.deepEqual(
      errs.map((e) => (e instanceof HttpError ? [e.status, e.serverMessage] : String(e))),
      [
        [403, 'Forbidden: not a supervisor'],
        [404, 'unknown kind'],
        [502, 'Bad Gateway'],
      ],
    );
  });

  it('URL-encodes path parts', async () => {
    await rest()
      .dictionary('Agent_SoD_3.5/../x', 'pt_BR', 'Oceana Streams')
      .catch(() => undefined);
    const req = server.requests.find((r) => r.path.includes('dictionaries'));
    assert.ok(req);
    assert.equal(req.path, '/orca-streams-rest/sources/Oceana%20Streams/producers/Agent_SoD_3.5%2F..%2Fx/dictionaries');
    assert.equal(req.query.get('locale'), 'pt_BR');
  });

  it('bounds the response size and refuses invalid JSON with ProtocolError', async () => {
    server.override = (req, res) => {
      if (req.path.endsWith('/sources')) return reply(res, 200, JSON.stringify([{ sourceId: 'x'.repeat(10_000) }]));
      if (req.path.endsWith('/dimdata/Agent/datatype/Agent')) return reply(res, 200, '{"not json');
      return false;
    };
    const c = rest({ maxResponseBytes: 4096 });
    await assert.rejects(
      c.sources(),
      (e: unknown) => e instanceof ProtocolError && /exceeds 4096 bytes/.test(e.message),
    );
    await assert.rejects(
      c.dimdata('Agent', 'S'),
      (e: unknown) => e instanceof ProtocolError && /invalid JSON/.test(e.message),
    );
  });

  it('times out on missing response headers with TimeoutError', async () => {
    server.override = (req) => req.path.endsWith('/sources'); // never answers
    const c = rest({ timeouts: { headersMs: 200 } });
    await assert.rejects(c.sources(), (e: unknown) => e instanceof TimeoutError && /response headers/.test(e.message));
  });

  it('on a 401 logs in once more and retries once', async () => {
    let refused = 0;
    server.override = (req, res) => {
      if (req.path.endsWith('/sources') && refused === 0) {
        refused++;
        return reply(res, 401, '{"message":"token expired"}');
      }
      return false;
    };
    const list = await rest().sources();
    assert.equal(list.length, 1);
    const paths = server.requests.map((r) => r.path.replace('/orca-streams-rest', ''));
    assert.deepEqual(paths, ['/users/login', '/sources', '/users/login', '/sources']);
    const auths = server.requests.filter((r) => r.path.endsWith('/sources')).map((r) => r.authorization);
    assert.notEqual(auths[0], auths[1], 'the retry uses the new token');
  });

  it('gives up after the single retry when the server keeps answering 401', async () => {
    server.override = (req, res) => req.path.endsWith('/sources') && reply(res, 401, '{"message":"nope"}');
    await assert.rejects(rest().sources(), (e: unknown) => e instanceof HttpError && e.status === 401);
    assert.equal(server.requests.filter((r) => r.path.endsWith('/sources')).length, 2);
  });

  it('staggers requests by the configured spacing (guide: 100 ms)', async () => {
    const c = rest({ requestSpacingMs: 100 });
    await c.login(); // warm the connection: arrival gaps then reflect the client's spacing only
    server.requests.length = 0;
    await Promise.allSettled([
      c.sources(),
      c.producers('S'),
      c.dimdata('Agent', 'S'),
      c.dictionary('Agent_SoD_3.5', 'fr', 'S'),
    ]);
    const arrivals = server.requests.map((r) => r.at);
    assert.equal(arrivals.length, 4);
    for (let i = 1; i < arrivals.length; i++)
      assert.ok(
        (arrivals[i] as number) - (arrivals[i - 1] as number) >= 95,
        `gaps ${JSON.stringify(arrivals.map((t) => t - (arrivals[0] as number)))}`,
      );
  });

  it('fails TLS with a clear message when the CA is wrong, and accepts it with verification off', async () => {
    const wrong = generateCertificates(['127.0.0.1']).caPem;
    const err = await rest({ tls: { ca: wrong } })
      .login()
      .catch((e: unknown) => e);
    assert.ok(err instanceof TlsError, String(err));
    assert.match(
      err.message,
      /TLS: .*(not trusted|not signed by a trusted CA|self-signed).*Configure the CA certificate/,
    );
    const noCa = await rest({ tls: {} })
      .login()
      .catch((e: unknown) => e);
    assert.ok(noCa instanceof TlsError, String(noCa));
    const lab = await rest({ tls: { rejectUnauthorized: false } }).login();
    assert.equal(lab.subject, 'supervisor1');
  });

  it('verifies the token over JWKS (fetched through the same TLS settings) and refuses a foreign key', async () => {
    const ok = await rest({ tokenVerification: { kind: 'jwks', url: `${server.restUrl}/jwks.json` } }).login();
    assert.equal(ok.subject, 'supervisor1');
    const other = await startRawServer();
    try {
      const c = rest({
        tokenVerification: { kind: 'jwks', url: `${other.restUrl}/jwks.json` },
        tls: { ca: [server.caPem, other.caPem] },
      });
      await assert.rejects(c.login(), (e: unknown) => e instanceof TokenError && /verification failed/.test(e.message));
    } finally {
      await other.close();
    }
  });

  it('after auth-failed, retries slowly and recovers once the server accepts the password again', async () => {
    let refuse = true;
    server.override = (req, res) =>
      refuse && req.path.endsWith('/users/login') && reply(res, 401, '{"message":"invalid username or password"}');
    const client = createClient({
      url: server.restUrl,
      username: 'supervisor1',
      password: PASSWORD,
      tls: { ca: server.caPem },
      backoff: { floorMs: 5, capMs: 400 },
      faultBackoff: { floorMs: 400, capMs: 400 },
    });
    open.push(client);
    const failed = waitForEvent<StateEvent>(client, 'state', (s) => s.state === 'auth-failed');
    client.subscribe('Agent_SoD_3.5');
    const ev = await failed;
    assert.ok(
      ev.delayMs !== undefined && ev.delayMs >= 200 && ev.delayMs <= 400,
      `the fault backoff, not the fast one: ${ev.delayMs}`,
    );
    assert.equal(ev.cause?.kind, 'login-refused');
    refuse = false; // the administrator fixed the account
    await waitForEvent<StateEvent>(client, 'state', (s) => s.state === 'connected', 5_000);
    assert.equal(
      server.requests.filter((r) => r.path.endsWith('/users/login')).length,
      2,
      'one slow retry, not a storm',
    );
  });

  it('verifies the token with a PEM key, refuses alg none (a bad token, not a refused login)', async () => {
    assert.equal(
      (await rest({ tokenVerification: { kind: 'pem', key: server.publicKeyPem } }).login()).subject,
      'supervisor1',
    );
    const none =
      'eyJhbGciOiJub25lIn0.' +
      Buffer.from(JSON.stringify({ sub: 'supervisor1', exp: Math.floor(Date.now() / 1000) + 3600 })).toString(
        'base64url',
      ) +
      '.';
    server.override = (req, res) =>
      req.path.endsWith('/users/login') && reply(res, 200, JSON.stringify({ authdata: none }));
    await assert.rejects(rest({ tokenVerification: { kind: 'pem', key: server.publicKeyPem } }).login(), /alg "none"/);
    const client = createClient({
      url: server.restUrl,
      username: 'supervisor1',
      password: PASSWORD,
      tls: { ca: server.caPem },
      tokenVerification: { kind: 'pem', key: server.publicKeyPem },
      backoff: { floorMs: 10, capMs: 60_000 },
    });
    open.push(client);
    const failed = waitForEvent<StateEvent>(client, 'state', (s) => s.state === 'disconnected');
    client.subscribe('Agent_SoD_3.5');
    const ev = await failed;
    assert.match(ev.reason ?? '', /alg "none"/);
    assert.equal(ev.cause?.kind, 'bad-token');
    assert.ok(
      (ev.delayMs ?? 0) >= 2_500,
      `no fast retries (the fault backoff starts at 5 s, half jitter): ${ev.delayMs}`,
    );
  });
});
