// Keeping the view in a context store: a restarted flow restores it (until the next pumpup), close
// writes what the interval has not, a shared store (a stand-in for Redis) hands the view to another
// instance, and broken or failing stores are reported without stopping the node.
import assert from 'node:assert/strict';
import { at } from '../../state/fixtures/at';
import { helper, unload, type FlowNode } from '../../helpers/node-red-test-helper';
import { until } from '../../helpers/wait';
import { controlMsg, dataMsg } from '../../helpers/contract-messages';
import { attach, stateFlow, stateNode, T, warningsOf, type Harness } from '../../helpers/state-node-flow';

const KEY = 'avayaState_state';

/** A row of a snapshot's payload, by entity key. */
type Row = Record<string, unknown>;
/** The view as kept in a context store: what the tests read of it. */
interface KeptView {
  producers?: { entities?: unknown[] }[];
}
/** The rows of a snapshot reply, by entity key. */
const rowsOf = (reply: { payload?: unknown }): Record<string, Row> => reply.payload as Record<string, Row>;
/** A row without its time in state (which moves on between two snapshots). */
function withoutTime(row: Row | undefined): Row {
  assert.ok(row, 'no such row');
  const rest = { ...row };
  delete rest.timeInStateMs;
  return rest;
}

/** The node's context scope, as the node itself sees it. */
function globalContext(nodeId = 'state'): {
  get(key: string, store?: string): unknown;
  set(key: string, value: unknown, store?: string): void;
} {
  return helper.getNode(nodeId).context().global;
}

async function load(flow: FlowNode[]): Promise<Harness> {
  await helper.load([stateNode], flow);
  return attach(at(flow, 1).id);
}

/** A full deploy of the same flow: every node is stopped (close) and started again. */
async function restart(flow: FlowNode[]): Promise<Harness> {
  await helper.setFlows(flow, 'full');
  return attach(at(flow, 1).id);
}

async function feedTwoAgents(h: Harness): Promise<void> {
  h.send(
    dataMsg({ agentId: 'a' }, { agentState: 'READY', offered: 1 }, { pumpup: true }),
    dataMsg({ agentId: 'b' }, { agentState: 'NOT_READY', offered: 2 }, { pumpup: true }),
    controlMsg('pumpupComplete'),
    dataMsg({ agentId: 'a' }, { offered: 5 }),
  );
  assert.equal((await h.snapshot()).count, 2);
}

/**
 * A context store that keeps JSON text per scope in a Map shared by every instance created, answering
 * asynchronously: what a Redis store does for two Node-RED instances. `failWrites` makes set() fail.
 */
function sharedStore(): { module: (config: unknown) => unknown; data: Map<string, string>; failWrites: boolean } {
  const shared = { data: new Map<string, string>(), failWrites: false, module: (): unknown => store };
  const read = (scope: string): Record<string, unknown> =>
    JSON.parse(shared.data.get(scope) ?? '{}') as Record<string, unknown>;
  const store = {
    open: () => Promise.resolve(),
    close: () => Promise.resolve(),
    get(scope: string, key: string, callback: (err: Error | null, value?: unknown) => void) {
      setImmediate(() => callback(null, read(scope)[key]));
    },
    set(scope: string, key: string, value: unknown, callback?: (err?: Error | null) => void) {
      setImmediate(() => {
        if (shared.failWrites) return callback?.(new Error('store unavailable'));
        const data = read(scope);
        data[key] = value;
        shared.data.set(scope, JSON.stringify(data));
        callback?.(null);
      });
    },
    keys(scope: string, callback: (err: Error | null, keys?: string[]) => void) {
      setImmediate(() => callback(null, Object.keys(read(scope))));
    },
    delete: (scope: string) => {
      shared.data.delete(scope);
      return Promise.resolve();
    },
    clean: () => Promise.resolve(),
  };
  return shared;
}

/**
 * Runs `flow` with the context stores of `contextStorage`. The helper's load() starts the flow before it
 * knows any configured store (it resets the context module), so: load, plug the stores in, restart.
 * The first run falls back to the default store and writes nothing (it receives nothing).
 */
async function loadWithStores(contextStorage: Record<string, unknown>, flow: FlowNode[]): Promise<Harness> {
  helper.settings({ contextStorage });
  await helper.load([stateNode], flow);
  await helper._redNodes.loadContextsPlugin();
  return restart(flow);
}

describe('avaya-analytics-state node: keeping the view', function () {
  afterEach(async () => {
    await unload();
    helper.settings({}); // back to the default settings (no context stores) for the next test
  });

  it('restores the view when the flow restarts, not synced, and the next pumpup sends only what changed', async () => {
    const flow = stateFlow({ persist: 'global', persistInterval: 0.1 });
    let h = await load(flow);
    await feedTwoAgents(h);
    const before = rowsOf(await h.snapshot());
    await until(
      'the view in the global context',
      () => (globalContext().get(KEY) as KeptView | undefined)?.producers?.[0]?.entities?.length === 2,
    );

    h = await restart(flow);
    const restored = await h.snapshot();
    assert.equal(restored.count, 2);
    assert.equal(restored.synced, false, 'a restored view is old until the next pumpup');
    for (const key of Object.keys(before)) {
      assert.deepEqual(withoutTime(rowsOf(restored)[key]), withoutTime(before[key]), key);
    }
    await until('restored status', () => h.status.includes(`${T}.status.unsynced`));

    h.send(
      controlMsg('connected'),
      dataMsg({ agentId: 'a' }, { agentState: 'READY', offered: 5 }, { pumpup: true }),
      controlMsg('pumpupComplete'),
    );
    const synced = await h.snapshot();
    assert.equal(synced.synced, true);
    assert.deepEqual(
      h.changes().map((m) => `${m.eventAction}:${m.topic}:${m.evicted === true}`),
      ['DELETE:Agent_SoD_3.5/agentId=b:true'],
      'agent a is unchanged since the restart: no output for it',
    );
  });

  it('writes the view when the node stops, even before the interval has passed', async () => {
    const flow = stateFlow({ persist: 'flow', persistInterval: 3600 });
    let h = await load(flow);
    await feedTwoAgents(h);
    assert.equal(helper.getNode('state').context().flow.get(KEY), undefined, 'nothing written yet');
    h = await restart(flow);
    const restored = await h.snapshot();
    assert.equal(restored.count, 2);
    assert.equal(rowsOf(restored)['Agent_SoD_3.5/agentId=a']!.offered, 5);
  });

  it('empties the kept view on reset', async () => {
    const flow = stateFlow({ persist: 'global', persistInterval: 0.1 });
    let h = await load(flow);
    await feedTwoAgents(h);
    h.send({ action: 'reset' });
    await h.snapshot();
    await until(
      'an empty view in the context',
      () => (globalContext().get(KEY) as KeptView | undefined)?.producers?.length === 0,
    );
    h = await restart(flow);
    assert.equal((await h.snapshot()).count, 0);
  });

  it('shares the view between instances through a shared store (as with Redis)', async () => {
    const redis = sharedStore();
    const storage = { default: { module: 'memory' }, redis: { module: redis.module } };
    const props = { persist: 'global', store: 'redis', persistKey: 'floorView', persistInterval: 0.1 };

    let h = await loadWithStores(storage, stateFlow(props));
    await feedTwoAgents(h);
    await until(
      'the view in the shared store',
      () =>
        ((JSON.parse(redis.data.get('global') ?? '{}') as { floorView?: { producers?: { entities: unknown[] }[] } })
          .floorView?.producers?.[0]?.entities.length ?? 0) === 2,
    );
    assert.equal(globalContext().get('floorView'), undefined, 'written to the named store, not the default one');
    await unload();

    // A second instance: a fresh runtime (memory contexts gone), another node id, the same store and key.
    h = await loadWithStores(storage, stateFlow(props, { id: 'other' }));
    const seen = await h.snapshot();
    assert.deepEqual(Object.keys(rowsOf(seen)).sort(), ['Agent_SoD_3.5/agentId=a', 'Agent_SoD_3.5/agentId=b']);
    assert.equal(rowsOf(seen)['Agent_SoD_3.5/agentId=a']!.offered, 5);
    assert.equal(seen.synced, false);
  });

  it('warns once when writes fail and keeps working', async () => {
    const redis = sharedStore();
    redis.failWrites = true;
    const h = await loadWithStores(
      { default: { module: 'memory' }, redis: { module: redis.module } },
      stateFlow({ persist: 'global', store: 'redis', persistInterval: 0.1 }),
    );
    await feedTwoAgents(h);
    await until('a persist warning', () => warningsOf('state').length > 0);
    h.send(dataMsg({ agentId: 'a' }, { offered: 6 }));
    await h.snapshot();
    await new Promise((resolve) => setTimeout(resolve, 300)); // several more failed writes
    h.send(dataMsg({ agentId: 'a' }, { offered: 7 }));
    assert.equal(rowsOf(await h.snapshot())['Agent_SoD_3.5/agentId=a']!.offered, 7);
    assert.deepEqual(warningsOf('state'), [`${T}.warn.persist-failed`]);
  });

  it('starts empty with a warning when the kept view is not one', async () => {
    const flow = stateFlow({ persist: 'global' });
    await helper.load([stateNode], flow);
    globalContext().set(KEY, { format: 'something else', producers: [] });
    const h = await restart(flow);
    assert.equal((await h.snapshot()).count, 0);
    await until('a restore warning', () => warningsOf('state').includes(`${T}.warn.restore-failed`));
    h.send(dataMsg({ agentId: 'a' }, { n: 1 }));
    await until('an output', () => h.changes().length === 1);
  });
});
