// A subscribe node whose feed cannot run, wired the obvious way (output 1 into an alert node with a feed
// rule): the server refuses its subscription while another producer's stream on the same socket is live, or
// its server config node is gone. Downstream nodes must learn that this feed is down ("failed"), must not be
// told it is live by the other producer's "ready", and the status must name the likely cause.
import assert from 'node:assert/strict';
import { refusalText } from '../../nodes/avaya-analytics-subscribe/subscribe-status';
import * as nr from '../helpers/node-red-test-helper';
import type { FlowNode } from '../helpers/node-red-test-helper';
import { sleep, until } from '../helpers/wait';

const GOOD = 'Agent_SoD_3.5';
const UNKNOWN = 'Nope_SoD_3.5';

interface Msg {
  topic: string;
  control?: string;
  alert?: string;
  payload: unknown;
  details?: { value?: unknown };
}

function subscribe(id: string, producer: string, wires: string[], server = 'server'): FlowNode {
  return {
    id,
    type: 'avaya-analytics-subscribe',
    server,
    producer,
    source: '',
    emitPumpup: true,
    controlOutput: false,
    outputs: 1,
    lifecycle: 'inband',
    version: 3,
    wires: [wires],
  };
}

const alert: FlowNode = {
  id: 'alert',
  type: 'avaya-analytics-alert',
  server: '',
  producer: '',
  rules: [{ id: 'feed', kind: 'feed', duration: '0' }],
  lang: 'en-US',
  store: '',
  version: 1,
  wires: [['alerts']],
};

describe('subscribe: a feed that cannot run reaches the alert node as down', function () {
  const sim = nr.simulatorForSuite();

  it('a refused subscription beside a live one: "failed", no "ready" on its wire, a feed alert, a named cause', async () => {
    const cfg = nr.serverConfig(sim());
    await nr.helper.load(
      nr.ALL_NODES,
      [
        ...cfg.nodes,
        ...nr.onTab([
          subscribe('good', GOOD, ['goodOut']),
          subscribe('bad', UNKNOWN, ['badOut', 'alert']),
          { id: 'goodOut', type: 'helper' },
          { id: 'badOut', type: 'helper' },
          alert,
          { id: 'alerts', type: 'helper' },
        ]),
      ],
      cfg.credentials,
    );
    const good = nr.collect('goodOut') as Msg[];
    const bad = nr.collect('badOut') as Msg[];
    const alerts = nr.collect('alerts') as Msg[];
    const status = nr.statusHistory('bad');

    await until('the live producer ready', () => good.some((m) => m.control === 'ready'));
    await until('the refusal on the wire', () => bad.some((m) => m.control === 'failed'));
    const raise = await until('the feed alert', () => alerts.find((m) => m.topic === `feed/${UNKNOWN}`));
    assert.equal(raise.alert, 'raise');
    assert.equal(raise.details?.value, 'failed');
    await until('the cause in the status', () => status().includes('avaya-analytics-subscribe.status.refused-404'));

    // A reconnect of the shared socket: the live producer is ready again, the refused one is still not.
    sim().control.dropSockets('supervisor1');
    await until('the live producer ready again', () => good.filter((m) => m.control === 'ready').length >= 2, 20_000);
    await sleep(300);
    const controls = bad.map((m) => m.control);
    assert.ok(!controls.includes('ready') && !controls.includes('connected'), controls.join());
    assert.ok(!alerts.some((m) => m.alert === 'clear'), 'the feed alert was cleared by another producer');
  });

  it('a subscribe node whose server config node is gone sends "failed" to the nodes after it', async () => {
    await nr.helper.load(
      nr.ALL_NODES,
      nr.onTab([
        subscribe('bad', GOOD, ['badOut', 'alert'], 'gone'),
        { id: 'badOut', type: 'helper' },
        alert,
        { id: 'alerts', type: 'helper' },
      ]),
    );
    const bad = nr.collect('badOut') as Msg[];
    const alerts = nr.collect('alerts') as Msg[];
    const failed = await until('"failed" on output 1', () => bad.find((m) => m.control === 'failed'));
    assert.equal(failed.topic, GOOD);
    assert.match(String((failed.payload as { reason?: unknown }).reason), /no-server/);
    await until('the feed alert', () => alerts.find((m) => m.topic === `feed/${GOOD}` && m.alert === 'raise'));
  });

  it('a refused "subscribe", then "reconfigure" and "subscribe" in the same tick: no stale "failed" once the feed runs', async () => {
    // Deployed without a password (a flow supplies it at run time): the server node refuses every attempt to
    // subscribe until a "reconfigure" brings one. A refusal's "failed" goes out a tick late.
    const cfg = nr.serverConfig(sim(), {}, { password: '' });
    await nr.helper.load(
      nr.ALL_NODES,
      [
        ...cfg.nodes,
        ...nr.onTab([
          subscribe('sub', GOOD, ['out']),
          { id: 'out', type: 'helper' },
          { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
          { id: 'caught', type: 'helper' },
        ]),
      ],
      cfg.credentials,
    );
    const out = nr.collect('out') as Msg[];
    const caught = nr.collect('caught') as Array<{ error: { message: string } }>;
    await until('the refusal at start on the wire', () => out.some((m) => m.control === 'failed'));
    out.length = 0;

    // Three msgs handled in one turn, as a function node returning them together delivers them: the first
    // attempt is refused (its "failed" is pending), the last one starts the stream.
    const sub = nr.helper.getNode('sub');
    sub.receive({ action: 'subscribe' });
    sub.receive({ action: 'reconfigure', payload: { password: nr.PASSWORD } });
    sub.receive({ action: 'subscribe' });

    const refused = await until('the first "subscribe" refused to the Catch node', () => caught[0]);
    assert.match(refused.error.message, /missing-password/);
    await until('the feed running', () => out.some((m) => m.control === 'pumpupComplete'), 20_000);
    const controls = out.filter((m) => m.control !== undefined).map((m) => m.control);
    assert.ok(!controls.includes('failed'), `a "failed" after the attempt that started the feed: ${controls.join()}`);
  });

  it('names the likely cause of a 403 and a 404 refusal, and no other', () => {
    const _ = (key: string): string => key;
    const http = (value: number) => ({ kind: 'http' as const, short: `HTTP ${value}`, detail: '', value });
    assert.equal(refusalText(_, http(403)), 'avaya-analytics-subscribe.status.refused-403');
    assert.equal(refusalText(_, http(404)), 'avaya-analytics-subscribe.status.refused-404');
    assert.equal(refusalText(_, http(400)), null);
    assert.equal(refusalText(_, { kind: 'timeout', short: 'timeout: connect', detail: '', value: 403 }), null);
    assert.equal(refusalText(_, null), null);
  });
});
