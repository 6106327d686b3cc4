// Trust checks, end to end on loopback: TLS verification is on by default (no CA, a wrong CA or a
// wrong host name fail with a message that says what to configure), a login token with a bad
// signature, "alg":"none", HS256 or another signer is refused when verification is configured (by
// the client and, through the nodes, with a visible status), and the simulator refuses tampered
// tokens on the WebSocket as well as on REST. Error texts never carry the token.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { generateKeyPair, exportSPKI, SignJWT } from 'jose';
import WebSocket from 'ws';
import { createClient, createRestClient, TlsError, TokenError } from '../../lib/index';
import type { AnalyticsRestClient, TokenVerification } from '../../lib/index';
import { generateCertificates } from '../../simulator/tls/certificates';
import type { RunningSimulator } from '../../simulator/index';
import {
  helper,
  PASSWORD,
  serverConfig,
  serverNode,
  simulator,
  statusHistory,
  subscribeNode,
  tlsConfigNode,
  USER,
  serverHub,
  logText,
} from '../helpers/node-red-test-helper';
import { startRawServer, type RawServer } from '../helpers/raw-server';
import { until, sleep } from '../helpers/wait';

/** The options every token check here starts from: supervisor1 at `server`, trusting its CA, no request spacing. */
function supervisorOptions(
  server: { restUrl: string; caPem: string | undefined },
  tokenVerification: TokenVerification,
) {
  return {
    url: server.restUrl,
    username: USER,
    password: PASSWORD,
    tls: { ca: server.caPem },
    requestSpacingMs: 0,
    tokenVerification,
  };
}

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** GET/POST against the simulator with its CA; resolves with status and body text. */
function https(
  sim: RunningSimulator,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.restUrl}${path}`,
      {
        method,
        ca: sim.caPem,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

describe('security: TLS verification and token checks', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;

  before(async () => {
    sim = await simulator({ rate: 0 });
  });
  after(async () => {
    await sim.close();
  });

  describe('TLS', () => {
    const rest = (tls: Record<string, unknown> | undefined, url = sim.restUrl): AnalyticsRestClient =>
      createRestClient({ url, username: USER, password: PASSWORD, requestSpacingMs: 0, ...(tls ? { tls } : {}) });

    async function refusal(client: AnalyticsRestClient): Promise<TlsError> {
      try {
        const err = await client.login().then(
          () => assert.fail('the connection was trusted'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof TlsError, `not a TlsError: ${String(err)}`);
        assert.match(err.message, /CA certificate/, 'the message says what to configure');
        assert.ok(!err.message.includes(PASSWORD));
        return err;
      } finally {
        await client.close();
      }
    }

    it('verifies by default: without the CA the self-signed chain is refused', async () => {
      await refusal(rest(undefined));
    });

    it('refuses a server certificate from another CA', async () => {
      await refusal(rest({ ca: generateCertificates(['127.0.0.1']).caPem }));
    });

    it('refuses a certificate for another host name (the right CA is not enough)', async () => {
      const err = await refusal(rest({ ca: sim.caPem, servername: 'analytics.example.com' }));
      assert.match(err.message, /altname|host ?name|does not match/i);
      // The same CA with a name the certificate carries works: the host check was the reason.
      const ok = rest({ ca: sim.caPem }, sim.restUrl.replace('127.0.0.1', 'localhost'));
      try {
        assert.equal((await ok.login()).subject, USER);
      } finally {
        await ok.close();
      }
    });

    it('through the nodes: a tls-config without the CA shows the TLS problem and streams nothing', async () => {
      const cfg = serverConfig(sim);
      cfg.credentials.tls = { cadata: '' };
      const flow = [
        { id: 'tab', type: 'tab', label: 't' },
        ...cfg.nodes.map((n) => ({ ...n })),
        {
          id: 'sub',
          z: 'tab',
          type: 'avaya-analytics-subscribe',
          server: 'server',
          producer: 'Agent_SoD_3.5',
          source: '',
          emitPumpup: true,
          controlOutput: false,
          outputs: 1,
          version: 2,
          wires: [[]],
        },
      ];
      await helper.load([tlsConfigNode, serverNode, subscribeNode], flow, cfg.credentials);
      try {
        const shown = statusHistory('sub');
        await until('the TLS cause as the status', () => shown().includes('TLS: untrusted CA'), 15_000);
        const hub = serverHub();
        const warned = helper
          .log()
          .args.map(([e]) => logText(e.msg))
          .join('\n');
        assert.match(warned, /TLS|certificate/i, 'the log names the TLS problem');
        assert.equal(sim.control.stats().users[USER]?.streams ?? 0, 0);
        assert.notEqual(hub.state, 'ready');
      } finally {
        await helper.unload();
      }
    });
  });

  describe('login tokens, when verification is configured', () => {
    let raw: RawServer;
    let answer: string | null = null;
    before(async () => {
      raw = await startRawServer();
      raw.override = (req, res) => {
        if (answer === null || !req.path.endsWith('/users/login')) return false;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ authdata: answer }));
        return true;
      };
    });
    after(async () => {
      await raw.close();
    });

    async function loginWith(token: string, verification: 'pem' | 'jwks'): Promise<unknown> {
      answer = token;
      const client = createRestClient(
        supervisorOptions(
          raw,
          verification === 'pem'
            ? { kind: 'pem', key: raw.publicKeyPem }
            : { kind: 'jwks', url: `${raw.restUrl}/jwks.json` },
        ),
      );
      try {
        return await client.login().then(
          (ok) => ok,
          (err: unknown) => err,
        );
      } finally {
        answer = null;
        await client.close();
      }
    }

    function refused(outcome: unknown, token: string, why: RegExp): void {
      assert.ok(outcome instanceof TokenError, `accepted or wrong error: ${String(outcome)}`);
      assert.match(outcome.message, why);
      assert.ok(
        !outcome.message.includes(token) && !outcome.message.includes(token.split('.')[2] || '\u0000'),
        'the token is in the message',
      );
    }

    for (const verification of ['pem', 'jwks'] as const) {
      it(`refuses a bad signature, alg none, HS256 and another signer (${verification})`, async () => {
        const good = await raw.token();
        assert.equal(((await loginWith(good, verification)) as { subject: string }).subject, 'supervisor1');

        const [h, p, sig] = good.split('.') as [string, string, string];
        const flipped = `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
        refused(await loginWith(flipped, verification), flipped, /verification failed/);
        const forged = `${h}.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'admin' })}.${sig}`;
        refused(await loginWith(forged, verification), forged, /verification failed/);
        const none = `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`;
        refused(await loginWith(none, verification), none, /unsigned|alg/);
        const hs = await new SignJWT({ sub: 'supervisor1' })
          .setProtectedHeader({ alg: 'HS256', kid: 'raw-1' })
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(raw.publicKeyPem));
        refused(await loginWith(hs, verification), hs, /not accepted|HS256/);
        const other = (await generateKeyPair('RS256')).privateKey;
        const stranger = await new SignJWT({ sub: 'supervisor1' })
          .setProtectedHeader({ alg: 'RS256', kid: 'raw-1' })
          .setExpirationTime('1h')
          .sign(other);
        refused(await loginWith(stranger, verification), stranger, /verification failed/);
      });
    }

    it('through the client: a server signing with a key other than the configured one never gets a socket', async () => {
      const { publicKey } = await generateKeyPair('RS256', { extractable: true });
      const client = createClient({
        ...supervisorOptions(sim, { kind: 'pem', key: await exportSPKI(publicKey) }),
        backoff: { floorMs: 50, capMs: 200, stableMs: 60_000 },
      });
      try {
        const err = await client.rest.login().then(
          () => assert.fail('accepted a token of another signer'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof TokenError, String(err));
        client.subscribe('Agent_SoD_3.5');
        await sleep(500);
        assert.equal(
          sim.control.stats().users[USER]?.subscriptions.length ?? 0,
          0,
          'subscribed with an unverified token',
        );
        assert.equal(sim.control.stats().openSockets, 0);
      } finally {
        await client.close();
      }
    });
  });

  describe('the simulator refuses tampered tokens', () => {
    it('on REST and on the WebSocket redirect', async () => {
      const login = await https(sim, 'GET', `/users/login?tenant=0&username=${USER}&password=${PASSWORD}`);
      const token = (JSON.parse(login.text) as { authdata: string }).authdata;
      const [h, p, sig] = token.split('.') as [string, string, string];
      const tampered = [
        `${h}.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'supervisor2' })}.${sig}`,
        `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`,
        `${h}.${p}.${sig.slice(0, -4)}AAAA`,
      ];
      assert.equal((await https(sim, 'GET', '/sources', token)).status, 200);
      for (const t of tampered) assert.equal((await https(sim, 'GET', '/sources', t)).status, 401, t);

      const source = (JSON.parse((await https(sim, 'GET', '/sources', token)).text) as Array<{ sourceId: string }>)[0]!
        .sourceId;
      const sub = await https(sim, 'POST', `/sources/${source}/producers/Agent_SoD_3.5/subscriptions?tenant=0`, token, {
        sourceId: source,
        producerId: 'Agent_SoD_3.5',
        streamType: 'SoD',
        transport: 'websocket',
        tenantId: '0',
        username: USER,
        dimensionFilters: [],
        measureFilters: [],
      });
      assert.ok(sub.status < 300, sub.text);
      const response = JSON.parse(sub.text) as Record<string, string>;
      for (const t of tampered) {
        const ws = new WebSocket(response.endpoint!, { ca: sim.caPem });
        const frames: string[] = [];
        ws.on('message', (d) => frames.push((d as Buffer).toString()));
        await new Promise((r) => ws.once('open', r));
        ws.send(JSON.stringify({ ...response, authorization: t, eventName: 'subscriptionRedirect' }));
        const code = await new Promise<number>((r) => ws.once('close', (c: number) => r(c)));
        assert.ok(
          frames.every((f) => !f.includes('realtimeData') || f.includes('"heartbeat":true')),
          'data flowed on a tampered token',
        );
        // The guide's WebSocket error frame, then a policy-violation close.
        assert.ok(
          frames.some((f) => /^\{"code":500,"message":"authorization rejected/.test(f)),
          `no refusal for ${t}: ${frames.join(' ')}`,
        );
        assert.equal(code, 1008);
      }
      assert.equal(sim.control.stats().users[USER]?.streams ?? 0, 0);
      await https(sim, 'DELETE', `/sources/${source}/producers/Agent_SoD_3.5/subscriptions`, token);
    });
  });
});
