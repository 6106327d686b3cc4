// Recovery against the real simulator: dropped and stalled (half-open) sockets, expired and revoked
// tokens, 5xx while reconnecting, refused connections, bad credentials.
import assert from 'node:assert/strict';
import type { StateEvent } from '../../lib/index';
import type { OpenInterfaceClient } from '../../lib/client/client';
import { FakeClock } from '../helpers/fake-clock';
import { HEARTBEAT_MS, Lab } from '../helpers/sim-clients';
import { sleep, until, waitForEvent } from '../helpers/wait';

const PRODUCERS = ['Agent_SoD_3.5', 'VDN_SoD_3.5', 'AgentGroup_SoD_3.5'];

function record(client: OpenInterfaceClient): StateEvent[] {
  const states: StateEvent[] = [];
  client.on('state', (s: StateEvent) => states.push(s));
  return states;
}

function nextReady(client: OpenInterfaceClient, timeoutMs = 10_000): Promise<StateEvent> {
  return waitForEvent<StateEvent>(client, 'state', (s) => s.state === 'ready', timeoutMs);
}

describe('lib client recovery against the simulator', function () {
  this.timeout(30_000);
  let lab: Lab;
  beforeEach(() => {
    lab = new Lab();
  });
  afterEach(async () => {
    await lab.closeAll();
  });

  it('reconnects after a dropped socket: re-POSTs, re-sends redirects, and the same Subscriptions get a fresh pumpup', async () => {
    await lab.start();
    const client = lab.client();
    const subs = PRODUCERS.map((p) => client.subscribe(p));
    const pumpups = new Map<string, number>();
    const subStates: string[] = [];
    for (const s of subs) {
      s.on('pumpupComplete', () => pumpups.set(s.producerId, (pumpups.get(s.producerId) ?? 0) + 1));
      s.on('state', (st: string) => s.producerId === 'VDN_SoD_3.5' && subStates.push(st));
    }
    await nextReady(client);
    const states = record(client);
    const again = nextReady(client);
    assert.equal(lab.sim.control.dropSockets(), 1);
    await again;
    const disc = states.find((s) => s.state === 'disconnected');
    assert.ok(
      disc && disc.attempt === 1 && (disc.delayMs ?? -1) >= 0 && /socket closed|1006/.test(disc.reason ?? ''),
      JSON.stringify(disc),
    );
    assert.deepEqual([...pumpups.values()], [2, 2, 2], 'a fresh pumpup per subscription');
    assert.deepEqual(subStates, ['subscribed', 'ready', 'pending', 'subscribed', 'ready']);
    assert.equal(client.stats.reconnects, 1);
    const stats = lab.sim.control.stats();
    assert.equal(stats.users.supervisor1?.sockets, 1);
    assert.equal(stats.users.supervisor1?.streams, 3);
    assert.equal(stats.duplicateSubscriptions, 0);
    assert.equal(stats.duplicateSockets, 0);
    assert.equal(stats.users.supervisor1?.logins, 1, 'the token was still good');
  });

  it('declares a stalled (half-open) socket stale, terminates it and recovers', async () => {
    await lab.start();
    const client = lab.client({ missedHeartbeats: 3 });
    PRODUCERS.map((p) => client.subscribe(p));
    await nextReady(client);
    const states = record(client);
    const again = nextReady(client);
    assert.equal(lab.sim.control.stallSockets(), 1);
    await again;
    const names = states.map((s) => s.state);
    assert.deepEqual(names.slice(0, 4), ['stale', 'disconnected', 'connecting', 'connected']);
    assert.match(states[0]?.reason ?? '', /no frame for \d+ ms/);
    assert.ok(Number(/(\d+) ms/.exec(states[0]?.reason ?? '')?.[1]) >= 3 * HEARTBEAT_MS);
    await until('the stalled socket to be gone on the server', () => lab.sim.control.stats().openSockets === 1);
    assert.equal(lab.sim.control.stats().duplicateSockets, 0);
  });

  it('renews a short-lived token before it runs out and keeps streaming across expiry', async () => {
    await lab.start({ tokenLifetimeSec: 2 });
    const client = lab.client();
    PRODUCERS.map((p) => client.subscribe(p));
    await nextReady(client);
    const first = await client.rest.login(); // a REST call with the current token
    await sleep(2_300); // the first token has expired now
    const again = nextReady(client);
    lab.sim.control.dropSockets();
    await again; // reconnecting needed REST calls and redirects with a fresh token
    assert.ok((lab.sim.control.stats().users.supervisor1?.logins ?? 0) >= 3, 'logged in again');
    const sources = await client.rest.sources(); // a REST call well after expiry
    assert.equal(sources.length, 1);
    assert.ok(first.expiresAt - Date.now() < 0);
    assert.equal(lab.sim.control.stats().duplicateSubscriptions, 0);
  });

  it('after a token revocation: error frame + close, then 401 → login again → retry once, and back to ready', async () => {
    await lab.start();
    const client = lab.client();
    PRODUCERS.map((p) => client.subscribe(p));
    await nextReady(client);
    const states = record(client);
    const again = nextReady(client);
    assert.ok(lab.sim.control.revokeTokens() >= 1);
    await again;
    const disc = states.find((s) => s.state === 'disconnected');
    assert.match(disc?.reason ?? '', /server error 500: authorization token revoked/);
    assert.equal(client.stats.serverErrors, 1);
    assert.equal(lab.sim.control.stats().users.supervisor1?.logins, 2, 'exactly one new login');
    // A plain REST call after another revocation: 401, one login, one retry.
    lab.sim.control.revokeTokens();
    await until('ready after the second revocation', () => client.state === 'ready', 10_000);
    const before = lab.sim.control.stats().users.supervisor1?.logins ?? 0;
    lab.sim.control.revokeTokens();
    const list = await client.rest.producers();
    assert.ok(list.length >= 10);
    assert.ok((lab.sim.control.stats().users.supervisor1?.logins ?? 0) >= before + 1);
  });

  it('keeps retrying through 5xx answers while reconnecting (backoff, never gives up)', async () => {
    await lab.start();
    const client = lab.client();
    PRODUCERS.map((p) => client.subscribe(p));
    await nextReady(client);
    const states = record(client);
    lab.sim.control.failEndpoint('subscribe', 503, 3);
    lab.sim.control.failEndpoint('websocket', 500, 2);
    const again = nextReady(client, 15_000);
    lab.sim.control.dropSockets();
    await again;
    const attempts = states.filter((s) => s.state === 'disconnected').map((s) => s.attempt);
    assert.ok(attempts.length >= 3, JSON.stringify(states.map((s) => [s.state, s.reason])));
    assert.deepEqual(
      attempts,
      attempts.map((_, i) => i + 1),
      'attempts count up',
    );
    assert.ok(states.some((s) => /HTTP 503/.test(s.reason ?? '')));
    assert.ok(
      states.every((s) => (s.delayMs ?? 0) <= 300),
      'delays stay under the cap',
    );
    assert.equal(lab.sim.control.stats().duplicateSubscriptions, 0);
  });

  it('retries through refused connections', async () => {
    await lab.start();
    const client = lab.client();
    PRODUCERS.map((p) => client.subscribe(p));
    await nextReady(client);
    lab.sim.control.refuseConnections(600);
    const again = nextReady(client, 15_000);
    lab.sim.control.dropSockets();
    await again;
    assert.ok(lab.sim.control.stats().faults.refusedConnections >= 1);
  });

  it('never puts the password or a token in logs, states, warnings or errors', async () => {
    await lab.start({ tokenLifetimeSec: 2 });
    const lines: string[] = [];
    const log = (line: string): void => {
      lines.push(line);
    };
    const client = lab.client({ logger: { error: log, warn: log, info: log, debug: log, trace: log } });
    client.on('state', (s: StateEvent) => lines.push(JSON.stringify(s)));
    client.on('warning', (w: string) => lines.push(w));
    client.on('malformed', (m: unknown) => lines.push(JSON.stringify(m)));
    PRODUCERS.map((p) => client.subscribe(p));
    client.subscribe('Site_SoD_3.5');
    client.subscribe('ContactDetail_CDR_3.5');
    client.subscribe('RoutingService_SoD_3.5'); // beyond the licence: refused
    await nextReady(client);
    lab.sim.control.revokeTokens();
    await nextReady(client);
    lab.sim.control.failEndpoint('subscribe', 500, 1);
    lab.sim.control.dropSockets();
    await nextReady(client);
    const bad = lab.client({
      password: 'password1-but-wrong',
      logger: { error: log, warn: log, info: log, debug: log, trace: log },
    });
    bad.on('state', (s: StateEvent) => lines.push(JSON.stringify(s)));
    bad.subscribe('Agent_SoD_3.5');
    await waitForEvent<StateEvent>(bad, 'state', (s) => s.state === 'auth-failed');
    const loginError = await bad.rest.login().then(
      () => assert.fail('the wrong password was accepted'),
      (e: Error) => e,
    );
    lines.push(loginError.message, String(loginError.stack), JSON.stringify(loginError));
    assert.ok(lines.length > 10);
    const text = lines.join('\n');
    assert.ok(!text.includes('password1'), 'no password');
    assert.ok(!/eyJ[A-Za-z0-9_-]+\.eyJ/.test(text), 'no token');
    assert.ok(!/password=/.test(text), 'no login query string');
  });

  it('reports auth-failed on bad credentials and retries on the fault backoff (no retry storm)', async () => {
    await lab.start();
    const clock = new FakeClock(Date.now());
    const client = lab.client({
      password: 'wrong-password',
      backoff: { floorMs: 10, capMs: 5_000 },
      faultBackoff: { floorMs: 5_000, capMs: 5_000 },
      requestSpacingMs: 0,
      clock,
    });
    const failed = waitForEvent<StateEvent>(client, 'state', (s) => s.state === 'auth-failed');
    client.subscribe('Agent_SoD_3.5');
    const ev = await failed;
    assert.ok(ev.delayMs !== undefined && ev.delayMs >= 2_500 && ev.delayMs <= 5_000, String(ev.delayMs));
    assert.equal(ev.cause?.kind, 'login-refused');
    assert.equal(ev.cause?.short, 'login refused');
    assert.match(ev.reason ?? '', /login refused \(HTTP 401\): invalid username or password/);
    assert.ok(!(ev.reason ?? '').includes('wrong-password'));
    await clock.tick((ev.delayMs ?? 0) - 1); // up to just before the announced retry
    assert.equal(lab.sim.control.stats().failedLogins, 1, 'no fast retries');
    assert.equal(client.state, 'auth-failed');
  });
});
