// Issue 14 through a real Node-RED runtime (node-red-node-test-helper runs the actual flow engine):
// a fan-out of two wires makes the runtime deep-clone the msg (RED.util.cloneMessage, lodash), so
// a "__proto__" key that reached the flow would become the copy's prototype. Then every fault of the
// hostile server must show as the short cause on the subscribe node's status and be logged at warn.
import assert from 'node:assert/strict';
import type { ClientStats } from '../../lib/api';
import type { DataMessage } from '../../lib/flow-messages';
import type { HubStats } from '../../nodes/avaya-analytics-server/connection-hub';
import { startRawServer, type RawServer } from '../helpers/raw-server';
import {
  ALL_NODES,
  collect,
  helper,
  serverConfig,
  statusHistory,
  type FlowNode,
} from '../helpers/node-red-test-helper';
import { SCENARIOS, driveSocket } from '../helpers/hostile-scenarios';
import { until } from '../helpers/wait';

const pumpupComplete = '{"dimension":{},"realtimeData":{},"pumpup":true,"pumpupComplete":true,"heartbeat":false}';

function flow(
  server: RawServer,
  changes: { server?: Record<string, unknown>; tls?: Record<string, unknown>; cadata?: string } = {},
) {
  const cfg = serverConfig({ restUrl: server.restUrl, caPem: server.caPem } as never, {
    faultRetryMax: 3600,
    ...changes.server,
  });
  Object.assign(cfg.nodes[0] as FlowNode, changes.tls);
  if (changes.cadata !== undefined) cfg.credentials.tls = { cadata: changes.cadata };
  const nodes: FlowNode[] = [
    ...cfg.nodes,
    {
      id: 'sub',
      type: 'avaya-analytics-subscribe',
      version: 2,
      server: 'server',
      producer: 'Agent_SoD_3.5',
      source: '',
      emitPumpup: true,
      controlOutput: true,
      outputs: 2,
      wires: [['outA', 'outB'], ['ctl']],
    },
    { id: 'outA', type: 'helper' },
    { id: 'outB', type: 'helper' },
    { id: 'ctl', type: 'helper' },
  ];
  return { nodes, credentials: cfg.credentials };
}

/** The texts logged at warn (or worse) so far. */
function warnings(): string[] {
  const log = helper.log();
  return log.args
    .map(([e]) => e)
    .filter((e) => e.level <= log.WARN)
    .map((e) => String(e.msg));
}

describe('security: a hostile server through a real Node-RED', function () {
  this.timeout(30_000);
  let server: RawServer;

  beforeEach(async () => {
    server = await startRawServer();
  });
  afterEach(async () => {
    await helper.unload();
    await server.close();
  });

  it('keeps ({}).polluted and every fan-out copy clean with __proto__/constructor keys in dimension and realtimeData', async () => {
    const f = flow(server);
    const socket = server.nextSocket();
    await helper.load(ALL_NODES, f.nodes, f.credentials);
    const a = collect('outA');
    const b = collect('outB');
    const ws = await socket;
    await server.nextFrame((t) => t.includes('subscriptionRedirect'));
    let deep = '1';
    for (let i = 0; i < 10_000; i++) deep = `[${deep}]`;
    ws.send(
      `{"dimension":{"agentId":"a1","__proto__":"p","constructor":"c"},"realtimeData":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},"deep":${deep},"huge":"${'h'.repeat(10_000)}","agentState":"READY"}}`,
    );
    ws.send(pumpupComplete);
    // Output 1 carries the lifecycle events too (msg.control): the row is the one data msg on each wire.
    const rows = (out: typeof a) => out.filter((m) => m.control === undefined) as DataMessage[];
    await until(
      'both copies',
      () => rows(a).length === 1 && rows(b).length === 1 && a.some((m) => m.control === 'pumpupComplete'),
    );
    for (const msg of [rows(a)[0]!, rows(b)[0]!]) {
      for (const part of [msg.payload, msg.dimension] as Array<Record<string, unknown>>) {
        const proto: unknown = Object.getPrototypeOf(part);
        assert.ok(proto === null || proto === Object.prototype, 'a copy got a foreign prototype');
        assert.equal(part.polluted, undefined);
        assert.ok(
          !Object.getOwnPropertyNames(part).some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype'),
        );
      }
      assert.deepEqual(
        Object.keys(msg.payload),
        ['agentState'],
        'nested values and the huge string never reach the flow',
      );
      assert.deepEqual(Object.keys(msg.dimension), ['agentId']);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // Node-RED's own clone of the delivered msg, once more.
    const RED = helper._RED;
    const clone = RED.util.cloneMessage(rows(a)[0]!);
    assert.equal(clone.payload.polluted, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(!warnings().some((w) => /Error delivering/.test(w)));
  });

  it('answers msg.action "stats" with the counters and the last cause, and "retry" retries at once', async () => {
    let refuse = true;
    server.override = (req, res) => {
      if (!refuse || req.method !== 'POST' || !req.path.endsWith('/subscriptions')) return false;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"unknown producer"}');
      return true;
    };
    const f = flow(server);
    await helper.load(ALL_NODES, f.nodes, f.credentials);
    const shown = statusHistory('sub');
    const ctl = collect('ctl');
    await until('the refusal on the status', () => shown().includes('avaya-analytics-subscribe.status.refused-404'));
    helper.getNode('sub').receive({ action: 'stats' });
    await until('the stats', () => ctl.some((m) => m.action === 'stats'));
    // msg.payload is the connection hub's stats: its state and causes, and the client's counters once it has one.
    const stats = ctl.find((m) => m.action === 'stats')!.payload as HubStats & Partial<ClientStats>;
    assert.equal(typeof stats.malformedFrames, 'number');
    assert.equal(stats.lastCause!.short, 'HTTP 404');
    refuse = false;
    const socket = server.nextSocket();
    helper.getNode('sub').receive({ action: 'retry' }); // the fault backoff is an hour: only this retries
    (await socket).send(pumpupComplete);
    await until('ready', () => shown().includes('avaya-analytics-subscribe.status.ready'));
  });

  describe('every cause shows on the status and is logged at warn', () => {
    for (const s of SCENARIOS.filter((x) => x.flow)) {
      const status = s.status ?? s.short;
      it(`${s.name} → "${status}"`, async () => {
        s.arrange?.(server);
        driveSocket(server, s);
        const f = flow(server, s.flow);
        await helper.load(ALL_NODES, f.nodes, f.credentials);
        const shown = statusHistory('sub');
        await until(`status "${status}"`, () => shown().includes(status), 20_000);
        await until('the warn line', () => warnings().some((w) => s.detail.test(w)));
        const logged = JSON.stringify(helper.log().args);
        assert.ok(!logged.includes('password1'), 'the password reached the log');
        assert.ok(!/eyJ[\w-]+\.eyJ/.test(logged), 'a token reached the log');
      });
    }
  });
});
