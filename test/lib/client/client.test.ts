// The connection supervisor (OpenInterfaceClient) with a fake clock against the raw server: every
// wait the supervisor makes (refusal backoff, reconnect backoff, client heartbeat, watchdog) is a
// timer on the clock, so the tests move time instead of sleeping, and can see that nothing happens early.
import assert from 'node:assert/strict';
import type { ClientOptions, StateEvent } from '../../../lib/api';
import type { OpenInterfaceClient } from '../../../lib/client/client';
import { createClient } from '../../../lib/client/client';
import type { ExtraClientOptions } from '../../../lib/options';
import { FakeClock } from '../../helpers/fake-clock';
import type { RawServer } from '../../helpers/raw-server';
import { startRawServer } from '../../helpers/raw-server';
import { until, waitForEvent } from '../../helpers/wait';

const AGENT = 'Agent_SoD_3.5';
const pumpupComplete = '{"dimension":{},"realtimeData":{},"pumpup":true,"pumpupComplete":true,"heartbeat":false}';

describe('lib/client OpenInterfaceClient (supervisor, fake clock)', function () {
  this.timeout(20_000);
  let server: RawServer;
  let client: OpenInterfaceClient | null = null;
  let clock: FakeClock;

  const connect = (extra: Partial<ClientOptions> & ExtraClientOptions = {}): OpenInterfaceClient => {
    client = createClient({
      url: server.restUrl,
      username: 'supervisor1',
      password: 'password1',
      tls: { ca: server.caPem },
      requestSpacingMs: 0,
      heartbeatIntervalMs: 8_000,
      clock,
      ...extra,
    });
    return client;
  };
  /** Answers every subscription POST with `status` until stop(). */
  const refuseSubscriptions = (status: number, message: string): { stop(): void } => {
    let refusing = true;
    server.override = (req, res) => {
      if (!refusing || req.method !== 'POST' || !req.path.endsWith('/subscriptions')) return false;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message }));
      return true;
    };
    return { stop: () => void (refusing = false) };
  };
  const posts = (): number =>
    server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/subscriptions')).length;

  beforeEach(async () => {
    server = await startRawServer();
    clock = new FakeClock(Date.now());
  });
  afterEach(async () => {
    await client?.close();
    client = null;
    await server.close();
  });

  it('posts a refused subscription again after the refusal backoff on the clock, not before', async () => {
    const refusal = refuseSubscriptions(403, 'licence limit reached');
    const c = connect({ faultBackoff: { floorMs: 4_000, capMs: 4_000 } });
    const sub = c.subscribe(AGENT);
    await until('the refusal', () => sub.state === 'failed');
    assert.equal(posts(), 1);
    assert.equal(sub.failureCause?.kind, 'http');
    const [delay] = clock.delays;
    assert.ok(delay !== undefined && delay >= 2_000 && delay <= 4_000, `refusal backoff ${String(delay)}`);
    refusal.stop();
    await clock.tick(delay - 1);
    assert.equal(posts(), 1, 'no retry before the backoff ran out');
    const socket = server.nextSocket();
    await clock.tick(1);
    await until('the second POST', () => posts() === 2);
    await socket;
    await until('the redirect', () => sub.state === 'subscribed');
  });

  it('retryNow() posts a refused subscription at once', async () => {
    const refusal = refuseSubscriptions(404, 'no such producer');
    const c = connect();
    const sub = c.subscribe(AGENT);
    await until('the refusal', () => sub.state === 'failed');
    refusal.stop();
    c.retryNow();
    await until('the second POST, without moving the clock', () => posts() === 2);
    await until('the redirect', () => sub.state === 'subscribed');
  });

  it('reconnects after the backoff delay it announced, on the clock', async () => {
    const c = connect({ backoff: { floorMs: 1_000, capMs: 1_000, stableMs: 60_000 } });
    const first = server.nextSocket();
    const sub = c.subscribe(AGENT);
    const ws = await first;
    await until('the redirect', () => sub.state === 'subscribed');
    ws.send(pumpupComplete);
    await until('ready', () => c.state === 'ready');
    const lost = waitForEvent<StateEvent>(c, 'state', (s) => s.state === 'disconnected');
    ws.terminate();
    const ev = await lost;
    assert.ok(ev.delayMs !== undefined && ev.delayMs <= 1_000, String(ev.delayMs));
    assert.equal(ev.attempt, 1);
    assert.equal(sub.state, 'pending');
    if (ev.delayMs > 0) {
      await clock.tick(ev.delayMs - 1);
      assert.equal(server.sockets.length, 1, 'no reconnect before the delay');
    }
    const second = server.nextSocket();
    await clock.tick(1);
    await second;
    await until('connected again', () => c.state === 'connected');
    assert.equal(c.stats.reconnects, 1);
  });

  it('sends its heartbeat every interval and declares a silent socket stale after the missed heartbeats', async () => {
    server.heartbeats = false;
    const c = connect({ heartbeatIntervalMs: 8_000, missedHeartbeats: 3 });
    const socket = server.nextSocket();
    c.subscribe(AGENT);
    await socket;
    await until('connected', () => c.state === 'connected');
    const beat = server.nextFrame((t) => t === '--heartbeat--');
    await clock.tick(8_000);
    await beat;
    const states: StateEvent[] = [];
    c.on('state', (s) => states.push(s));
    await clock.tick(3 * 8_000);
    await until('the loss', () => states.some((s) => s.state === 'disconnected'));
    assert.equal(states[0]?.state, 'stale');
    assert.match(states[0]?.reason ?? '', /no frame for 24000 ms/);
    assert.equal(states.find((s) => s.state === 'disconnected')?.cause?.kind, 'no-heartbeat');
  });

  it('stamps state events with the clock', async () => {
    const c = connect();
    const connecting = waitForEvent<StateEvent>(c, 'state', (s) => s.state === 'connecting');
    c.subscribe(AGENT);
    assert.equal((await connecting).at, clock.now());
  });
});
