import assert from 'node:assert/strict';
import { get as httpsGet } from 'node:https';
import WebSocket from 'ws';
import { decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { FAULT_ENDPOINTS, type FaultEndpoint, type RunningSimulator } from '../../../simulator/options';
import type { SubscriptionResponse } from '../../../simulator/subscriptions';
import { AGENT, isData, type MessageError, RawClient, Rest, startTestSimulator } from '../../helpers/sim-wire';
import { sleep, until } from '../../helpers/wait';

/** A fresh TCP connection each time (a pooled keep-alive connection would dodge a refusal). */
function freshGet(url: string, ca: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, { ca, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
}

describe('simulator fault injection', () => {
  let sim: RunningSimulator;
  let rest: Rest;
  const clients: RawClient[] = [];

  async function stream(
    username: string,
  ): Promise<{ token: string; response: SubscriptionResponse; client: RawClient }> {
    const token = await rest.login(username);
    const response = await rest.subscribe(token, username, AGENT);
    const client = await RawClient.connect(response.endpoint, sim.caPem);
    clients.push(client);
    client.redirect(response, token);
    await client.waitForPumpupComplete();
    return { token, response, client };
  }

  beforeEach(async () => {
    sim = await startTestSimulator({ clientHeartbeatTimeoutMs: 600 });
    rest = new Rest(sim);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await rest.close();
    await sim.close();
  });

  it("drops every socket, or one user's, without a close handshake", async () => {
    const a = await stream('supervisor1');
    const b = await stream('supervisor2');
    assert.equal(sim.control.dropSockets('supervisor2'), 1);
    assert.equal((await b.client.closed).code, 1006);
    assert.equal(a.client.ws.readyState, WebSocket.OPEN);
    assert.equal(sim.control.dropSockets(), 1);
    assert.equal((await a.client.closed).code, 1006);
    assert.equal(sim.control.stats().faults.drops, 2);
    assert.equal(sim.control.stats().openSockets, 0);
  });

  it('stalls a socket: nothing more is sent, input is ignored, and it is never closed', async () => {
    const { client, response, token } = await stream('supervisor1');
    assert.equal(sim.control.stallSockets('supervisor1'), 1);
    client.stopHeartbeats(); // and the server does not time it out either
    client.echo = false;
    const from = client.frames.length;
    sim.control.trigger(300);
    client.redirect(response, token); // would start a pumpup
    await sleep(1000); // > the 600 ms client heartbeat timeout, > 9 heartbeat intervals
    assert.equal(client.frames.length, from, 'no frame at all, not even a heartbeat');
    assert.equal(client.ws.readyState, WebSocket.OPEN);
    assert.equal(sim.control.stats().openSockets, 1);
    assert.equal(sim.control.stats().faults.stalls, 1);
    // The client gives up on it; the server notices the TCP close.
    await client.close();
    await until('the server to notice the close', () => sim.control.stats().openSockets === 0);
  });

  it('refuses new TCP connections for a while, then accepts again', async () => {
    const url = `${sim.restUrl}/keys/public.pem`;
    sim.control.refuseConnections(1500);
    await assert.rejects(freshGet(url, sim.caPem), (error: NodeJS.ErrnoException) =>
      /ECONNRESET|socket hang up|disconnected/i.test(`${error.code} ${error.message}`),
    );
    await assert.rejects(RawClient.connect(url.replace('https', 'wss'), sim.caPem));
    await sleep(1600);
    assert.equal(await freshGet(url, sim.caPem), 200);
    assert.ok(sim.control.stats().faults.refusedConnections >= 2);
  });

  it('answers 500 or 503 on each chosen endpoint for the next N requests only', async () => {
    const token = await rest.login('supervisor1');
    const user = sim.users[0]!;
    const body = JSON.stringify(rest.subscriptionRequest(user.username, AGENT));
    const calls: Record<Exclude<FaultEndpoint, 'websocket'>, () => ReturnType<Rest['call']>> = {
      login: () =>
        rest.call(
          'GET',
          `/users/login?tenant=0&username=${user.username}&password=${encodeURIComponent(user.password)}`,
        ),
      sources: () => rest.call('GET', '/sources', { token }),
      producers: () => rest.call('GET', `/sources/${encodeURIComponent(sim.model.sourceId)}/producers`, { token }),
      subscribe: () => rest.postSubscription(token, AGENT, body),
      unsubscribe: () => rest.call('DELETE', `${rest.producerPath(AGENT)}/subscriptions`, { token }),
      dictionary: () => rest.call('GET', `${rest.producerPath(AGENT)}/dictionaries?locale=fr`, { token }),
      dimdata: () =>
        rest.call('GET', `${rest.producerPath('Admin_Admin_3.5')}/dimdata/Agent/datatype/Agent`, { token }),
    };
    let injected = 0;
    for (const [endpoint, call] of Object.entries(calls)) {
      const status = endpoint.length % 2 === 0 ? 500 : 503;
      sim.control.failEndpoint(endpoint as FaultEndpoint, status, 2);
      for (let i = 0; i < 2; i++) {
        const reply = await call();
        assert.equal(reply.status, status, `${endpoint} #${i + 1}`);
        assert.match(reply.text, /injected fault/);
        injected++;
      }
      const after = await call();
      assert.ok(after.status < 300, `${endpoint} recovers: ${after.status}`);
    }
    assert.deepEqual([...Object.keys(calls), 'websocket'].sort(), [...FAULT_ENDPOINTS].sort());
    const response = await rest.subscribe(token, user.username, AGENT);
    sim.control.failEndpoint('websocket', 503, 1);
    await assert.rejects(RawClient.connect(response.endpoint, sim.caPem), /upgrade refused: 503/);
    const client = await RawClient.connect(response.endpoint, sim.caPem);
    clients.push(client);
    assert.equal(sim.control.stats().faults.httpErrors, injected + 1);
  });

  it('revokes every token: REST answers 401 and sockets get the error frame and close', async () => {
    const { client, token } = await stream('supervisor1');
    assert.ok(sim.control.revokeTokens() >= 1);
    const closed = await client.closed;
    assert.equal(closed.code, 1008);
    const error = client.frames.filter((f) => f.json?.['code'] === 500).at(-1)!;
    assert.match(String(error.json!['message']), /revoked/);
    const reply = await rest.call<MessageError>('GET', '/sources', { token });
    assert.equal(reply.status, 401);
    assert.match(reply.json.message, /revoked/);
    const fresh = await rest.login('supervisor1');
    assert.equal((await rest.call('GET', '/sources', { token: fresh })).status, 200);
  });

  it('restarts with a new signing key: sockets close, subscriptions and tokens are forgotten', async () => {
    const { client, token } = await stream('supervisor1');
    const oldKid = decodeProtectedHeader(token).kid;
    const oldPem = sim.publicKeyPem;
    const oldJwks = (await rest.call<JSONWebKeySet>('GET', '/.well-known/jwks.json')).json;
    await sim.control.restart();
    assert.equal((await client.closed).code, 1012);
    assert.equal(sim.control.stats().activeSubscriptions, 0);
    const reply = await rest.call<MessageError>('GET', '/sources', { token });
    assert.equal(reply.status, 401);
    assert.match(reply.json.message, /unknown key/);
    const jwks = (await rest.call<JSONWebKeySet>('GET', '/.well-known/jwks.json')).json;
    assert.notEqual(jwks.keys[0]!.kid, oldJwks.keys[0]!.kid);
    assert.notEqual(sim.publicKeyPem, oldPem);
    // Life goes on with a new login.
    const again = await stream('supervisor1');
    assert.notEqual(decodeProtectedHeader(again.token).kid, oldKid);
    sim.control.trigger(200);
    const from = again.client.frames.length;
    await again.client.sync();
    assert.ok(again.client.frames.slice(from).some(isData));
  });
});
