// Node-RED 5's tls-config offers a PFX / PKCS#12 certificate type. A PFX holding a client certificate
// and the simulator's CA (made with openssl at test time) serves REST and the WebSocket: the subscribe
// node streams with nothing but the PFX to trust the server; a PFX with a foreign CA is refused.
// Node-RED 4's tls-config has no PFX type: the end-to-end test is skipped there (CI's Node 22 run
// has Node-RED 5). Every option addTLSOptions() gives reaches the client (both majors).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClientOptions } from '../../nodes/avaya-analytics-server/client-options';
import type { NodeRedApi } from '../../nodes/shared/node-red';
import type { RunningSimulator } from '../../simulator/index';
import { generateCertificates } from '../../simulator/tls/certificates';
import { NODE_RED_VERSION } from '../helpers/node-red-selection';
import {
  ALL_NODES,
  collect,
  helper,
  onTab,
  serverConfig,
  simulator,
  statusHistory,
  unload,
  USER,
} from '../helpers/node-red-test-helper';
import { until } from '../helpers/wait';

const PRODUCER = 'Agent_SoD_3.5';
const PFX_PASSPHRASE = 'pfx-pass-123';
const NODE_RED_MAJOR = Number(NODE_RED_VERSION.split('.')[0]);

/** A PKCS#12 file with a (throw-away) client certificate and key, and `caPem` as its CA certificate. */
async function makePfx(dir: string, name: string, caPem: string): Promise<string> {
  const client = generateCertificates();
  const cert = join(dir, `${name}-cert.pem`);
  const key = join(dir, `${name}-key.pem`);
  const ca = join(dir, `${name}-ca.pem`);
  const out = join(dir, `${name}.p12`);
  await writeFile(cert, client.certPem);
  await writeFile(key, client.keyPem);
  await writeFile(ca, caPem);
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-in',
    cert,
    '-inkey',
    key,
    '-certfile',
    ca,
    '-passout',
    `pass:${PFX_PASSPHRASE}`,
    '-out',
    out,
  ]);
  return out;
}

describe('tls-config: PFX and every addTLSOptions() option', function () {
  this.timeout(30_000);

  it('maps ca, cert, key, pfx, passphrase, servername, ALPN and the verify switch', () => {
    const given = {
      ca: 'CA',
      cert: 'CERT',
      key: 'KEY',
      pfx: Buffer.from('PFX'),
      passphrase: 'PW',
      servername: 'sni.example',
      ALPNProtocols: ['http/1.1'],
      rejectUnauthorized: false,
    };
    const tlsNode = { valid: true, addTLSOptions: (o: object) => Object.assign(o, given) };
    const RED = {
      nodes: { getNode: (id: string) => (id === 'tls' ? tlsNode : null) },
      util: { getSetting: () => undefined },
    } as unknown as NodeRedApi;
    const options = buildClientOptions(RED, null, {
      url: 'https://h/orca-streams-rest',
      username: 'u',
      password: 'p',
      tls: 'tls',
    });
    assert.deepEqual(options.tls, given);
    assert.equal(options.proxy, 'env', 'no proxy node chosen: the environment decides');
  });

  describe('end to end with a PFX tls-config (Node-RED 5)', () => {
    let sim: RunningSimulator;
    let dir = '';

    before(async function () {
      if (NODE_RED_MAJOR < 5) {
        this.skip(); // Node-RED 4's tls-config has no PFX certificate type (certType "pfx" is new in Node-RED 5).
      }
      dir = await mkdtemp(join(tmpdir(), 'aa-pfx-'));
      sim = await simulator({ heartbeatIntervalMs: 200 });
    });
    after(async () => {
      await sim?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });
    afterEach(unload);

    async function start(p12: string) {
      const cfg = serverConfig(sim, { version: 3 });
      cfg.nodes[0] = {
        id: 'tls',
        type: 'tls-config',
        name: '',
        certType: 'pfx',
        p12,
        cert: '',
        key: '',
        ca: '',
        verifyservercert: true,
      };
      const credentials = { ...cfg.credentials, tls: { passphrase: PFX_PASSPHRASE } };
      const flow = [
        ...cfg.nodes,
        ...onTab([
          {
            id: 'sub',
            type: 'avaya-analytics-subscribe',
            server: 'server',
            producer: PRODUCER,
            source: '',
            emitPumpup: true,
            controlOutput: true,
            outputs: 2,
            version: 2,
            wires: [['out'], ['ctl']],
          },
          { id: 'out', type: 'helper' },
          { id: 'ctl', type: 'helper' },
        ]),
      ];
      await helper.load(ALL_NODES, flow, credentials);
      const tlsNode = helper.getNode<{ addTLSOptions(o: object): Record<string, unknown> }>('tls');
      const given = tlsNode.addTLSOptions({});
      assert.ok(Buffer.isBuffer(given.pfx) && !('ca' in given), 'the tls-config gives a PFX and no PEM CA');
      return { out: collect('out'), ctl: collect('ctl'), status: statusHistory('sub') };
    }

    it('a PFX with the CA serves REST (login, POST) and the WebSocket (data)', async () => {
      const { out, ctl } = await start(await makePfx(dir, 'good', sim.caPem!));
      await until('pumpupComplete over the WebSocket', () => ctl.some((m) => m.control === 'pumpupComplete'));
      assert.ok(
        out.some((m) => m.topic && m.payload),
        'data rows arrived',
      );
      assert.ok((sim.control.stats().users[USER]?.streams ?? 0) >= 1);
    });

    it('a PFX with a foreign CA is refused: "TLS: untrusted CA"', async () => {
      const { status } = await start(await makePfx(dir, 'foreign', generateCertificates().caPem));
      await until('the TLS refusal', () => status().some((s) => /tls-untrusted|untrusted/.test(s))).catch(
        (err: Error) => {
          throw new Error(`${err.message}: ${JSON.stringify(status())}`);
        },
      );
    });
  });
});
