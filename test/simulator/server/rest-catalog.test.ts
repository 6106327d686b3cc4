import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { DIMDATA_KINDS, LOCALES } from '../../../simulator/model/contract';
import type { RunningSimulator } from '../../../simulator/options';
import { AGENT, type MessageError, type Problem, Rest, startTestSimulator } from '../../helpers/sim-wire';

/** A request with the path sent byte for byte (clients normalize hostile paths otherwise). */
function rawGet(sim: RunningSimulator, rawPath: string, token: string): Promise<{ status: number; body: string }> {
  const url = new URL(sim.restUrl);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: url.hostname,
        port: url.port,
        path: rawPath,
        method: 'GET',
        ca: sim.caPem,
        agent: false,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('simulator REST catalog', () => {
  let sim: RunningSimulator;
  let rest: Rest;
  let token: string;
  before(async () => {
    sim = await startTestSimulator();
    rest = new Rest(sim);
    token = await rest.login();
  });
  after(async () => {
    await rest.close();
    await sim.close();
  });

  it("GET /sources lists the model's sources (tenant and locale accepted)", async () => {
    const reply = await rest.call('GET', '/sources?locale=en&tenant=0', { token });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json, sim.model.sources());
    assert.ok(reply.json.some((s: { sourceId: string }) => s.sourceId === sim.model.sourceId));
  });

  it('GET /sources/{sourceId}/producers lists ProducerDescriptors; 404 for an unknown source', async () => {
    const reply = await rest.call(
      'GET',
      `/sources/${encodeURIComponent(sim.model.sourceId)}/producers?tenant=0&locale=en`,
      { token },
    );
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json, sim.model.producers());
    assert.ok(reply.json.some((p: { header: { producerId: string } }) => p.header.producerId === AGENT));
    const unknown = await rest.call<MessageError>('GET', '/sources/nope/producers', { token });
    assert.equal(unknown.status, 404);
    assert.match(unknown.json.message, /unknown source "nope"/);
  });

  describe('dictionaries', () => {
    it('serves every locale of the guide', async () => {
      for (const locale of LOCALES) {
        const reply = await rest.call('GET', `${rest.producerPath(AGENT)}/dictionaries?locale=${locale}`, { token });
        assert.equal(reply.status, 200, locale);
        assert.deepEqual(reply.json, sim.model.dictionary(AGENT, locale));
      }
    });

    it('answers 400 for an unknown or missing locale and 404 for an unknown producer (problem+json)', async () => {
      const bad = await rest.call<Problem>('GET', `${rest.producerPath(AGENT)}/dictionaries?locale=xx-yy`, { token });
      assert.equal(bad.status, 400);
      assert.match(String(bad.headers['content-type']), /problem\+json/);
      assert.match(bad.json.detail, /unknown locale "xx-yy"/);
      const missing = await rest.call('GET', `${rest.producerPath(AGENT)}/dictionaries`, { token });
      assert.equal(missing.status, 400);
      const unknown = await rest.call<Problem>('GET', `${rest.producerPath('Nope_SoD_3.5')}/dictionaries?locale=de`, {
        token,
      });
      assert.equal(unknown.status, 404);
      assert.match(unknown.json.detail, /unknown producer/);
    });
  });

  describe('dimension data', () => {
    const dimdata = <T = unknown>(name: string, type: string, producer = 'Admin_Admin_3.5') =>
      rest.call<T>('GET', `${rest.producerPath(producer)}/dimdata/${name}/datatype/${type}`, { token });

    it('serves the nine kinds when dimDataName and dimDataType are identical', async () => {
      for (const kind of DIMDATA_KINDS) {
        const reply = await dimdata(kind, kind);
        assert.equal(reply.status, 200, kind);
        assert.deepEqual(reply.json, sim.model.dimdata(kind, 'supervisor1'));
      }
    });

    it('answers 400 when name and type differ, 404 for an unknown kind or a non-admin producer', async () => {
      const differ = await dimdata<Problem>('Agent', 'Group');
      assert.equal(differ.status, 400);
      assert.match(differ.json.detail, /identical/);
      const unknown = await dimdata<Problem>('Planet', 'Planet');
      assert.equal(unknown.status, 404);
      assert.match(unknown.json.detail, /unknown dimension data "Planet"/);
      assert.equal((await dimdata('Agent', 'Agent', AGENT)).status, 404);
    });
  });

  describe('hostile and unknown requests', () => {
    it('answers 400 to malformed percent-escapes instead of crashing', async () => {
      const reply = await rawGet(sim, '/orca-streams-rest/sources/%E0%A4%A/producers', token);
      assert.equal(reply.status, 400);
      assert.match(reply.body, /percent-encoding/);
      assert.equal((await rawGet(sim, '/orca-streams-rest/%zz', token)).status, 400);
    });

    it('answers 404 to prototype keys in paths and to unknown endpoints', async () => {
      for (const path of [
        '/orca-streams-rest/sources/__proto__/producers',
        '/orca-streams-rest/sources/constructor/producers',
        `/orca-streams-rest/sources/${encodeURIComponent(sim.model.sourceId)}/producers/__proto__/dictionaries?locale=de`,
        '/orca-streams-rest/__proto__',
        '/elsewhere/sources',
        '/',
      ]) {
        assert.equal((await rawGet(sim, path, token)).status, 404, path);
      }
    });

    it('rejects an absolute-form request target', async () => {
      assert.equal((await rawGet(sim, 'http://evil.example/orca-streams-rest/sources', token)).status, 400);
    });

    it('keeps serving after all of that', async () => {
      assert.equal((await rest.call('GET', '/sources', { token })).status, 200);
    });
  });
});
