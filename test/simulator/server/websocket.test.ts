import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { RunningSimulator } from '../../../simulator/options';
import type { SubscriptionResponse } from '../../../simulator/subscriptions';
import {
  AGENT,
  AGENT_GROUP,
  decodeValue,
  isData,
  isHeartbeat,
  RawClient,
  Rest,
  startTestSimulator,
  type Frame,
} from '../../helpers/sim-wire';
import { sleep, until } from '../../helpers/wait';

const GUIDE_HEARTBEAT = '{"dimension":{},"realtimeData":{},"pumpup":false,"pumpupComplete":false,"heartbeat":true}';

describe('simulator WebSocket', () => {
  let sim: RunningSimulator;
  let rest: Rest;
  let token: string;
  const user = 'supervisor1';
  const clients: RawClient[] = [];

  async function connect(response: SubscriptionResponse, heartbeatMs = 100): Promise<RawClient> {
    const client = await RawClient.connect(response.endpoint, sim.caPem, heartbeatMs);
    clients.push(client);
    return client;
  }

  async function streaming(producerId = AGENT): Promise<{ response: SubscriptionResponse; client: RawClient }> {
    const response = await rest.subscribe(token, user, producerId);
    const client = await connect(response);
    client.redirect(response, token);
    await client.waitForPumpupComplete();
    return { response, client };
  }

  before(async () => {
    sim = await startTestSimulator({ envelope: 'long', encoding: 'mixed' });
    rest = new Rest(sim);
    token = await rest.login(user);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    for (const producerId of sim.control.stats().users[user]!.subscriptions) {
      await rest.call('DELETE', `${rest.producerPath(producerId)}/subscriptions`, { token });
    }
  });
  after(async () => {
    await rest.close();
    await sim.close();
  });

  describe('pumpup', () => {
    it('sends every visible entity with pumpup:true, then the marker, then live deltas', async () => {
      const response = await rest.subscribe(token, user, AGENT);
      const client = await connect(response);
      const truth = sim.control.truth(user, AGENT)[AGENT]!;
      assert.ok(truth.length > 0);
      client.redirect(response, token);
      const marker = await client.waitForPumpupComplete();
      const markerAt = client.frames.indexOf(marker);
      const rows = client.frames.slice(0, markerAt).filter(isData);
      assert.equal(rows.length, truth.length);
      for (const row of rows) {
        assert.equal(row.json!['pumpup'], true);
        assert.equal(row.json!['pumpupComplete'], false);
        assert.equal(row.json!['heartbeat'], false);
        assert.equal(row.json!['producerId'], AGENT);
        assert.equal(row.json!['sourceId'], sim.model.sourceId);
        assert.equal(row.json!['eventAction'], 'UPSERT');
        assert.equal(row.json!['extra'], null);
        assert.match(String(row.json!['pumpupIdentifier']), /^supervisor1_\d+_AGENTMEASURES_\d{13}$/);
      }
      // Rows are the full current records (traffic is paused).
      const sent = rows.map((r) => ({
        dimension: decodeValue(r.json!['dimension']),
        realtimeData: decodeValue(r.json!['realtimeData']),
      }));
      assert.deepEqual(sent, JSON.parse(JSON.stringify(truth)));
      // The guide's marker, with the long envelope's fields.
      const { dimension, realtimeData, pumpup, pumpupComplete, heartbeat, producerId, pumpupIdentifier } = marker.json!;
      assert.deepEqual(
        [dimension, realtimeData, pumpup, pumpupComplete, heartbeat, producerId],
        [{}, {}, true, true, false, AGENT],
      );
      assert.equal(pumpupIdentifier, rows[0]!.json!['pumpupIdentifier']);
      // Live deltas follow.
      const before = client.frames.length;
      assert.ok(sim.control.trigger(300) > 0);
      await client.sync();
      const deltas = client.frames.slice(before).filter(isData);
      assert.ok(deltas.length > 0, 'deltas after the pumpup');
      for (const delta of deltas) {
        assert.equal(delta.json!['pumpup'], false);
        assert.equal(delta.json!['pumpupIdentifier'], null);
        assert.equal(delta.json!['producerId'], AGENT);
      }
    });

    it('answers a re-sent subscriptionRedirect for an attached guid with a fresh pumpup', async () => {
      const { response, client } = await streaming();
      const from = client.frames.length;
      client.redirect(response, token);
      const marker = await client.waitForPumpupComplete(from);
      const rows = client.frames.slice(from, client.frames.indexOf(marker)).filter(isData);
      assert.equal(rows.length, sim.control.truth(user, AGENT)[AGENT]!.length);
      assert.ok(rows.every((r) => r.json!['pumpup'] === true));
      assert.equal(sim.control.stats().duplicateSockets, 0);
    });

    it('carries several producers on one socket, each with its own pumpup', async () => {
      const agents = await rest.subscribe(token, user, AGENT);
      const groups = await rest.subscribe(token, user, AGENT_GROUP);
      const client = await connect(agents);
      client.redirect(agents, token);
      client.redirect(groups, token);
      await client.waitFor((f) => f.json?.['pumpupComplete'] === true && f.json['producerId'] === AGENT_GROUP);
      await client.waitFor((f) => f.json?.['pumpupComplete'] === true && f.json['producerId'] === AGENT);
      sim.control.trigger(300);
      await client.sync();
      const producers = new Set(client.frames.filter(isData).map((f) => f.json!['producerId']));
      assert.deepEqual([...producers].sort(), [AGENT, AGENT_GROUP].sort());
      assert.equal(sim.control.stats().users[user]!.streams, 2);
      assert.equal(sim.control.stats().users[user]!.sockets, 1);
    });
  });

  describe('heartbeats', () => {
    it("sends the guide's JSON heartbeat and --heartbeat-- every interval; client echoes are counted", async () => {
      const { client } = await streaming();
      const received = sim.control.stats().heartbeatsReceived;
      const from = client.frames.length;
      const started = Date.now();
      await until('three JSON heartbeats', () => client.frames.slice(from).filter(isHeartbeat).length >= 3);
      // Three heartbeats span at least two intervals (100 ms): paced, not flooded.
      assert.ok(Date.now() - started >= 180, `three heartbeats within ${Date.now() - started} ms`);
      const window = client.frames.slice(from);
      assert.equal(window.find(isHeartbeat)!.text, GUIDE_HEARTBEAT);
      assert.ok(window.filter((f) => f.text === '--heartbeat--').length >= 2);
      await until("the client's heartbeats to be counted", () => sim.control.stats().heartbeatsReceived > received);
    });

    it('closes a socket whose client sends no --heartbeat--', async () => {
      const quiet = await startTestSimulator({ clientHeartbeatTimeoutMs: 300 });
      const other = new Rest(quiet);
      try {
        const t = await other.login(user);
        const response = await other.subscribe(t, user, AGENT);
        const client = await RawClient.connect(response.endpoint, quiet.caPem, 0);
        client.echo = false;
        clients.push(client);
        client.redirect(response, t);
        const started = Date.now();
        const closed = await client.closed;
        assert.equal(closed.code, 1008);
        assert.match(closed.reason, /no --heartbeat--/);
        assert.ok(Date.now() - started >= 250);
      } finally {
        await other.close();
        await quiet.close();
      }
    });

    it('keeps a socket open while the client echoes and sends heartbeats', async () => {
      const quiet = await startTestSimulator({ clientHeartbeatTimeoutMs: 600 });
      const other = new Rest(quiet);
      try {
        const t = await other.login(user);
        const response = await other.subscribe(t, user, AGENT);
        const client = await RawClient.connect(response.endpoint, quiet.caPem, 100);
        clients.push(client);
        client.redirect(response, t);
        await sleep(1500);
        assert.equal(client.ws.readyState, WebSocket.OPEN);
      } finally {
        await other.close();
        await quiet.close();
      }
    });
  });

  describe('bad first frames get the error frame and a close', () => {
    async function expectRejected(
      send: (client: RawClient, response: SubscriptionResponse) => void,
      message: RegExp,
    ): Promise<void> {
      const response = await rest.subscribe(token, user, AGENT);
      const client = await connect(response);
      send(client, response);
      const closed = await client.closed;
      assert.equal(closed.code, 1008, String(message));
      const error = client.frames[0]!.json!;
      assert.deepEqual(Object.keys(error), ['code', 'message']);
      assert.equal(error['code'], 500);
      assert.match(String(error['message']), message);
      assert.ok(!String(error['message']).includes(token), 'the token is not echoed');
    }

    it('not JSON, not an object, binary', async () => {
      await expectRejected((c) => c.send('hello'), /not valid JSON/);
      await expectRejected((c) => c.send('[1,2]'), /JSON object/);
      await expectRejected((c) => c.send(Buffer.from([1, 2, 3])), /binary frames/);
    });

    it('wrong eventName, missing authorization or guid', async () => {
      await expectRejected(
        (c, r) => c.send(JSON.stringify({ ...r, authorization: token, eventName: 'subscribe' })),
        /eventName/,
      );
      await expectRejected(
        (c, r) => c.send(JSON.stringify({ ...r, eventName: 'subscriptionRedirect' })),
        /authorization/,
      );
      await expectRejected(
        (c, r) =>
          c.send(JSON.stringify({ ...r, guid: undefined, authorization: token, eventName: 'subscriptionRedirect' })),
        /guid is missing/,
      );
    });

    it('a bad or tampered token', async () => {
      await expectRejected((c, r) => c.redirect(r, 'nonsense'), /authorization rejected: token is malformed/);
      const [h, p, s] = token.split('.');
      await expectRejected((c, r) => c.redirect(r, `${h}.${p}x.${s}`), /authorization rejected/);
    });

    it("an unknown guid, another user's guid, and a field not copied from the response", async () => {
      await expectRejected(
        (c, r) => c.redirect({ ...r, guid: '00000000-0000-0000-0000-000000000000' }, token),
        /no subscription with guid/,
      );
      const otherToken = await rest.login('supervisor2');
      await expectRejected((c, r) => c.redirect(r, otherToken), /belongs to another user/);
      await expectRejected(
        (c, r) =>
          c.send(
            JSON.stringify({ ...r, endpoint: undefined, authorization: token, eventName: 'subscriptionRedirect' }),
          ),
        /endpoint is missing/,
      );
      await expectRejected((c, r) => c.redirect({ ...r, version: '9.9' }, token), /version does not match/);
    });

    it('an unsubscriptionRedirect first', async () => {
      await expectRejected((c, r) => c.redirect(r, token, 'unsubscriptionRedirect'), /not streaming on this socket/);
    });

    it('a frame over the size limit closes with 1009', async () => {
      const response = await rest.subscribe(token, user, AGENT);
      const client = await connect(response);
      client.send('x'.repeat(70 * 1024));
      assert.equal((await client.closed).code, 1009);
    });
  });

  describe('once streaming', () => {
    it('reports an unparseable frame and keeps streaming', async () => {
      const { client } = await streaming();
      const from = client.frames.length;
      client.send('{oops');
      client.send(Buffer.from('binary'));
      client.send('{"__proto__":{"polluted":1},"eventName":"subscriptionRedirect"}');
      await client.waitFor((f) => f.json?.['code'] === 500, 2000, from);
      await client.sync();
      const errors = client.frames.slice(from).filter((f) => f.json?.['code'] === 500);
      assert.equal(errors.length, 3);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      assert.equal(client.ws.readyState, WebSocket.OPEN);
      sim.control.trigger(200);
      const next = client.frames.length;
      await client.sync();
      assert.ok(client.frames.slice(next).some(isData));
    });

    it("stops a stream on unsubscriptionRedirect (the guide's first stage), then DELETE and close", async () => {
      const { response, client } = await streaming();
      client.redirect(response, token, 'unsubscriptionRedirect');
      await until('the stream to stop', () => sim.control.stats().users[user]!.streams === 0);
      const from = client.frames.length;
      sim.control.trigger(300);
      await sleep(300);
      assert.equal(
        client.frames.slice(from).filter((f: Frame) => isData(f) || isHeartbeat(f)).length,
        0,
        'no data, no heartbeats',
      );
      assert.equal((await rest.call('DELETE', `${rest.producerPath(AGENT)}/subscriptions`, { token })).status, 204);
    });

    it('stops a stream when its subscription is deleted or replaced over REST', async () => {
      const { client } = await streaming();
      await rest.subscribe(token, user, AGENT); // replaced: the old guid is dead
      assert.equal(sim.control.stats().users[user]!.streams, 0);
      const from = client.frames.length;
      sim.control.trigger(300);
      await sleep(250);
      assert.equal(client.frames.slice(from).filter(isData).length, 0);
    });

    it('moves a guid redirected on a second socket and counts the duplicate socket', async () => {
      const { response, client } = await streaming();
      const second = await connect(response);
      second.redirect(response, token);
      await second.waitForPumpupComplete();
      assert.equal(sim.control.stats().duplicateSockets, 1);
      const from = client.frames.length;
      sim.control.trigger(300);
      await second.sync();
      await sleep(150);
      assert.equal(client.frames.slice(from).filter(isData).length, 0, 'the first socket lost the stream');
    });

    it("refuses another user's redirect on a socket already carrying a user", async () => {
      const { client } = await streaming();
      const otherToken = await rest.login('supervisor2');
      const theirs = await rest.subscribe(otherToken, 'supervisor2', AGENT);
      const from = client.frames.length;
      client.redirect(theirs, otherToken);
      const error = await client.waitFor((f) => f.json?.['code'] === 500, 2000, from);
      assert.match(String(error.json!['message']), /another user/);
      await rest.call('DELETE', `${rest.producerPath(AGENT)}/subscriptions`, { token: otherToken });
    });
  });

  it('answers 404 to an upgrade on another path', async () => {
    const url = new URL(sim.restUrl);
    await assert.rejects(RawClient.connect(`wss://${url.host}/elsewhere`, sim.caPem), /upgrade refused: 404/);
  });
});
