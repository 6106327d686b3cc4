// The proxy in a REAL Node-RED run (log at trace level, the server nodes' verbose switch on), with
// Debian's tinyproxy (Basic authentication) between Node-RED and the simulator:
//  - a server node with a core `http proxy` config node holding the right credentials streams data,
//    and the proxy's own log shows the CONNECTs;
//  - one whose proxy node has a wrong password shows "proxy: 407" on its subscribe node;
//  - the dialog's "Test connection" (POST /avaya-analytics/test) goes through the chosen proxy;
//  - neither proxy password, nor the Basic header values made of them, appear in the log, the user
//    directory or any admin answer.
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../simulator/index';
import { type NodeRedProcess, startNodeRed } from '../helpers/node-red-process';
import { startTinyproxy, tinyproxyAvailable, type Tinyproxy } from '../helpers/tinyproxy';
import { PASSWORD, simulator, USER } from '../helpers/node-red-test-helper';
import { consoleDebugNode, loggedSubscribeNode, tlsConfigNode } from '../helpers/flow-nodes';
import { adminCaller, findLeaks, runArtifacts, stopForLog } from '../helpers/secret-scan';
import { until } from '../helpers/wait';

const PRODUCER = 'Agent_SoD_3.5';
const PROXY_USER = 'px-user';
const PROXY_PASSWORD = 'Px-Secret-4711-abc';
const WRONG_PROXY_PASSWORD = 'Px-Wrong-0815-xyz';
const ADMIN_PASSWORD = 'admin-Secret-123';

function flow(sim: RunningSimulator, proxyUrl: string): unknown[] {
  const z = 'tab1';
  const pos = { x: 100, y: 100 };
  const debug = (id: string) => consoleDebugNode(id, z);
  const proxy = (id: string, password: string) => ({
    id,
    type: 'http proxy',
    name: `proxy ${id}`,
    url: proxyUrl,
    noproxy: [],
    credentials: { username: PROXY_USER, password },
  });
  const server = (id: string, proxyId: string) => ({
    id,
    type: 'avaya-analytics-server',
    name: `server ${id}`,
    url: sim.restUrl,
    tenant: '0',
    tls: 'tls1',
    proxy: proxyId,
    heartbeat: 8,
    tokenVerification: 'none',
    tokenKey: '',
    jwksUrl: '',
    verbose: true,
    version: 3,
    credentials: { username: USER, password: PASSWORD },
  });
  const subscribe = (id: string, srv: string) => loggedSubscribeNode(id, z, srv, PRODUCER);
  return [
    { id: z, type: 'tab', label: 'proxy', disabled: false, info: '' },
    tlsConfigNode('tls1', sim.caPem),
    proxy('pxGood', PROXY_PASSWORD),
    proxy('pxBad', WRONG_PROXY_PASSWORD),
    server('srvGood', 'pxGood'),
    server('srvBad', 'pxBad'),
    subscribe('subGood', 'srvGood'),
    subscribe('subBad', 'srvBad'),
    { id: 'status1', type: 'status', z, name: '', scope: null, ...pos, wires: [['dbgStatus']] },
    debug('dbgData'),
    debug('dbgControl'),
    debug('dbgStatus'),
  ];
}

describe('proxy: a real Node-RED run through tinyproxy', function () {
  this.timeout(120_000);
  let sim: RunningSimulator | null = null;
  let proxy: Tinyproxy | null = null;
  let red: NodeRedProcess | null = null;

  after(async () => {
    await red?.close();
    await proxy?.stop();
    await sim?.close();
  });

  it('streams through the proxy, shows "proxy: 407" for wrong proxy credentials, and never logs the proxy password', async () => {
    assert.ok(tinyproxyAvailable(), 'tinyproxy is not installed (apt-get install -y tinyproxy, as .ci/run does)');
    sim = await simulator({ rate: 5, heartbeatIntervalMs: 1000 });
    const simPort = Number(new URL(sim.restUrl).port);
    proxy = await startTinyproxy({ connectPorts: [simPort], auth: { user: PROXY_USER, password: PROXY_PASSWORD } });
    red = await startNodeRed({
      users: [{ username: 'admin', password: ADMIN_PASSWORD, permissions: '*' }],
      settings: { logging: { console: { level: 'trace', metrics: false, audit: true } } },
    });
    const { base } = red;
    const adminToken = await red.token('admin', ADMIN_PASSWORD, '*');
    const admin = adminCaller(base);
    const call = (path: string, init: RequestInit = {}) => admin.call(path, init, adminToken);

    const deployed = await call('/flows', {
      method: 'POST',
      headers: { 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify({ flows: flow(sim, proxy.url) }),
    });
    assert.equal(deployed.status, 200, deployed.text);
    const s = sim;
    const r = red;
    await until(
      'the stream through the proxy and "proxy: 407" on the other',
      () =>
        (s.control.stats().users[USER]?.streams ?? 0) >= 1 &&
        r.output().includes('pumpupComplete') &&
        r.output().includes('proxy: 407'),
      30_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; Node-RED said:\n${r.output().slice(-3000)}`);
    });
    const target = `CONNECT 127.0.0.1:${simPort} HTTP/1.1`;
    const afterDeploy = await proxy.connects();
    // srvGood: REST and the WebSocket; srvBad: at least its refused login.
    assert.ok(afterDeploy.filter((c) => c === target).length >= 3, JSON.stringify(afterDeploy));

    // "Test connection" with the dialog's values goes through the chosen proxy (and fails with the wrong one).
    // The stored password goes only with the deployed proxy; another proxy needs it typed.
    const typed = (proxyId: string, password = '__PWRD__') =>
      JSON.stringify({
        id: 'srvGood',
        url: sim!.restUrl,
        tenant: '0',
        tls: 'tls1',
        proxy: proxyId,
        username: USER,
        password,
      });
    const before = (await proxy.connects()).length;
    const ok = await call('/avaya-analytics/test', { method: 'POST', body: typed('pxGood') });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await proxy.connects()).length, before + 1, 'the button tunnelled through the proxy');
    const elsewhere = await call('/avaya-analytics/test', { method: 'POST', body: typed('pxBad') });
    assert.equal(elsewhere.status, 400, elsewhere.text);
    const refused = await call('/avaya-analytics/test', { method: 'POST', body: typed('pxBad', PASSWORD) });
    assert.equal(refused.status, 502, refused.text);
    assert.match(refused.text, /proxy .* refused the tunnel/);

    const log = await stopForLog(red);
    assert.match(log, /\[trace\]/);
    assert.match(log, /avaya-analytics-server:srvGood/);

    const basic = (password: string) => Buffer.from(`${PROXY_USER}:${password}`).toString('base64');
    const secrets: Array<[string, string]> = [
      ['the proxy password', PROXY_PASSWORD],
      ['the wrong proxy password', WRONG_PROXY_PASSWORD],
      ['the Basic value of the proxy password', basic(PROXY_PASSWORD)],
      ['the Basic value of the wrong proxy password', basic(WRONG_PROXY_PASSWORD)],
      ['the supervisor password', PASSWORD],
    ];
    const artifacts = await runArtifacts(log, red.userDir, admin.answers);
    assert.deepEqual(findLeaks(artifacts, secrets), []);
  });
});
