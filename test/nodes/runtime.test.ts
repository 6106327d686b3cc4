// The package in a REAL Node-RED (the one test/helpers/node-red-selection.ts selects, as a child process): installed
// into a
// fresh user directory, its flow deployed with credentials over the admin API, simulator data
// read back from an HTTP endpoint of the flow, the admin endpoints under the runtime's adminAuth,
// and a clean stop that unsubscribes. Proves the package loads and runs outside the test helper.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { entityKey } from '../../lib/index';
import type { RunningSimulator } from '../../simulator/index';
import { type NodeRedProcess, PACKAGE, startNodeRed } from '../helpers/node-red-process';
import { PASSWORD, simulator, USER } from '../helpers/node-red-test-helper';
import { sleep, until } from '../helpers/wait';
import { tlsConfigNode, functionNode } from '../helpers/flow-nodes';

const PRODUCER = 'Agent_SoD_3.5';
const ADMIN_PASSWORD = 'admin-pass-123';
const VIEWER_PASSWORD = 'viewer-pass-456';
/** The editor's message catalogs by node set: namespace, then key paths down to the texts. */
type Messages = Record<string, Record<string, Record<string, Record<string, string>>>>;

function flow(sim: RunningSimulator): unknown[] {
  const z = 'tab1';
  const fn = (id: string, func: string, wires: string[][]) => functionNode(id, z, func, wires);
  return [
    { id: z, type: 'tab', label: 'avaya', disabled: false, info: '' },
    tlsConfigNode('tls1', sim.caPem, 'sim CA'),
    {
      id: 'srv1',
      type: 'avaya-analytics-server',
      name: 'sim',
      url: sim.restUrl,
      tenant: '0',
      tls: 'tls1',
      heartbeat: 8,
      tokenVerification: 'pem',
      tokenKey: sim.publicKeyPem,
      jwksUrl: '',
      verbose: true,
      version: 1,
      credentials: { username: USER, password: PASSWORD },
    },
    {
      id: 'sub1',
      type: 'avaya-analytics-subscribe',
      z,
      name: '',
      server: 'srv1',
      producer: PRODUCER,
      source: '',
      emitPumpup: true,
      controlOutput: true,
      outputs: 2,
      version: 2,
      x: 100,
      y: 100,
      wires: [['rec'], ['ctl']],
    },
    // Output 1 carries the data and, in order with it, the lifecycle events (msg.control): counted apart.
    fn(
      'rec',
      "if (msg.control !== undefined) { const c = global.get('aaInBand') || []; c.push(msg.control); global.set('aaInBand', c); return null; }\n" +
        "const t = global.get('aaTopics') || {}; t[msg.topic] = (t[msg.topic] || 0) + 1; global.set('aaTopics', t); return null;",
      [[]],
    ),
    fn(
      'ctl',
      "const c = global.get('aaControl') || []; c.push(msg.control); global.set('aaControl', c); return null;",
      [[]],
    ),
    {
      id: 'in1',
      type: 'http in',
      z,
      name: '',
      url: '/aa',
      method: 'get',
      upload: false,
      swaggerDoc: '',
      x: 100,
      y: 200,
      wires: [['read']],
    },
    fn(
      'read',
      "msg.payload = { topics: global.get('aaTopics') || {}, control: global.get('aaControl') || [], inBand: global.get('aaInBand') || [] }; return msg;",
      [['res1']],
    ),
    { id: 'res1', type: 'http response', z, name: '', statusCode: '', headers: {}, x: 500, y: 200, wires: [] },
  ];
}

describe('a real Node-RED with the package installed', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let red: NodeRedProcess | null = null;
  let userDir: string;
  let base: string;
  let adminToken: string;
  let viewerToken: string;
  const output = (): string => red?.output() ?? '';

  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  before(async () => {
    sim = await simulator({ rate: 0 });
    red = await startNodeRed({
      users: [
        { username: 'admin', password: ADMIN_PASSWORD, permissions: '*' },
        { username: 'viewer', password: VIEWER_PASSWORD, permissions: 'read' },
      ],
    });
    ({ base, userDir } = red);
    adminToken = await red.token('admin', ADMIN_PASSWORD, '*');
    viewerToken = await red.token('viewer', VIEWER_PASSWORD, 'read');
  });

  after(async () => {
    await red?.close();
    await sim?.close();
  });

  it('registers every node type with editor HTML, help and translations', async () => {
    const res = await fetch(`${base}/nodes`, { headers: { accept: 'application/json', ...auth(adminToken) } });
    const sets = (await res.json()) as Array<{ module: string; types: string[]; enabled: boolean; err?: string }>;
    const ours = sets.filter((s) => s.module === PACKAGE);
    const types = ours.flatMap((s) => s.types);
    for (const type of [
      'avaya-analytics-server',
      'avaya-analytics-subscribe',
      'avaya-analytics-dimdata',
      'avaya-analytics-dictionary',
      'avaya-analytics-state',
      'avaya-analytics-alert',
      'avaya-analytics-mqtt',
    ]) {
      assert.ok(types.includes(type), `${type} is not registered`);
    }
    for (const s of ours) assert.ok(s.enabled && !s.err, `${s.types.join()} failed to load: ${s.err}`);

    const html = await (await fetch(`${base}/nodes`, { headers: { accept: 'text/html', ...auth(adminToken) } })).text();
    for (const type of [
      'avaya-analytics-server',
      'avaya-analytics-subscribe',
      'avaya-analytics-dimdata',
      'avaya-analytics-dictionary',
      'avaya-analytics-state',
      'avaya-analytics-alert',
      'avaya-analytics-mqtt',
    ]) {
      assert.ok(html.includes(`RED.nodes.registerType("${type}"`), `no editor definition of ${type}`);
      assert.ok(html.includes(`data-help-name="${type}"`), `no help of ${type}`);
    }
    const de = (await (await fetch(`${base}/nodes/messages?lng=de`, { headers: auth(adminToken) })).json()) as Messages;
    const catalog = de[`${PACKAGE}/avaya-analytics-subscribe`];
    assert.equal(catalog?.['avaya-analytics-subscribe']?.status?.connecting, 'verbinde');
    const ja = (await (await fetch(`${base}/nodes/messages?lng=ja`, { headers: auth(adminToken) })).json()) as Messages;
    assert.equal(ja[`${PACKAGE}/avaya-analytics-dimdata`]?.['avaya-analytics-dimdata']?.kind?.Agent, 'エージェント');
    const icon = await fetch(`${base}/icons/${PACKAGE}/avaya-analytics-subscribe.svg`, { headers: auth(adminToken) });
    assert.equal(icon.status, 200);
  });

  it('deploys a flow with credentials over the admin API and delivers simulator data to the flow', async () => {
    const deploy = await fetch(`${base}/flows`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'Node-RED-API-Version': 'v2',
        'Node-RED-Deployment-Type': 'full',
        ...auth(adminToken),
      },
      body: JSON.stringify({ flows: flow(sim) }),
    });
    assert.equal(deploy.status, 200, await deploy.text());

    const expected = new Set(
      (sim.control.truth(USER, PRODUCER)[PRODUCER] ?? []).map((e) => entityKey(PRODUCER, e.dimension)),
    );
    // Wait for the whole snapshot, not only the marker: the rows and the marker reach the flow through
    // different function nodes. On a timeout, the last answer and the runtime's log tell what was missing.
    let last: unknown = null;
    const seen = await until(
      'the pumpup in the flow',
      async () => {
        const res = await fetch(`${base}/api/aa`);
        if (res.status !== 200) return null; // the http-in route appears once the flow runs
        const body = (await res.json()) as { topics: Record<string, number>; control: string[]; inBand: string[] };
        last = body;
        return body.control.includes('pumpupComplete') && Object.keys(body.topics).length >= expected.size
          ? body
          : null;
      },
      20_000,
    ).catch((err: Error) => {
      const simStats = JSON.stringify(sim.control.stats());
      throw new Error(
        `${err.message}\nlast answer: ${JSON.stringify(last)}\nsimulator: ${simStats}\nNode-RED log:\n${output().slice(-4000)}`,
      );
    });
    assert.deepEqual(new Set(Object.keys(seen.topics)), expected);
    assert.deepEqual(
      seen.control
        .slice(0, seen.control.indexOf('pumpupComplete') + 1)
        .filter((c) => c === 'subscribed' || c === 'pumpupComplete'),
      ['subscribed', 'pumpupComplete'],
    );
    assert.deepEqual(
      seen.inBand.slice(0, seen.control.length),
      seen.control,
      'output 1 carries the same lifecycle events as output 2',
    );
    const stats = sim.control.stats().users[USER]!;
    assert.deepEqual(stats.subscriptions, [PRODUCER]);
    assert.equal(stats.sockets, 1);

    // Credentials are stored encrypted, never in the clear.
    const creds = await readFile(join(userDir, 'flows_cred.json'), 'utf8');
    assert.ok(!creds.includes(PASSWORD));
  });

  it("serves the admin endpoints under the runtime's own permissions", async () => {
    const url = `${base}/avaya-analytics/srv1/producers`;
    assert.equal((await fetch(url)).status, 401);
    const asViewer = await fetch(url, { headers: auth(viewerToken) });
    assert.equal(asViewer.status, 200);
    const producers = (await asViewer.json()) as Array<{ producerId: string }>;
    assert.ok(producers.some((p) => p.producerId === PRODUCER));

    const body = JSON.stringify({
      id: 'srv1',
      url: sim.restUrl,
      tenant: '0',
      tls: 'tls1',
      username: USER,
      password: '__PWRD__',
    });
    const headers = { 'content-type': 'application/json' };
    // Node-RED answers a missing permission with 401 (editor-api auth needsPermission).
    assert.equal(
      (
        await fetch(`${base}/avaya-analytics/test`, {
          method: 'POST',
          headers: { ...headers, ...auth(viewerToken) },
          body,
        })
      ).status,
      401,
    );
    const test = await fetch(`${base}/avaya-analytics/test`, {
      method: 'POST',
      headers: { ...headers, ...auth(adminToken) },
      body,
    });
    assert.equal(test.status, 200);
    assert.equal(((await test.json()) as { user: string }).user, USER);
  });

  it('never writes the password or a token to its log', () => {
    assert.ok(output().includes('avaya-analytics-server'), 'the verbose server node logged nothing');
    assert.ok(!output().includes(PASSWORD), 'the password reached the log');
    assert.ok(!/eyJ[\w-]+\.eyJ[\w-]+/.test(output()), 'a token reached the log');
  });

  it('stops cleanly on SIGINT, unsubscribing and closing the socket', async () => {
    const proc = red!.child;
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    proc.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 0, output().slice(-2000));
    const stats = sim.control.stats();
    assert.deepEqual(stats.users[USER]!.subscriptions, []);
    await until('socket closed', () => sim.control.stats().openSockets === 0);
    await sleep(0);
  });
});
