// REST and the WebSocket through a real HTTP proxy (Debian's tinyproxy, started here on loopback with
// its own configuration and log): both take the CONNECT tunnel (the proxy's log shows them), TLS to
// the simulator stays verified end to end against its CA, NO_PROXY bypasses the proxy, and a proxy
// that refuses (407 wrong credentials, 403 port not allowed) or cannot be reached becomes a ProxyError
// and a FaultCause "proxy: 407" on the state event, never carrying the proxy password.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createRestClient, ProxyError, TlsError } from '../../lib/index';
import type { AnalyticsRestClient, ClientOptions, StateEvent } from '../../lib/index';
import { causeOf } from '../../lib/client/cause';
import { resolveOptions } from '../../lib/options';
import { shouldProxy, ProxyResolver } from '../../lib/proxy';
import { StreamSocket, type CloseInfo } from '../../lib/stream/stream-socket';
import { WEBSOCKET_PATH } from '../../simulator/server';
import { generateCertificates } from '../../simulator/tls/certificates';
import { Lab } from '../helpers/sim-clients';
import { startTinyproxy, tinyproxyAvailable, type Tinyproxy } from '../helpers/tinyproxy';
import { waitForEvent } from '../helpers/wait';

const PROXY_USER = 'proxyuser';
const PROXY_PASSWORD = 'Pr0xy-S3cret-xyz';

describe('lib through an HTTP proxy (tinyproxy)', function () {
  this.timeout(30_000);
  const lab = new Lab();
  let open: Tinyproxy; // no authentication
  let authed: Tinyproxy; // BasicAuth PROXY_USER PROXY_PASSWORD
  let closedPort: Tinyproxy; // does not allow CONNECT to the simulator's port
  let simPort = 0;
  const rests: AnalyticsRestClient[] = [];
  const rest = (extra: Partial<ClientOptions> = {}): AnalyticsRestClient => {
    const c = createRestClient({
      url: lab.sim.restUrl,
      username: 'supervisor1',
      password: 'password1',
      tls: { ca: lab.sim.caPem },
      requestSpacingMs: 5,
      ...extra,
    });
    rests.push(c);
    return c;
  };

  before(async function () {
    assert.ok(tinyproxyAvailable(), 'tinyproxy is not installed (apt-get install -y tinyproxy, as .ci/run does)');
    await lab.start({ rate: 50 });
    simPort = Number(new URL(lab.sim.restUrl).port);
    open = await startTinyproxy({ connectPorts: [simPort] });
    authed = await startTinyproxy({ connectPorts: [simPort], auth: { user: PROXY_USER, password: PROXY_PASSWORD } });
    closedPort = await startTinyproxy({ connectPorts: [simPort + 1] });
  });
  after(async () => {
    for (const c of rests) await c.close();
    await lab.closeAll();
    for (const p of [open, authed, closedPort]) await p?.stop();
  });

  const target = (): string => `CONNECT 127.0.0.1:${simPort} HTTP/1.1`;

  it('REST goes through the CONNECT tunnel, with the server certificate verified end to end', async () => {
    const before = (await open.connects()).length;
    const me = await rest({ proxy: { url: open.url } }).login();
    assert.equal(me.subject, 'supervisor1');
    const connects = (await open.connects()).slice(before);
    assert.deepEqual(connects, [target()], 'one tunnel to the simulator in the proxy log');
    // Through the tunnel, TLS is still checked against the configured CA: a foreign CA is refused.
    const other = generateCertificates();
    await assert.rejects(rest({ proxy: { url: open.url }, tls: { ca: other.caPem } }).login(), TlsError);
  });

  it('the WebSocket goes through the tunnel: TLS inside it, SNI and verification as without a proxy', async () => {
    const options = resolveOptions({
      url: lab.sim.restUrl,
      username: 'u',
      password: 'p',
      tls: { ca: lab.sim.caPem },
      proxy: { url: open.url },
    });
    const before = (await open.connects()).length;
    const wsUrl = `wss://127.0.0.1:${simPort}${WEBSOCKET_PATH}`;
    const opened = await new Promise<boolean>((resolve) => {
      const socket = new StreamSocket(wsUrl, options, {
        onOpen: () => {
          resolve(true);
          socket.close();
        },
        onMessage: () => undefined,
        onStale: () => undefined,
        onClose: () => resolve(false),
      });
    });
    assert.equal(opened, true, 'the socket opened through the proxy');
    assert.deepEqual((await open.connects()).slice(before), [target()]);

    // A wrong CA is refused inside the tunnel too.
    const wrong = resolveOptions({
      url: lab.sim.restUrl,
      username: 'u',
      password: 'p',
      tls: { ca: generateCertificates().caPem },
      proxy: { url: open.url },
    });
    const info = await new Promise<CloseInfo>((resolve) => {
      new StreamSocket(wsUrl, wrong, {
        onOpen: () => undefined,
        onMessage: () => undefined,
        onStale: () => undefined,
        onClose: resolve,
      });
    });
    assert.ok(info.error instanceof TlsError, `a TLS refusal, got ${info.error?.message}`);
  });

  it('a subscription streams data with REST and the WebSocket both through the proxy', async () => {
    const before = (await open.connects()).length;
    const client = lab.client({ proxy: { url: open.url } });
    const sub = client.subscribe('Agent_SoD_3.5');
    await once(sub, 'message');
    const connects = (await open.connects()).slice(before);
    // REST (login, sources, producers, POST) on one keep-alive tunnel, the WebSocket on another.
    assert.ok(connects.length >= 2, `REST and the WebSocket tunnels, got ${JSON.stringify(connects)}`);
    assert.ok(connects.every((c) => c === target()));
  });

  it("NO_PROXY (the environment's, with proxy 'env') bypasses the proxy; HTTPS_PROXY alone uses it", async () => {
    const saved = { ...process.env };
    try {
      for (const k of [
        'https_proxy',
        'HTTPS_PROXY',
        'http_proxy',
        'HTTP_PROXY',
        'no_proxy',
        'NO_PROXY',
        'all_proxy',
        'ALL_PROXY',
      ])
        delete process.env[k];
      process.env.HTTPS_PROXY = open.url;
      let before = (await open.connects()).length;
      await rest({ proxy: 'env' }).login();
      assert.equal((await open.connects()).length - before, 1, 'HTTPS_PROXY is used');

      process.env.NO_PROXY = 'localhost,127.0.0.1';
      before = (await open.connects()).length;
      const client = lab.client({ proxy: 'env' });
      await once(client.subscribe('Agent_SoD_3.5'), 'message');
      assert.equal(
        (await open.connects()).length - before,
        0,
        'NO_PROXY: neither REST nor the WebSocket took the proxy',
      );
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it('an explicit proxy wins over the environment, and its own no-proxy list applies', () => {
    const resolver = new ProxyResolver(
      { url: open.url, noProxy: ['.example.com', 'db:5432'] },
      { HTTPS_PROXY: 'http://elsewhere:1', NO_PROXY: '*' },
    );
    assert.equal(resolver.forUrl('https://10.0.0.5/orca-streams-rest')?.origin, open.url);
    assert.equal(resolver.forUrl('wss://avaya.example.com/ws'), null);
    assert.equal(resolver.forUrl('https://db:5432/'), null);
    assert.equal(resolver.forUrl('https://db:443/')?.origin, open.url);
    const env = new ProxyResolver('env', { https_proxy: 'http://a:1', HTTP_PROXY: 'b:2', no_proxy: 'skip.me' });
    assert.equal(env.forUrl('https://x/')?.origin, 'http://a:1');
    assert.equal(env.forUrl('ws://x/')?.origin, 'http://b:2');
    assert.equal(env.forUrl('https://skip.me/'), null);
    assert.equal(new ProxyResolver('none', { HTTPS_PROXY: 'http://a:1' }).forUrl('https://x/'), null);
    assert.equal(shouldProxy('a.b.c', 443, ['*.b.c']), false);
    assert.equal(shouldProxy('a.b.c', 443, ['*']), false);
    assert.equal(shouldProxy('a.b.c', 443, ['a.b']), true);
  });

  it('proxy authentication: right credentials pass; missing or wrong ones are "proxy: 407" without the password', async () => {
    const me = await rest({ proxy: { url: authed.url, username: PROXY_USER, password: PROXY_PASSWORD } }).login();
    assert.equal(me.subject, 'supervisor1');
    // Without credentials tinyproxy answers 407; with wrong ones 401, which counts as 407 (see proxyRefused).
    const missing = await rest({ proxy: { url: authed.url } })
      .login()
      .then(
        () => assert.fail('logged in through a proxy without credentials'),
        (e: unknown) => e,
      );
    assert.ok(
      missing instanceof ProxyError && missing.status === 407 && /HTTP 407/.test(missing.message),
      String(missing),
    );

    const wrongPassword = `${PROXY_PASSWORD}-wrong`;
    const err = await rest({ proxy: { url: authed.url, username: PROXY_USER, password: wrongPassword } })
      .login()
      .then(
        () => assert.fail('logged in through a proxy with wrong credentials'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof ProxyError, String(err));
    assert.equal(err.status, 407);
    assert.match(err.message, /HTTP 401/, 'the message keeps what the proxy sent');
    const cause = causeOf(err, err.message);
    assert.equal(cause.kind, 'proxy');
    assert.equal(cause.short, 'proxy: 407');
    assert.ok(
      !err.message.includes(wrongPassword) &&
        !err.message.includes(Buffer.from(`${PROXY_USER}:${wrongPassword}`).toString('base64')),
    );

    // The full client: a state event with the cause, and a retry scheduled (fault backoff).
    const client = lab.client({
      proxy: { url: authed.url, username: PROXY_USER, password: wrongPassword },
      faultBackoff: { floorMs: 50, capMs: 200 },
    });
    const states: StateEvent[] = [];
    client.on('state', (e: StateEvent) => states.push(e));
    client.subscribe('Agent_SoD_3.5');
    const down = await waitForEvent<StateEvent>(client, 'state', (e) => e.state === 'disconnected');
    assert.equal(down.cause?.kind, 'proxy');
    assert.equal(down.cause?.value, 407);
    assert.ok(typeof down.delayMs === 'number' && down.delayMs > 0, 'a retry is scheduled');
    await waitForEvent<StateEvent>(client, 'state', (e) => e.state === 'disconnected' && (e.attempt ?? 0) >= 2);
    const text = JSON.stringify(states);
    assert.ok(!text.includes(wrongPassword), 'no state event carries the proxy password');

    // The WebSocket alone through the authenticating proxy with the wrong password: the same cause.
    const options = resolveOptions({
      url: lab.sim.restUrl,
      username: 'u',
      password: 'p',
      tls: { ca: lab.sim.caPem },
      proxy: { url: authed.url, username: PROXY_USER, password: wrongPassword },
    });
    const info = await new Promise<CloseInfo>((resolve) => {
      new StreamSocket(`wss://127.0.0.1:${simPort}${WEBSOCKET_PATH}`, options, {
        onOpen: () => undefined,
        onMessage: () => undefined,
        onStale: () => undefined,
        onClose: resolve,
      });
    });
    assert.ok(info.error instanceof ProxyError && info.error.status === 407, String(info.error));
    assert.equal(causeOf(info.error, '').short, 'proxy: 407');
  });

  it('a proxy that does not allow the port is "proxy: 403"; an unreachable one "proxy: ECONNREFUSED"', async () => {
    const refused = await rest({ proxy: { url: closedPort.url } })
      .login()
      .then(
        () => assert.fail('the proxy let the tunnel through'),
        (e: unknown) => e,
      );
    assert.ok(refused instanceof ProxyError, String(refused));
    assert.equal(causeOf(refused, '').short, 'proxy: 403');

    const gone = await startTinyproxy({ connectPorts: [simPort] });
    const goneUrl = gone.url;
    await gone.stop();
    const unreachable = await rest({ proxy: { url: goneUrl } })
      .login()
      .then(
        () => assert.fail('connected through a stopped proxy'),
        (e: unknown) => e,
      );
    assert.ok(unreachable instanceof ProxyError, String(unreachable));
    assert.equal(causeOf(unreachable, '').short, 'proxy: ECONNREFUSED');
  });
});
