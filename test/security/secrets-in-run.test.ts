// No secret leaves a REAL Node-RED run. A Node-RED child process (adminAuth on, log at trace level
// with audit, the server node's verbose switch on) runs a flow whose every msg, status and error is
// written to the log by debug nodes; the supervisor's tokens expire, are revoked and are renewed; a
// second server node has a wrong password; every admin endpoint is called with and without
// permission. Then the log, every file in the user directory (flows.json, flows_cred.json, …) and
// every admin answer are grepped for the passwords and for every token the simulator issued (recorded
// by a proxy in front of its REST API), whole or in parts.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningSimulator } from '../../simulator/index';
import { type NodeRedProcess, startNodeRed } from '../helpers/node-red-process';
import { PASSWORD, simulator, USER } from '../helpers/node-red-test-helper';
import { startTokenRecorder, type TokenRecorder } from '../helpers/token-recorder';
import { consoleDebugNode, loggedSubscribeNode, tlsConfigNode } from '../helpers/flow-nodes';
import { adminCaller, findLeaks, runArtifacts, stopForLog } from '../helpers/secret-scan';
import { sleep, until } from '../helpers/wait';

const PRODUCER = 'Agent_SoD_3.5';
const WRONG_PASSWORD = 'Wr0ng-Secret-987';
const ADMIN_PASSWORD = 'admin-Secret-123';
const VIEWER_PASSWORD = 'viewer-Secret-456';
const TOKEN_LIFETIME_S = 4;

function flow(sim: RunningSimulator, restUrl: string): unknown[] {
  const z = 'tab1';
  const pos = { x: 100, y: 100 };
  const debug = (id: string) => consoleDebugNode(id, z);
  const server = (id: string, password: string, verbose: boolean) => ({
    id,
    type: 'avaya-analytics-server',
    name: `server ${id}`, // not the id itself: a property equal to a config node's id reads as a reference
    url: restUrl,
    tenant: '0',
    tls: 'tls1',
    heartbeat: 1,
    tokenVerification: 'jwks',
    tokenKey: '',
    jwksUrl: `${restUrl}/.well-known/jwks.json`,
    verbose,
    version: 1,
    credentials: { username: USER, password },
  });
  const subscribe = (id: string, srv: string) => loggedSubscribeNode(id, z, srv, PRODUCER);
  return [
    { id: z, type: 'tab', label: 'secrets', disabled: false, info: '' },
    tlsConfigNode('tls1', sim.caPem),
    server('srv1', PASSWORD, true),
    server('srv2', WRONG_PASSWORD, false),
    subscribe('sub1', 'srv1'),
    subscribe('sub2', 'srv2'),
    { id: 'status1', type: 'status', z, name: '', scope: null, ...pos, wires: [['dbgStatus']] },
    { id: 'catch1', type: 'catch', z, name: '', scope: null, uncaught: false, ...pos, wires: [['dbgStatus']] },
    debug('dbgData'),
    debug('dbgControl'),
    debug('dbgStatus'),
  ];
}

describe('security: no secret in anything a real Node-RED run produced', function () {
  this.timeout(120_000);
  let sim: RunningSimulator | null = null;
  let recorder: TokenRecorder | null = null;
  let red: NodeRedProcess | null = null;
  let certDir = '';

  after(async () => {
    await red?.close();
    await recorder?.close();
    await sim?.close();
    if (certDir) await rm(certDir, { recursive: true, force: true });
  });

  it('keeps passwords and tokens out of the log, the user directory, statuses, msgs and admin answers', async () => {
    certDir = await mkdtemp(join(tmpdir(), 'aa-secrets-ca-'));
    sim = await simulator({ rate: 5, certDir, tokenLifetimeSec: TOKEN_LIFETIME_S, heartbeatIntervalMs: 1000 });
    recorder = await startTokenRecorder(sim.restUrl, certDir, sim.caPem!);
    red = await startNodeRed({
      users: [
        { username: 'admin', password: ADMIN_PASSWORD, permissions: '*' },
        { username: 'viewer', password: VIEWER_PASSWORD, permissions: 'read' },
      ],
      settings: { logging: { console: { level: 'trace', metrics: false, audit: true } } },
    });
    const { base } = red;
    const adminToken = await red.token('admin', ADMIN_PASSWORD, '*');
    const viewerToken = await red.token('viewer', VIEWER_PASSWORD, 'read');
    const admin = adminCaller(base);
    const call = admin.call;

    // Deploy with credentials over the admin API.
    const deployed = await call(
      '/flows',
      {
        method: 'POST',
        headers: { 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'full' },
        body: JSON.stringify({ flows: flow(sim, recorder.restUrl) }),
      },
      adminToken,
    );
    assert.equal(deployed.status, 200, deployed.text);
    const s = sim;
    await until(
      'the stream',
      () => (s.control.stats().users[USER]?.streams ?? 0) >= 1 && red!.output().includes('pumpupComplete'),
      30_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; Node-RED said:\n${red!.output().slice(-3000)}`);
    });

    // Token expiry: once the held token has run out, a dropped socket must make the client log in again.
    await sleep(TOKEN_LIFETIME_S * 1000 + 300);
    const afterExpiry = recorder.tokens.length;
    s.control.dropSockets(USER);
    await until('a login after expiry', () => recorder!.tokens.length > afterExpiry, 30_000);
    // Revocation: the socket gets an error frame and closes; the client logs in again.
    const afterRevoke = recorder.tokens.length;
    s.control.revokeTokens();
    await until(
      'a login after revocation',
      () => recorder!.tokens.length > afterRevoke && (s.control.stats().users[USER]?.streams ?? 0) >= 1,
      30_000,
    );

    // The admin endpoints: 401 without a token, 401 for POSTs with read-only permission, never a secret.
    const typed = (password: string) =>
      JSON.stringify({ id: 'srv1', url: recorder!.restUrl, tenant: '0', tls: 'tls1', username: USER, password });
    for (const path of [
      '/avaya-analytics/srv1/producers',
      '/avaya-analytics/srv1/sources',
      '/avaya-analytics/srv1/locales',
      '/avaya-analytics/srv1/dimdata-kinds',
    ]) {
      assert.equal((await call(path)).status, 401, `${path} without a token`);
      assert.equal((await call(path, {}, viewerToken)).status, 200, `${path} as viewer`);
    }
    assert.equal(
      (await call('/avaya-analytics/srv2/producers', {}, adminToken)).status,
      502,
      'the wrong password is an upstream failure',
    );
    for (const path of ['/avaya-analytics/test', '/avaya-analytics/sources', '/avaya-analytics/producers']) {
      assert.equal(
        (await call(path, { method: 'POST', body: typed('__PWRD__') })).status,
        401,
        `${path} without a token`,
      );
      assert.equal(
        (await call(path, { method: 'POST', body: typed('__PWRD__') }, viewerToken)).status,
        401,
        `${path} as viewer`,
      );
      assert.equal(
        (await call(path, { method: 'POST', body: typed('__PWRD__') }, adminToken)).status,
        200,
        `${path} with the stored password`,
      );
      assert.equal(
        (await call(path, { method: 'POST', body: typed(PASSWORD) }, adminToken)).status,
        200,
        `${path} with a typed password`,
      );
      assert.equal(
        (await call(path, { method: 'POST', body: typed(WRONG_PASSWORD) }, adminToken)).status,
        502,
        `${path} with a wrong password`,
      );
    }
    assert.equal((await call('/flows', {}, viewerToken)).status, 200);
    assert.equal((await call('/credentials/avaya-analytics-server/srv1', {}, adminToken)).status, 200);
    assert.equal((await call('/flows')).status, 401);

    // Stop cleanly so every line is written.
    const log = await stopForLog(red);
    await writeFile(join(red.userDir, 'node-red.log'), log);

    // The run really produced what is grepped: trace lines of the client, msgs, statuses, the refusal.
    assert.ok(recorder.tokens.length >= 3, `only ${recorder.tokens.length} tokens issued`);
    assert.match(log, /\[trace\]/);
    assert.match(log, /avaya-analytics-server:srv1/);
    assert.match(log, /pumpupComplete/);
    assert.match(log, /disconnected/);
    assert.match(log, /auth-failed|login refused|401/);

    const creds = JSON.parse(await readFile(join(red.userDir, 'flows_cred.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(creds), ['$'], 'flows_cred.json is not encrypted');

    const artifacts = await runArtifacts(log, red.userDir, admin.answers);
    const secrets: Array<[string, string]> = [
      ['the password', PASSWORD],
      ['the wrong password', WRONG_PASSWORD],
      ['an admin password', ADMIN_PASSWORD],
      ['a viewer password', VIEWER_PASSWORD],
    ];
    for (const [i, token] of recorder.tokens.entries()) {
      secrets.push([`token ${i}`, token]);
      // A truncated token still leaks its payload or signature.
      const [, payload, signature] = token.split('.');
      secrets.push([`payload of token ${i}`, payload!], [`signature of token ${i}`, signature!]);
    }
    const jwt = (text: string, where: string) =>
      /eyJ[\w-]{10,}\.eyJ[\w-]{10,}/.test(text) ? [`a JWT in ${where}`] : [];
    assert.deepEqual(findLeaks(artifacts, secrets, jwt), []);
    console.log(
      `      secrets: ${artifacts.length} artifacts (${Math.round(log.length / 1024)} KiB of trace log) grepped for ${secrets.length} secrets from ${recorder.tokens.length} tokens: 0 found`,
    );
  });
});
