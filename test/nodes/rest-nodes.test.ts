// avaya-analytics-dimdata and avaya-analytics-dictionary: records and dictionaries from the
// simulator, msg overrides, invalid overrides and server errors reaching a Catch node with the msg.
import assert from 'node:assert/strict';
import {
  ALL_NODES,
  collect,
  helper,
  type FlowNode,
  onTab,
  serverConfig,
  simulatorForSuite,
  statusHistory,
  USER,
} from '../helpers/node-red-test-helper';
import { until } from '../helpers/wait';

describe('avaya-analytics-dimdata and avaya-analytics-dictionary', function () {
  const sim = simulatorForSuite();

  async function load(node: FlowNode) {
    const cfg = serverConfig(sim());
    const flow = [
      ...cfg.nodes,
      ...onTab([
        { ...node, id: 'n', server: node.server ?? 'server', wires: [['out']] },
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]),
    ];
    await helper.load(ALL_NODES, flow, cfg.credentials);
    return { out: collect('out'), caught: collect('caught'), status: statusHistory('n'), node: helper.getNode('n') };
  }

  describe('dimdata', () => {
    it('sends the records of the configured kind, passing the rest of the msg on', async () => {
      const { out, status, node } = await load({ id: 'n', type: 'avaya-analytics-dimdata', kind: 'Agent', version: 1 });
      node.receive({ topic: 'agents', keep: 1 });
      await until('records', () => out.length === 1);
      const expected = sim().model.dimdata('Agent', USER)!;
      assert.deepEqual(out[0]!.payload, JSON.parse(JSON.stringify(expected)));
      assert.equal(out[0]!.kind, 'Agent');
      assert.equal(out[0]!.topic, 'agents');
      assert.equal(out[0]!.keep, 1);
      assert.deepEqual(status(), ['avaya-analytics-dimdata.status.requesting', 'avaya-analytics-dimdata.status.done']);
    });

    it('msg.kind overrides the configured kind', async () => {
      const { out, node } = await load({ id: 'n', type: 'avaya-analytics-dimdata', kind: 'Agent' });
      node.receive({ kind: 'RoutingService' });
      await until('records', () => out.length === 1);
      assert.equal(out[0]!.kind, 'RoutingService');
      assert.deepEqual(out[0]!.payload, JSON.parse(JSON.stringify(sim().model.dimdata('RoutingService', USER))));
    });

    it('an invalid msg.kind and a server error reach the Catch node with the msg', async () => {
      const { out, caught, node, status } = await load({ id: 'n', type: 'avaya-analytics-dimdata', kind: 'Agent' });
      node.receive({ kind: '__proto__', payload: 'first' });
      await until('caught', () => caught.length === 1);
      assert.equal((caught[0]!.error as { message: string }).message, 'Error: avaya-analytics-dimdata.errors.bad-kind');
      assert.equal(caught[0]!.payload, 'first');

      sim().control.failEndpoint('dimdata', 500, 3);
      node.receive({ payload: 'second' });
      await until('caught server error', () => caught.length === 2);
      assert.match((caught[1]!.error as { message: string }).message, /500/);
      assert.equal(caught[1]!.payload, 'second');
      assert.equal(status().at(-1), 'HTTP 500', 'the short cause of a server fault');
      assert.equal(out.length, 0);
    });
  });

  describe('dictionary', () => {
    it('sends the dictionary and a name → display-name map in the configured locale', async () => {
      const { out, node } = await load({
        id: 'n',
        type: 'avaya-analytics-dictionary',
        producer: 'Agent_SoD_3.5',
        locale: 'de',
        version: 1,
      });
      node.receive({});
      await until('dictionary', () => out.length === 1);
      const truth = sim().model.dictionary('Agent_SoD_3.5', 'de')!;
      const m = out[0]! as {
        payload: { locale: unknown };
        labels: Record<string, unknown>;
        producer: unknown;
        locale: unknown;
      };
      assert.equal(m.payload.locale, 'de');
      assert.equal(m.producer, 'Agent_SoD_3.5');
      assert.equal(m.locale, 'de');
      for (const entry of [...truth.dimensions, ...truth.measures])
        assert.equal(m.labels[entry.name], entry.displayName);
      assert.equal(
        Object.keys(m.labels).length,
        new Set([...truth.dimensions, ...truth.measures].map((e) => e.name)).size,
      );
    });

    it('msg.producer and msg.locale override the configuration', async () => {
      const { out, node } = await load({
        id: 'n',
        type: 'avaya-analytics-dictionary',
        producer: 'Agent_SoD_3.5',
        locale: 'de',
      });
      node.receive({ producer: 'VDN_SoD_3.5', locale: 'ja' });
      await until('dictionary', () => out.length === 1);
      const payload = out[0]!.payload as { producerId: unknown; locale: unknown };
      assert.equal(payload.producerId, 'VDN_SoD_3.5');
      assert.equal(payload.locale, 'ja');
    });

    it('invalid overrides and an unknown producer reach the Catch node with a clear error', async () => {
      const { caught, node } = await load({
        id: 'n',
        type: 'avaya-analytics-dictionary',
        producer: 'Agent_SoD_3.5',
        locale: 'de',
      });
      node.receive({ locale: 'xx', n: 1 });
      node.receive({ producer: '../../users/login', n: 2 });
      node.receive({ producer: 'Nope_SoD_3.5', n: 3 });
      await until('three errors', () => caught.length === 3);
      const byN = new Map(caught.map((m) => [m.n as unknown, (m.error as { message: string }).message]));
      assert.equal(byN.get(1), 'Error: avaya-analytics-dictionary.errors.bad-locale');
      assert.equal(byN.get(2), 'Error: avaya-analytics-dictionary.errors.bad-producer');
      assert.match(byN.get(3)!, /404/);
    });

    it('without a server: done(err) on input', async () => {
      const { caught, node } = await load({
        id: 'n',
        type: 'avaya-analytics-dictionary',
        server: 'missing',
        producer: 'Agent_SoD_3.5',
        locale: 'de',
      });
      node.receive({});
      await until('caught', () => caught.length === 1);
      assert.equal(
        (caught[0]!.error as { message: string }).message,
        'Error: avaya-analytics-dictionary.errors.no-server',
      );
    });
  });
});
