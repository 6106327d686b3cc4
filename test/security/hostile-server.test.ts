// Issue 14 against a raw hostile server over real TLS sockets, at the lib level: the transport policy
// (no token on ws:// or to a foreign host), every fault's cause, refused subscriptions that recover,
// the total REST deadline, exact numbers and input that must never reach a consumer.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import type { AnalyticsMessage, FaultCause, StateEvent, Subscription } from '../../lib/index';
import { TimeoutError } from '../../lib/index';
import type { OpenInterfaceClient } from '../../lib/client/client';
import type { SubscriptionResponse } from '../../lib/rest/rest-client';
import type { RedirectEvent } from '../../lib/stream/redirect';
import { rawClient, startRawServer, type RawServer } from '../helpers/raw-server';
import { until, waitForEvent } from '../helpers/wait';
import { reply, SCENARIOS, subscriptionResponse, driveSocket } from '../helpers/hostile-scenarios';

const pumpupComplete = '{"dimension":{},"realtimeData":{},"pumpup":true,"pumpupComplete":true,"heartbeat":false}';

/** A (un)subscriptionRedirect frame as the client sends it (lib/stream/redirect.ts). */
type RedirectFrame = SubscriptionResponse & { authorization: string; eventName: RedirectEvent };

describe('security: a hostile server (lib client)', function () {
  this.timeout(20_000);
  let server: RawServer;
  let client: OpenInterfaceClient | null = null;

  beforeEach(async () => {
    server = await startRawServer();
  });
  afterEach(async () => {
    await client?.close();
    client = null;
    await server.close();
  });

  /** A client on the raw server; `extra.tls` is merged over the trusted CA. */
  const connect = (extra: Parameters<typeof rawClient>[1] = {}): OpenInterfaceClient => {
    client = rawClient(server, { ...extra, tls: { ca: server.caPem, ...extra.tls } });
    return client;
  };

  /** Subscribes `c` to Agent_SoD_3.5 and resolves, once the redirect arrived, with the raw socket and its msgs. */
  const streaming = async (c: OpenInterfaceClient): Promise<{ ws: WebSocket; got: AnalyticsMessage[] }> => {
    const socket = server.nextSocket();
    const sub = c.subscribe('Agent_SoD_3.5');
    const got: AnalyticsMessage[] = [];
    sub.on('message', (m: AnalyticsMessage) => got.push(m));
    const ws = await socket;
    await server.nextFrame((t) => t.includes('subscriptionRedirect'));
    return { ws, got };
  };

  describe('transport policy', () => {
    let plain: Server;
    const plainConnections: Socket[] = [];
    before(async () => {
      plain = createServer((socket) => {
        plainConnections.push(socket);
        socket.destroy();
      });
      await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    });
    after(async () => {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    });

    it('refuses a ws:// endpoint under https:// without connecting to it (no token sent)', async () => {
      const port = (plain.address() as AddressInfo).port;
      server.override = (req, res) =>
        req.method === 'POST' &&
        req.path.endsWith('/subscriptions') &&
        subscriptionResponse(res, req.path, `ws://127.0.0.1:${port}/ws`);
      const c = connect({ faultBackoff: { floorMs: 60_000, capMs: 60_000 } });
      const refused = waitForEvent<StateEvent>(c, 'state', (e) => e.cause?.kind === 'insecure-endpoint');
      c.subscribe('Agent_SoD_3.5');
      const ev = await refused;
      assert.equal(ev.state, 'disconnected');
      assert.match(ev.cause?.detail ?? '', /no token was sent/);
      assert.equal(plainConnections.length, 0, 'the plain endpoint was never contacted');
      assert.equal(server.sockets.length, 0);
    });

    it('refuses an endpoint on a foreign host, and accepts it once the host is allowed (same TLS trust)', async () => {
      const foreign = `${server.restUrl.replace('https://127.0.0.1', 'wss://localhost')}/ws`;
      server.override = (req, res) =>
        req.method === 'POST' && req.path.endsWith('/subscriptions') && subscriptionResponse(res, req.path, foreign);
      const c = connect({ faultBackoff: { floorMs: 60_000, capMs: 60_000 } });
      const refused = waitForEvent<StateEvent>(c, 'state', (e) => e.cause?.kind === 'foreign-endpoint');
      c.subscribe('Agent_SoD_3.5');
      await refused;
      assert.equal(server.sockets.length, 0, 'no socket to the foreign host');
      assert.ok(!server.received.some((t) => t.includes('authorization')), 'no redirect with a token');
      await c.close();

      const allowed = connect({ streamHosts: ['LOCALHOST'] });
      const socket = server.nextSocket();
      allowed.subscribe('Agent_SoD_3.5');
      await socket;
      const redirect = JSON.parse(await server.nextFrame((t) => t.includes('subscriptionRedirect'))) as RedirectFrame;
      assert.match(redirect.endpoint, /^wss:\/\/localhost:/);
      assert.match(
        redirect.authorization,
        /^eyJ/,
        'the allowed host gets the token, over TLS with the REST trust settings',
      );
    });
  });

  describe('every cause is classified', () => {
    for (const s of SCENARIOS) {
      it(`${s.name} → ${s.short}`, async () => {
        s.arrange?.(server);
        const c = connect({
          ...s.client,
          faultBackoff: { floorMs: 60_000, capMs: 60_000 },
          backoff: { floorMs: 2_000, capMs: 2_000, stableMs: 60_000 },
        });
        driveSocket(server, s);
        let cause: FaultCause | null;
        const sub: Subscription = c.subscribe('Agent_SoD_3.5');
        if (s.via === 'state')
          cause = (await waitForEvent<StateEvent>(c, 'state', (e) => e.cause?.kind === s.kind)).cause ?? null;
        else if (s.via === 'input') cause = await waitForEvent<FaultCause>(c, 'input', (e) => e.value === 25);
        else {
          await until('the refusal', () => sub.state === 'failed');
          cause = sub.failureCause;
        }
        assert.ok(cause);
        assert.equal(cause.kind, s.kind);
        assert.equal(cause.short, s.short);
        assert.match(cause.detail, s.detail);
        assert.ok(
          !cause.detail.includes('password1') && !/eyJ[\w-]+\.eyJ/.test(cause.detail),
          'no secret in the cause',
        );
        assert.deepEqual(c.lastCause ?? cause, cause);
      });
    }
  });

  describe('retries', () => {
    it('posts a subscription refused with 404 again on its backoff, and recovers once the server behaves', async () => {
      let refuse = true;
      server.override = (req, res) =>
        refuse &&
        req.method === 'POST' &&
        req.path.endsWith('/subscriptions') &&
        reply(res, 404, '{"message":"unknown producer"}');
      const c = connect({ faultBackoff: { floorMs: 100, capMs: 400 } });
      const sub = c.subscribe('Agent_SoD_3.5');
      await until('the refusal', () => sub.state === 'failed');
      await until('two retries of the POST', () => server.requests.filter((r) => r.method === 'POST').length >= 3);
      assert.equal(sub.state, 'failed', 'still refused');
      refuse = false;
      const socket = await server.nextSocket();
      await server.nextFrame((t) => t.includes('subscriptionRedirect'));
      socket.send(pumpupComplete);
      await until('the recovered subscription', () => sub.state === 'ready');
      assert.equal(sub.failureCause, null);
    });

    it('retryNow() skips a long fault backoff', async () => {
      let refuse = true;
      server.override = (req, res) =>
        refuse && req.path.endsWith('/users/login') && reply(res, 401, '{"message":"locked"}');
      const c = connect({ faultBackoff: { floorMs: 600_000, capMs: 600_000 } });
      const failed = waitForEvent<StateEvent>(c, 'state', (e) => e.state === 'auth-failed');
      c.subscribe('Agent_SoD_3.5');
      assert.ok(((await failed).delayMs ?? 0) >= 300_000, 'a long wait was scheduled');
      refuse = false;
      const connected = waitForEvent<StateEvent>(c, 'state', (e) => e.state === 'connected');
      c.retryNow();
      await connected;
    });
  });

  it('abandons a dripping REST body at its total deadline and closes the request', async () => {
    let closed = false;
    server.override = (req, res) => {
      if (!req.path.endsWith('/sources')) return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 50);
      res.on('close', () => {
        clearInterval(drip);
        closed = true;
      });
      return true;
    };
    const c = connect({ timeouts: { requestMs: 500, bodyMs: 10_000 } });
    const err = await c.rest.sources().then(
      () => assert.fail('a dripping body must not complete'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof TimeoutError);
    assert.equal(err.reason, 'REQUEST_DEADLINE');
    assert.match(err.message, /total deadline of 500 ms/);
    await until('the server side of the request to close', () => closed);
  });

  it('keeps 30-digit values exactly and never turns 1e309 into Infinity', async () => {
    const c = connect();
    const { ws, got } = await streaming(c);
    const digits = '123456789012345678901234567890';
    ws.send(
      `{"dimension":{"agentId":${digits}},"realtimeData":{"active":"${digits}","agentState":1e309,"nrReasonCode":${digits},"x":-0,"y":12}}`,
    );
    ws.send(`{"dimension":{"agentId":"${digits}"},"realtimeData":{"active":"42"}}`);
    await until('both rows', () => got.length === 2);
    const [a, b] = got as [AnalyticsMessage, AnalyticsMessage];
    assert.equal(a.dimension.agentId, digits, 'an unquoted 30-digit id keeps its digits');
    assert.equal(a.key, b.key, 'quoted and unquoted ids are the same entity');
    assert.equal(a.measures.active, digits, 'a NUMBER measure that a double cannot hold stays a string');
    assert.equal(a.measures.agentState, '1e309');
    assert.equal(a.measures.nrReasonCode, digits);
    assert.equal(a.measures.x, '-0');
    assert.equal(a.measures.y, 12);
    assert.equal(b.measures.active, 42, 'an exact one becomes a number');
  });

  it('never hands a consumer prototype keys, nested values or huge strings, and counts them', async () => {
    const c = connect();
    const { ws, got } = await streaming(c);
    let deep = '1';
    for (let i = 0; i < 10_000; i++) deep = `{"a":${deep}}`;
    ws.send(
      `{"dimension":{"agentId":"a1","__proto__":"x","constructor":"y"},"realtimeData":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":"p","deep":${deep},"list":[1,2],"huge":"${'z'.repeat(5000)}","agentState":"READY"}}`,
    );
    await until('the row', () => got.length === 1);
    const m = got[0] as AnalyticsMessage;
    assert.deepEqual(Object.keys(m.dimension), ['agentId']);
    assert.deepEqual(Object.keys(m.measures), ['agentState']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const stats = c.stats as unknown as Record<string, number>;
    assert.equal(stats.hostileKeysDropped, 5);
    assert.equal(stats.nestedValuesDropped, 2);
    assert.equal(stats.longStringsDropped, 1);
    assert.equal(c.inputCause?.kind, 'dropped-input');
    assert.equal(c.inputCause?.short, 'dropped: 8');
  });
});
