// Flows saved by earlier releases keep working: the shared upgrade helper (nodes/shared/upgrade.ts),
// the runtime defaults kept equal to the editor's, and two saved flows — one as the first release's
// editor writes it (version 1), one older and hand-trimmed (no version, only the required
// properties) — deployed against the simulator, where every node must still do its job.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entityKey } from '../../lib/index';
import { CONFIG_SCHEMAS, type NodeType } from '../../nodes/shared/schemas';
import { configVersion, type ConfigSchema, FIRST_VERSION, upgradeConfig } from '../../nodes/shared/upgrade';
import { stateNode } from '../helpers/state-node-flow';
import {
  ALL_NODES,
  collect,
  type FlowNode,
  helper,
  type NodeMessage,
  PASSWORD,
  simulatorForSuite,
  statusHistory,
  USER,
} from '../helpers/node-red-test-helper';
import { editorDefinitions } from '../helpers/editor-definitions';
import { REPO } from '../helpers/node-red-process';
import { until } from '../helpers/wait';

const TYPES = Object.keys(CONFIG_SCHEMAS) as NodeType[];
const PRODUCER = 'Agent_SoD_3.5';

describe('upgrading the configuration of flows saved by earlier releases', function () {
  describe('upgradeConfig', () => {
    const schema: ConfigSchema = {
      version: 3,
      defaults: { name: '', mode: 'fast', tags: ['a'], limit: 10 },
      steps: [
        // Listed out of order on purpose: they must run 2 then 3.
        { to: 3, upgrade: (c) => void (c.limit = Number(c.max) * 2) },
        { to: 2, upgrade: (c) => void (c.max = c.oldMax ?? 5) },
      ],
    };
    const base = { id: 'n1', type: 't' };
    type Loose = Record<string, unknown> & { id: string; type: string };

    it('treats a configuration without version (or with a broken one) as the first release', () => {
      assert.equal(configVersion({}), FIRST_VERSION);
      assert.equal(configVersion({ version: 'x' }), FIRST_VERSION);
      assert.equal(configVersion({ version: 0 }), FIRST_VERSION);
      assert.equal(configVersion({ version: 2.5 }), FIRST_VERSION);
      assert.equal(configVersion({ version: '2' }), 2);
    });

    it('runs the later steps in order, then fills every missing property with its default', () => {
      const stored = { ...base, oldMax: 7 };
      const up = upgradeConfig(stored, schema);
      assert.deepEqual(
        { ...up },
        { ...base, oldMax: 7, max: 7, limit: 14, name: '', mode: 'fast', tags: ['a'], version: 3 },
      );
      assert.deepEqual(stored, { ...base, oldMax: 7 }, 'the stored configuration was changed');
    });

    it('skips the steps a configuration already went through and keeps its values', () => {
      const up = upgradeConfig<Loose>({ ...base, version: 2, max: 1, mode: 'slow' }, schema);
      assert.equal(up.limit, 2);
      assert.equal(up.mode, 'slow');
      assert.equal(up.version, 3);
    });

    it('leaves a configuration of a newer release at its version and values', () => {
      const up = upgradeConfig<Loose>({ ...base, version: 9, limit: 1, extra: true }, schema);
      assert.equal(up.version, 9);
      assert.equal(up.limit, 1);
      assert.equal(up.extra, true);
      assert.equal(up.mode, 'fast');
    });

    it('gives every node its own copy of an object default', () => {
      const a = upgradeConfig<Loose>({ ...base }, schema);
      const b = upgradeConfig<Loose>({ ...base }, schema);
      (a.tags as string[]).push('b');
      assert.deepEqual(b.tags, ['a']);
      assert.deepEqual(schema.defaults.tags, ['a']);
    });

    it('keeps the hidden properties the runtime adds (_flow), which Node.status() needs', () => {
      const stored: Record<string, unknown> & { id: string; type: string } = { ...base };
      const flow = { handleStatus: () => undefined };
      Object.defineProperty(stored, '_flow', { value: flow, enumerable: false, writable: true });
      const up = upgradeConfig(stored, schema) as Record<string, unknown>;
      assert.equal(up._flow, flow);
      assert.equal(Object.keys(up).includes('_flow'), false, '_flow became enumerable');
    });

    it('keeps "__proto__" and "constructor" keys of a stored flow as plain data', () => {
      const stored = JSON.parse('{"id":"n1","type":"t","__proto__":{"polluted":true},"constructor":"x"}') as Record<
        string,
        unknown
      > & { id: string; type: string };
      const up = upgradeConfig(stored, schema) as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(up), Object.prototype);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(up.polluted, undefined);
      assert.equal(up.constructor, 'x');
      assert.equal(up.mode, 'fast');
    });
  });

  describe('the runtime defaults and the editor defaults', () => {
    for (const type of TYPES) {
      it(`${type}: same properties, default values and version`, () => {
        const def = editorDefinitions(type).get(type);
        assert.ok(def, `${type}.html registers no ${type}`);
        const editor: Record<string, unknown> = {};
        for (const [key, prop] of Object.entries(def.defaults))
          if (key !== 'version') editor[key] = prop.value ?? (prop.type ? '' : undefined);
        const schema: ConfigSchema = CONFIG_SCHEMAS[type];
        // Through JSON: the editor's values come from another realm (its arrays are not this realm's Array).
        assert.deepEqual(JSON.parse(JSON.stringify(editor)), { ...schema.defaults });
        assert.equal(def.defaults.version?.value, schema.version, `${type}: the editor's version default`);
      });
    }
  });

  describe('flows saved by earlier releases, deployed against the simulator', function () {
    const sim = simulatorForSuite();

    function savedFlow(file: string): FlowNode[] {
      const flow = JSON.parse(readFileSync(join(REPO, 'test', 'compat', 'flows', file), 'utf8')) as FlowNode[];
      // The saved flow names a production server; point it at the simulator.
      const server = flow.find((n) => n.type === 'avaya-analytics-server')!;
      server.url = sim().restUrl;
      const outputs = ['data-out', 'state-out', 'dimdata-out', 'dictionary-out'].map((id) => ({
        id,
        type: 'helper',
        z: 'f1',
      }));
      return [...flow, ...outputs];
    }

    it('saved-v1.json with output 1 feeding only another node: no lifecycle msg reaches that node, and the state node on output 2 still syncs', async () => {
      const flow = savedFlow('saved-v1.json');
      const sub = flow.find((n) => n.id === 'sub')!;
      sub.wires = [['data-out'], ['state']];
      await helper.load([...ALL_NODES, stateNode], flow, {
        tls: { cadata: sim().caPem ?? '' },
        server: { username: USER, password: PASSWORD },
      });
      const data = collect('data-out');
      const stateStatus = statusHistory('state');
      const truth = sim().control.truth(USER, PRODUCER)[PRODUCER] ?? [];
      await until('the pumpup rows', () => data.length >= truth.length);
      await until('state synced by output 2', () => stateStatus().includes('avaya-analytics-state.status.synced'));
      assert.equal(
        data.filter((m: NodeMessage) => m.control !== undefined).length,
        0,
        'a Function node of 0.1.0 on output 1 gets only data, as before',
      );
    });

    for (const file of ['saved-v1.json', 'saved-without-version.json']) {
      it(`${file}: every node works`, async () => {
        const flow = savedFlow(file);
        await helper.load([...ALL_NODES, stateNode], flow, {
          tls: { cadata: sim().caPem ?? '' },
          server: { username: USER, password: PASSWORD },
        });
        const data = collect('data-out');
        const state = collect('state-out');
        const dimdata = collect('dimdata-out');
        const dictionary = collect('dictionary-out');
        const subscribeStatus = statusHistory('sub');
        const stateStatus = statusHistory('state');
        const truth = sim().control.truth(USER, PRODUCER)[PRODUCER] ?? [];
        assert.ok(truth.length > 0, 'the simulator has no agents');

        // subscribe: the pumpup rows reach the flow (emitPumpup defaults to true) and it gets ready.
        // Output 1 now carries the lifecycle events in-band as well (msg.control).
        const rows = (): NodeMessage[] => data.filter((m: NodeMessage) => m.control === undefined);
        await until('the pumpup rows', () => rows().length >= truth.length);
        assert.deepEqual(
          new Set(rows().map((m): unknown => m.topic)),
          new Set(truth.map((e) => entityKey(PRODUCER, e.dimension))),
        );
        await until('subscribe ready', () => subscribeStatus().includes('avaya-analytics-subscribe.status.ready'));

        // state: synced, holds every entity. This flow wires both outputs into it (as the first release
        // asked): each lifecycle event reaches it twice with one _msgid, and is applied and passed on once.
        await until('state synced', () => stateStatus().includes('avaya-analytics-state.status.synced'));
        await until('ready passed on', () => state.some((m: NodeMessage) => m.control === 'ready'));
        const events = (out: NodeMessage[]): string[] =>
          out.filter((m) => m.control !== undefined).map((m) => `${String(m.control)}:${String(m._msgid)}`);
        assert.deepEqual(events(state), events(data), 'every event once, in order');
        assert.ok(events(state).some((e) => e.startsWith('pumpupComplete:')));
        const before = state.length;
        helper.getNode('state').receive({ action: 'snapshot' });
        const reply = await until('the snapshot', () =>
          state.slice(before).find((m: NodeMessage) => m.action === 'snapshot'),
        );
        assert.equal(reply.count, truth.length);
        assert.equal(reply.synced, true);

        // dimdata (kind defaults to Agent) and dictionary (locale as saved, or en-us by default).
        helper.getNode('dimdata').receive({});
        helper.getNode('dictionary').receive({});
        await until('dimdata and dictionary answers', () => dimdata.length === 1 && dictionary.length === 1);
        assert.equal(dimdata[0]!.kind, 'Agent');
        assert.deepEqual(dimdata[0]!.payload, JSON.parse(JSON.stringify(sim().model.dimdata('Agent', USER))));
        const locale = flow.find((n) => n.id === 'dictionary')!.locale ?? 'en-us';
        assert.equal(dictionary[0]!.locale, locale);
        assert.equal((dictionary[0]!.payload as { locale: unknown }).locale, locale);
        assert.ok(Object.keys(dictionary[0]!.labels as object).length > 0, 'no labels');
      });
    }
  });
});
