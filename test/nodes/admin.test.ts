// The admin endpoints behind the editor's dropdowns and "test connection": permission wiring, 503
// for an undeployed config node, POSTs with the dialog's values (and the stored-password
// placeholder), upstream errors with the server's text, and never a secret in an answer.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSimulator } from '../../simulator/index';
import { DIMDATA_KINDS } from '../../lib/index';
import {
  helper,
  PASSWORD,
  serverConfig,
  serverNode,
  simulator,
  subscribeNode,
  tlsConfigNode,
  unload,
  USER,
} from '../helpers/node-red-test-helper';

type Red = { auth: { needsPermission(permission: string): unknown } };
type Req = { get(name: string): string | undefined };
type Res = { status(code: number): { json(body: unknown): void } };
/** The JSON of an endpoint's error reply. */
interface ErrorBody {
  error: string;
  code?: string;
}
/** The JSON of a session check. */
interface SessionBody {
  user: string;
  expiresAt: number;
}
/** A producer as the producers endpoint lists it. */
interface ProducerBody {
  producerId: string;
  dimensions: { name: string }[];
  measures: unknown[];
}

const GETS = ['sources', 'producers', 'locales', 'dimdata-kinds'];
const POSTS = [...GETS, 'test'];

describe('avaya-analytics-server admin endpoints', function () {
  let sim: RunningSimulator;
  /** Permissions the module asked for, and a guard that grants only those in the x-test-permissions header. */
  let requested: string[];

  const guardedServerNode = (RED: Red): unknown => {
    RED.auth.needsPermission = (permission: string) => {
      requested.push(permission);
      return (req: Req, res: Res, next: () => void) => {
        const granted = (req.get('x-test-permissions') ?? '').split(',');
        if (granted.includes(permission)) next();
        else res.status(403).json({ error: `missing ${permission}` });
      };
    };
    return (serverNode as (red: Red) => unknown)(RED);
  };

  const ALL = 'avaya-analytics-server.read,avaya-analytics-server.write';

  before(async () => {
    sim = await simulator();
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    requested = [];
    const cfg = serverConfig(sim);
    await helper.load([tlsConfigNode, guardedServerNode, subscribeNode], cfg.nodes, cfg.credentials);
  });
  afterEach(unload);

  /** The dialog's values for the simulator. */
  const typed = (extra: Record<string, unknown> = {}) => ({
    url: sim.restUrl,
    tenant: '0',
    tls: 'tls',
    username: USER,
    password: PASSWORD,
    ...extra,
  });

  it('guards every GET with .read and every POST with .write', async () => {
    assert.deepEqual([...new Set(requested)].sort(), ['avaya-analytics-server.read', 'avaya-analytics-server.write']);
    for (const what of GETS) {
      await helper.request().get(`/avaya-analytics/server/${what}`).expect(403);
      await helper
        .request()
        .get(`/avaya-analytics/server/${what}`)
        .set('x-test-permissions', 'avaya-analytics-server.write')
        .expect(403);
      await helper
        .request()
        .get(`/avaya-analytics/server/${what}`)
        .set('x-test-permissions', 'avaya-analytics-server.read')
        .expect(200);
    }
    for (const what of POSTS) {
      await helper
        .request()
        .post(`/avaya-analytics/${what}`)
        .set('x-test-permissions', 'avaya-analytics-server.read')
        .send(typed())
        .expect(403);
    }
  });

  it('answers 503 with a clear message for a config node that is not deployed', async () => {
    const res = await helper
      .request()
      .get('/avaya-analytics/not-deployed/producers')
      .set('x-test-permissions', ALL)
      .expect(503);
    assert.equal((res.body as ErrorBody).error, 'avaya-analytics-server.errors.not-deployed');
    // A deployed node of another type is not a server either.
    await helper.request().get('/avaya-analytics/tls/sources').set('x-test-permissions', ALL).expect(503);
  });

  it('lists sources, producers with dimensions and measures, locales and kinds through the deployed node', async () => {
    const sources = (
      await helper.request().get('/avaya-analytics/server/sources').set('x-test-permissions', ALL).expect(200)
    ).body as { sourceId: string }[];
    assert.deepEqual(
      sources.map((s) => s.sourceId),
      sim.model.sources().map((s) => s.sourceId),
    );

    const producers = (
      await helper.request().get('/avaya-analytics/server/producers').set('x-test-permissions', ALL).expect(200)
    ).body as ProducerBody[];
    const agent = producers.find((p) => p.producerId === 'Agent_SoD_3.5')!;
    const truth = sim.model.producer('Agent_SoD_3.5')!;
    assert.deepEqual(
      agent.dimensions.map((d) => d.name),
      truth.dimensions.map((d) => d.name),
    );
    assert.equal(agent.measures.length, truth.measures.length);
    assert.equal(producers.length, sim.model.producers().length);

    const locales = (
      await helper
        .request()
        .get('/avaya-analytics/server/locales')
        .query({ producer: 'Agent_SoD_3.5' })
        .set('x-test-permissions', ALL)
        .expect(200)
    ).body as string[];
    assert.deepEqual([...locales].sort(), [...truth.locales].sort());

    const kinds = (
      await helper.request().get('/avaya-analytics/server/dimdata-kinds').set('x-test-permissions', ALL).expect(200)
    ).body as unknown;
    assert.deepEqual(kinds, [...DIMDATA_KINDS]);
  });

  it('queries with the values typed in a dialog before deploy', async () => {
    const res = await helper
      .request()
      .post('/avaya-analytics/producers')
      .set('x-test-permissions', ALL)
      .send(typed({ id: 'new-node' }))
      .expect(200);
    assert.ok((res.body as ProducerBody[]).some((p) => p.producerId === 'RoutingService_SoD_3.5'));
  });

  it('uses the stored password of the deployed node for the __PWRD__ placeholder, and says when there is none', async () => {
    await helper
      .request()
      .post('/avaya-analytics/sources')
      .set('x-test-permissions', ALL)
      .send(typed({ id: 'server', password: '__PWRD__' }))
      .expect(200);
    const res = await helper
      .request()
      .post('/avaya-analytics/sources')
      .set('x-test-permissions', ALL)
      .send(typed({ id: 'unknown', password: '__PWRD__' }))
      .expect(400);
    assert.equal((res.body as ErrorBody).error, 'avaya-analytics-server.errors.no-stored-password');
  });

  it('sends the stored password only with the deployed URL, TLS, proxy and clear-text settings', async () => {
    const seen: string[] = [];
    const elsewhere = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      res.end('{}');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const other = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/orca-streams-rest`;
    try {
      for (const changed of [
        { url: other, allowCleartext: true },
        { url: sim.restUrl.replace('127.0.0.1', 'localhost') },
        { tls: '' },
        { allowCleartext: true },
        // A proxy of the user's choice could end a tunnel to a server the TLS node does not verify.
        { proxy: 'another-proxy' },
      ]) {
        const res = await helper
          .request()
          .post('/avaya-analytics/test')
          .set('x-test-permissions', ALL)
          .send(typed({ id: 'server', password: '__PWRD__', ...changed }))
          .expect(400);
        assert.equal(
          (res.body as ErrorBody).error,
          'avaya-analytics-server.errors.stored-password-elsewhere',
          JSON.stringify(changed),
        );
      }
      assert.deepEqual(seen, [], 'the stored password went to another server');
      // Typed again, the password may go to the other server: the user chose it.
      await helper
        .request()
        .post('/avaya-analytics/test')
        .set('x-test-permissions', ALL)
        .send(typed({ id: 'server', url: other, allowCleartext: true }));
      assert.equal(seen.length, 1);
    } finally {
      elsewhere.close();
    }
  });

  it('takes a deployed URL of ${VAR} (which the runtime resolved) as the same URL in the dialog', async () => {
    process.env.AVAYA_ADMIN_TEST_URL = sim.restUrl;
    try {
      await helper.unload();
      const cfg = serverConfig(sim, { url: '${AVAYA_ADMIN_TEST_URL}' });
      await helper.load([tlsConfigNode, guardedServerNode, subscribeNode], cfg.nodes, cfg.credentials);
      const res = await helper
        .request()
        .post('/avaya-analytics/test')
        .set('x-test-permissions', ALL)
        .send(typed({ id: 'server', url: '${AVAYA_ADMIN_TEST_URL}', password: '__PWRD__' }))
        .expect(200);
      assert.equal((res.body as SessionBody).user, USER);
    } finally {
      delete process.env.AVAYA_ADMIN_TEST_URL;
    }
  });

  it('test connection: the user and the token expiry, never the token or the password', async () => {
    const res = await helper
      .request()
      .post('/avaya-analytics/test')
      .set('x-test-permissions', ALL)
      .send(typed())
      .expect(200);
    assert.equal((res.body as SessionBody).user, USER);
    assert.ok((res.body as SessionBody).expiresAt > Date.now());
    assert.deepEqual(Object.keys(res.body as SessionBody).sort(), ['expiresAt', 'user']);
    assert.ok(!res.text.includes(PASSWORD) && !res.text.includes('eyJ'));
  });

  it("test connection: a wrong password gives the server's refusal (502, not 401) without the password", async () => {
    const wrong = 'Not-The-Password-77';
    const res = await helper
      .request()
      .post('/avaya-analytics/test')
      .set('x-test-permissions', ALL)
      .send(typed({ password: wrong }))
      .expect(502);
    assert.equal((res.body as ErrorBody).code, 'E_AUTH');
    assert.match((res.body as ErrorBody).error, /401|refused/i);
    assert.ok(!res.text.includes(wrong));
  });

  it('test connection: an untrusted certificate (no TLS node) is a TLS error', async () => {
    const res = await helper
      .request()
      .post('/avaya-analytics/test')
      .set('x-test-permissions', ALL)
      .send(typed({ tls: '' }))
      .expect(502);
    assert.equal((res.body as ErrorBody).code, 'E_TLS');
  });

  it('rejects missing values and an undeployed TLS node with 400 and an i18n message', async () => {
    let res = await helper
      .request()
      .post('/avaya-analytics/test')
      .set('x-test-permissions', ALL)
      .send(typed({ username: '' }))
      .expect(400);
    assert.equal((res.body as ErrorBody).error, 'avaya-analytics-server.errors.missing-username');
    res = await helper
      .request()
      .post('/avaya-analytics/test')
      .set('x-test-permissions', ALL)
      .send(typed({ tls: 'nope' }))
      .expect(400);
    assert.equal((res.body as ErrorBody).error, 'avaya-analytics-server.errors.tls-not-deployed');
    res = await helper
      .request()
      .post('/avaya-analytics/test')
      .set('x-test-permissions', ALL)
      .send(typed({ url: 'not a url' }))
      .expect(400);
    assert.ok((res.body as ErrorBody).error.length > 0);
    await helper.request().post('/avaya-analytics/test').set('x-test-permissions', ALL).send('garbage').expect(400);
  });

  it("passes a server error on with the server's text (502)", async () => {
    sim.control.failEndpoint('producers', 503, 1);
    const res = await helper
      .request()
      .get('/avaya-analytics/server/producers')
      .set('x-test-permissions', ALL)
      .expect(502);
    assert.match((res.body as ErrorBody).error, /503/);
    await helper.request().get('/avaya-analytics/server/producers').set('x-test-permissions', ALL).expect(200);
  });
});
