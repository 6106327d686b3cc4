import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import type { RunningSimulator } from '../../../simulator/options';
import { AGENT, type Problem, RawClient, Rest, startTestSimulator } from '../../helpers/sim-wire';

describe('simulator REST subscriptions', () => {
  let sim: RunningSimulator;
  let rest: Rest;
  let token: string;
  const user = 'supervisor1';
  /** Streaming producers (every producer but the admin one). */
  let streaming: string[];

  before(async () => {
    sim = await startTestSimulator();
    rest = new Rest(sim);
    token = await rest.login(user);
    streaming = sim.model
      .producers()
      .map((p) => p.header.producerId)
      .filter((id) => id !== 'Admin_Admin_3.5');
  });
  after(async () => {
    await rest.close();
    await sim.close();
  });
  afterEach(async () => {
    for (const producerId of sim.control.stats().users[user]!.subscriptions) {
      await rest.call('DELETE', `${rest.producerPath(producerId)}/subscriptions`, { token });
    }
  });

  it('answers a SubscriptionRequest with a SubscriptionResponse naming a wss:// endpoint on the same port', async () => {
    const response = await rest.subscribe(token, user, AGENT);
    const producer = sim.model.producer(AGENT)!;
    assert.deepEqual(Object.keys(response).sort(), [
      'endpoint',
      'guid',
      'producer',
      'producerId',
      'source',
      'sourceId',
      'streamType',
      'transport',
      'version',
    ]);
    assert.equal(response.sourceId, sim.model.sourceId);
    assert.equal(response.source, sim.model.sources()[0]!.sourceName);
    assert.equal(response.producerId, AGENT);
    assert.equal(response.producer, producer.header.producerName);
    assert.equal(response.version, producer.header.version);
    assert.equal(response.streamType, 'SoD');
    assert.equal(response.transport, 'websocket');
    assert.match(response.guid, /^[0-9a-f-]{36}$/);
    const endpoint = new URL(response.endpoint);
    assert.equal(endpoint.protocol, 'wss:');
    assert.equal(endpoint.port, new URL(sim.restUrl).port);
    assert.deepEqual(sim.control.stats().users[user]!.subscriptions, [AGENT]);
  });

  it('replaces the subscription when the same producer is POSTed again (new guid, old guid dead, no duplicate)', async () => {
    const first = await rest.subscribe(token, user, AGENT);
    const second = await rest.subscribe(token, user, AGENT);
    assert.notEqual(first.guid, second.guid);
    const stats = sim.control.stats();
    assert.equal(stats.activeSubscriptions, 1);
    assert.deepEqual(stats.users[user]!.subscriptions, [AGENT]);
    // The new guid streams; the old one is refused.
    const client = await RawClient.connect(second.endpoint, sim.caPem);
    try {
      client.redirect(second, token);
      await client.waitForPumpupComplete();
      const stale = await RawClient.connect(first.endpoint, sim.caPem);
      stale.redirect(first, token);
      const closed = await stale.closed;
      assert.equal(closed.code, 1008);
      assert.match(String(stale.frames[0]?.json?.['message']), /replaced by a newer subscription/);
      assert.equal(
        sim.control.stats().duplicateSubscriptions,
        1,
        'using a replaced guid is what a duplicating client does',
      );
    } finally {
      await client.close();
    }
  });

  it('refuses a sixth producer with 403 naming the licence limit; a replace at the limit still works', async () => {
    for (const producerId of streaming.slice(0, 5)) await rest.subscribe(token, user, producerId);
    const sixth = await rest.postSubscription<Problem>(
      token,
      streaming[5]!,
      JSON.stringify(rest.subscriptionRequest(user, streaming[5]!)),
    );
    assert.equal(sixth.status, 403);
    assert.match(sixth.json.detail, /licence limit.*5 subscriptions per user/);
    await rest.subscribe(token, user, streaming[0]!); // replacing is not a sixth
    assert.equal(sim.control.stats().users[user]!.subscriptions.length, 5);
  });

  it('DELETE ends a subscription (204) and answers 404 when not subscribed', async () => {
    await rest.subscribe(token, user, AGENT);
    const deleted = await rest.call('DELETE', `${rest.producerPath(AGENT)}/subscriptions`, { token });
    assert.equal(deleted.status, 204);
    assert.equal(sim.control.stats().activeSubscriptions, 0);
    const again = await rest.call<Problem>('DELETE', `${rest.producerPath(AGENT)}/subscriptions`, { token });
    assert.equal(again.status, 404);
    assert.match(again.json.detail, /not subscribed/);
  });

  describe('validation', () => {
    const valid = () => rest.subscriptionRequest(user, AGENT);
    const post = <T = unknown>(body: unknown, contentType?: string) =>
      rest.postSubscription<T>(token, AGENT, typeof body === 'string' ? body : JSON.stringify(body), contentType);

    it('answers 400 with a message for bad JSON, non-objects and missing or wrong fields', async () => {
      const cases: Array<[unknown, RegExp]> = [
        ['{"sourceId":', /not valid JSON/],
        ['[]', /SubscriptionRequest JSON object/],
        ['null', /SubscriptionRequest JSON object/],
        ['', /SubscriptionRequest JSON object/],
        [{ ...valid(), streamType: 'ITD' }, /streamType must be "SoD"/],
        [{ ...valid(), transport: 'kafka' }, /transport must be "websocket"/],
        [{ ...valid(), username: 'supervisor2' }, /username differs/],
        [{ ...valid(), producerId: 'VDN_SoD_3.5' }, /producerId in the body differs/],
        [{ ...valid(), sourceId: 'other' }, /sourceId in the body differs/],
        [{ ...valid(), tenantId: undefined }, /tenantId is required/],
        [{ ...valid(), username: 42 }, /username is required and must be a string/],
        [{ ...valid(), dimensionFilters: 'all' }, /dimensionFilters must be an array/],
      ];
      for (const [body, message] of cases) {
        const reply = await post<Problem>(body);
        assert.equal(reply.status, 400, String(message));
        assert.match(reply.json.detail, message);
      }
      assert.equal(sim.control.stats().activeSubscriptions, 0);
    });

    it('ignores __proto__ and constructor keys in the body (no prototype pollution)', async () => {
      const body = `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},${JSON.stringify(valid()).slice(1)}`;
      const reply = await post(body);
      assert.equal(reply.status, 200);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    });

    it('answers 415 to a non-JSON content type', async () => {
      const reply = await post<Problem>(valid(), 'text/plain');
      assert.equal(reply.status, 415);
      assert.match(reply.json.detail, /application\/json/);
      assert.equal((await post(valid(), 'application/json; charset=utf-8')).status, 200);
    });

    it('answers 413 to a body over the limit, declared or streamed', async () => {
      const huge = JSON.stringify({ ...valid(), padding: 'x'.repeat(100_000) });
      const declared = await post(huge);
      assert.equal(declared.status, 413);
      // Chunked: no Content-Length, the limit trips while reading.
      const url = new URL(`${sim.restUrl}${rest.producerPath(AGENT)}/subscriptions`);
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            ca: sim.caPem,
            agent: false,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'transfer-encoding': 'chunked',
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        for (let i = 0; i < 5; i++) req.write('x'.repeat(8000));
        req.end();
      });
      assert.equal(status, 413);
      assert.equal((await post(valid())).status, 200, 'still serving');
    });

    it('answers 404 for an unknown producer and 400 for the admin producer', async () => {
      const unknown = await rest.postSubscription(
        token,
        'Nope_SoD_3.5',
        JSON.stringify(rest.subscriptionRequest(user, 'Nope_SoD_3.5')),
      );
      assert.equal(unknown.status, 404);
      const admin = await rest.postSubscription<Problem>(
        token,
        'Admin_Admin_3.5',
        JSON.stringify(rest.subscriptionRequest(user, 'Admin_Admin_3.5')),
      );
      assert.equal(admin.status, 400);
      assert.match(admin.json.detail, /dimension data/);
    });
  });
});
