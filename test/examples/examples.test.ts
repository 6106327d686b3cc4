// Every example flow in a real Node-RED (the devDependency, as a child process) against the simulator:
// imported together as a user would (server URL, supervisor and CA filled in, through the admin API),
// and each flow's output nodes watched through the editor's own debug channel. The simulator's
// traffic is paused: the tests trigger events themselves, so every expected output is exact.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../simulator/index';
import { NODE_RED_CLI } from '../helpers/node-red-selection';
import { PACKAGE_NAME, prepareUserDir, startNodeRed, type NodeRedProcess } from '../../scripts/node-red-process';
import { freePort, tempDir } from '../helpers/temp-dir-and-http';
import { DebugComms } from '../helpers/debug-comms';
import { deployable, fetchExamples, readExamples, type ExampleFile } from '../helpers/example-flows';
import { sleep, until } from '../helpers/wait';

const USER = 'supervisor1';
const AGENTS = 'Agent_SoD_3.5';
const SERVICES = 'RoutingService_SoD_3.5';

/** An entity of the simulator's ground truth, with the measures these tests read. */
interface Entity {
  dimension: Record<string, string>;
  realtimeData: Record<string, string | number | boolean | null> & {
    agentDisplayName?: string;
    agentState: string;
    contactsWaiting: number;
  };
}

describe('the example flows in a real Node-RED against the simulator', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let nodeRed: NodeRedProcess;
  let comms: DebugComms;
  let jsonlFile: string;
  let imported: ExampleFile[];

  const truth = (producer: string): Entity[] => (sim.control.truth(USER, producer)[producer] ?? []) as Entity[];
  const agentName = (e: Entity): string => e.realtimeData.agentDisplayName ?? e.dimension.agentId!;

  /** Presses an inject node's button, as the editor does. */
  async function press(injectId: string): Promise<void> {
    const res = await fetch(`${nodeRed.baseUrl}/inject/${injectId}`, { method: 'POST' });
    assert.equal(res.status, 200, `inject ${injectId}: ${await res.text()}`);
  }

  /** Values a debug node shows from now on, after `action`, once `done` accepts them all (or the timeout). */
  async function valuesAfter(
    debugId: string,
    action: () => unknown,
    done: (values: unknown[]) => boolean,
    timeoutMs = 15_000,
  ): Promise<unknown[]> {
    const before = comms.valuesOf(debugId).length;
    await action();
    return until(
      `debug node ${debugId} to show the expected values`,
      () => {
        const values = comms.valuesOf(debugId).slice(before);
        return done(values) ? values : undefined;
      },
      timeoutMs,
      100,
    );
  }

  before(async function () {
    this.timeout(90_000);
    // Paused traffic (rate 0): the world changes only when a test triggers events. Server heartbeats
    // every second, so the stale-feed alert comes within seconds.
    sim = await startSimulator({ host: '127.0.0.1', agents: 24, seed: 11, rate: 0, heartbeatIntervalMs: 1000 });
    dir = await tempDir('aa-examples-');
    jsonlFile = join(dir.path, 'deltas.jsonl');
    prepareUserDir(dir.path, { debugMaxLength: 100_000 });
    nodeRed = startNodeRed({ userDir: dir.path, port: await freePort(), output: 'pipe', cli: NODE_RED_CLI });
    await nodeRed.ready();
    comms = await DebugComms.connect(nodeRed.baseUrl);

    // Imported the way Import > Examples does it: from the examples Node-RED found in the installed package.
    imported = await fetchExamples(nodeRed.baseUrl, PACKAGE_NAME);
    const user = sim.users.find((u) => u.username === USER)!;
    const flows = deployable(imported, {
      restUrl: sim.restUrl,
      caPem: sim.caPem!,
      username: user.username,
      password: user.password,
      heartbeat: 1,
      env: {
        NOT_READY_LIMIT: '0',
        LUNCH_LIMIT: '0',
        FEED_DOWN_LIMIT: '0',
        MAX_WAITING: '0',
        WAITING_FOR: '0',
        JSONL_FILE: jsonlFile,
      },
    });
    const res = await fetch(`${nodeRed.baseUrl}/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(flows),
    });
    assert.ok(res.ok, `deploy: HTTP ${res.status} ${await res.text()}`);
  });

  after(async () => {
    await comms?.close();
    if (nodeRed) assert.equal(await nodeRed.stop(), 0, nodeRed.output().slice(-2000));
    await sim?.close();
    await dir?.remove();
  });

  it('every example is offered by Import > Examples and loads without errors, subscribed once per producer', async () => {
    assert.deepEqual(
      imported.map((e) => e.file),
      readExamples().map((e) => e.file),
      'Node-RED does not offer every file of examples/',
    );
    const deployed = (await (await fetch(`${nodeRed.baseUrl}/flows`)).json()) as Array<{ id: string }>;
    const ids = new Set(deployed.map((n) => n.id));
    for (const { file, nodes } of imported)
      for (const n of nodes) assert.ok(ids.has(n.id), `${file}: ${n.id} was not deployed`);
    await until(
      'both producers to be subscribed',
      () => sim.control.stats().users[USER]?.subscriptions.length === 2,
      20_000,
      100,
    );
    assert.deepEqual([...sim.control.stats().users[USER]!.subscriptions].sort(), [AGENTS, SERVICES]);
    // Subscribed over REST first, the redirects follow on the socket: wait until both stream.
    await until('both subscriptions to stream', () => sim.control.stats().users[USER]?.streams === 2, 20_000, 100);
    assert.equal(sim.control.stats().users[USER]!.sockets, 1, 'the examples share one server node: one WebSocket');
    const log = nodeRed.output();
    assert.doesNotMatch(log, /missing types|\[error\]/, log.slice(-3000));
  });

  it('01 subscribe and debug: the pumpup rows of every agent, then the control events', async () => {
    const expected = new Set(truth(AGENTS).map((e) => `${AGENTS}/agentId=${e.dimension.agentId}`));
    await until(
      'a pumpup row per agent',
      () => {
        const rows = comms.valuesOf('aa-ex1-debug-data') as Array<Record<string, unknown>>;
        const topics = new Set(rows.filter((m) => m.pumpup === true).map((m) => m.topic));
        return topics.size === expected.size && [...expected].every((t) => topics.has(t));
      },
      20_000,
      100,
    );
    const stream = comms.valuesOf('aa-ex1-debug-data') as Array<Record<string, unknown>>;
    const row = stream.find((m) => m.control === undefined)!;
    assert.equal(row.producer, AGENTS);
    assert.equal(row.eventAction, 'UPSERT');
    assert.equal(typeof (row.dimension as Record<string, unknown>).agentId, 'string');
    await comms.waitFor('aa-ex1-debug-control', (v) => (v === 'pumpupComplete' ? v : undefined));
    assert.ok(comms.valuesOf('aa-ex1-debug-control').includes('subscribed'));
    // The same events in-band on output 1, the snapshot's rows between "subscribed" and "pumpupComplete".
    const events = (comms.valuesOf('aa-ex1-debug-data') as Array<Record<string, unknown>>).map(
      (m): unknown => m.control ?? (m.pumpup ? 'row' : 'delta'),
    );
    const subscribed = events.indexOf('subscribed');
    const complete = events.indexOf('pumpupComplete');
    assert.ok(subscribed >= 0 && complete > subscribed, events.join());
    assert.equal(
      events.slice(subscribed + 1, complete).filter((e) => e === 'row').length,
      expected.size,
      'every row inside the snapshot',
    );
  });

  it('03 alert: one NOT_READY alert per agent not ready longer than the limit, raised by the alert node, never repeated', async () => {
    const notReady = truth(AGENTS).filter((e) => e.realtimeData.agentState === 'NOT_READY');
    assert.ok(notReady.length > 0, 'the simulated center has no NOT_READY agent to alert about');
    const expected = notReady.map(agentName).sort();
    // No inject, no function node: the alert node raises once the pumpup is complete (limit 0 here).
    const raises = () => (comms.valuesOf('aa-ex3-debug') as string[]).filter((a) => a.includes(' has been NOT_READY'));
    const alerts = await until(
      'an alert per NOT_READY agent',
      () => (raises().length >= expected.length ? raises() : undefined),
      20_000,
      100,
    );
    assert.deepEqual(alerts.map((a) => a.slice(0, a.indexOf(' has been NOT_READY'))).sort(), expected);
    for (const a of alerts) assert.match(a, / has been NOT_READY( \(.+\))? for \d+ (s|min)$/);
    await sleep(1000);
    assert.equal(raises().length, alerts.length, 'an alert was raised twice');
  });

  it('04 dimension data: loads agents and reason codes, and looks a code up', async () => {
    await comms.waitFor('aa-ex4-debug-loaded', (v) =>
      v === `${truth(AGENTS).length} Agent records loaded` ? v : undefined,
    );
    await comms.waitFor('aa-ex4-debug-loaded', (v) =>
      typeof v === 'string' && /^\d+ ReasonCode records loaded$/.test(v) ? v : undefined,
    );
    const [lookup] = await valuesAfter(
      'aa-ex4-debug-lookup',
      () => press('aa-ex4-inject-lookup'),
      (v) => v.length > 0,
    );
    assert.equal(lookup, '101 = Lunch (Lunch break)');
  });

  it('06 queue thresholds: an alert for every routing service over the limit, once', async () => {
    const waiting = truth(SERVICES).filter((e) => e.realtimeData.contactsWaiting > 0);
    assert.ok(waiting.length > 0, 'no routing service has contacts waiting');
    const expected = waiting
      .map((e) => `${e.dimension.routingServiceName}: contactsWaiting > 0 (now ${e.realtimeData.contactsWaiting})`)
      .sort();
    const alerts = await until(
      'an alert per busy routing service',
      () => {
        const all = comms.valuesOf('aa-ex6-debug') as string[];
        return all.length >= expected.length ? all : undefined;
      },
      20_000,
      100,
    );
    for (const a of alerts) assert.match(a, / for \d+ s$/);
    assert.deepEqual(alerts.map((a) => a.replace(/ for \d+ s$/, '')).sort(), expected);
    await sleep(1000);
    assert.equal(comms.valuesOf('aa-ex6-debug').length, expected.length, 'an alert was repeated');
  });

  it('07 JSON lines: the pumpup of every agent in the file, one JSON object per line, between its lifecycle lines', async () => {
    const agents = truth(AGENTS);
    const lines = await until(
      'a line per agent and the end of the snapshot in the file',
      async () => {
        const text = await readFile(jsonlFile, 'utf8').catch(() => '');
        const all = text.split('\n').filter((l) => l !== '');
        return all.some((l) => (JSON.parse(l) as Record<string, unknown>).event === 'pumpupComplete') ? all : undefined;
      },
      20_000,
      100,
    );
    const all = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const events = all.filter((r) => r.event !== undefined);
    for (const e of events) assert.equal(e.producer, AGENTS);
    const complete = all.findIndex((r) => r.event === 'pumpupComplete');
    assert.ok(all.findIndex((r) => r.event === 'subscribed') < complete, events.map((e): unknown => e.event).join());
    assert.ok(
      all.slice(complete + 1).every((r) => r.pumpup !== true),
      'no pumpup row after pumpupComplete',
    );
    const records = all.filter((r) => r.event === undefined);
    for (const r of records) {
      assert.equal(r.producer, AGENTS);
      assert.ok(!Number.isNaN(Date.parse(r.receivedAt as string)));
      assert.equal(typeof r.measures, 'object');
    }
    const pumped = new Set(
      records.filter((r) => r.pumpup === true).map((r) => (r.dimension as Record<string, unknown>).agentId),
    );
    assert.deepEqual(pumped, new Set(agents.map((e) => e.dimension.agentId)));
  });

  it('02 agent state: snapshot counts, get of one agent, and a line per state change', async () => {
    const agents = truth(AGENTS);
    const tally: Record<string, number> = {};
    for (const e of agents) tally[e.realtimeData.agentState] = (tally[e.realtimeData.agentState] ?? 0) + 1;
    const [counts] = await valuesAfter(
      'aa-ex2-debug-count',
      () => press('aa-ex2-inject-snapshot'),
      (v) => v.length > 0,
    );
    assert.deepEqual(counts, tally);

    const scollins = agents.find((e) => e.dimension.agentId === 'scollins')!;
    const [got] = (await valuesAfter(
      'aa-ex2-debug-get',
      () => press('aa-ex2-inject-get'),
      (v) => v.length > 0,
    )) as [{ found: unknown; payload: Record<string, unknown> }];
    assert.equal(got.found, true);
    assert.equal(got.payload.agentId, 'scollins');
    assert.equal(got.payload.agentState, scollins.realtimeData.agentState);
    assert.equal(typeof got.payload.timeInStateMs, 'number');

    // Events until some agents changed state; then the last line of each agent names its state now.
    const before = comms.valuesOf('aa-ex2-debug-line').length;
    sim.control.trigger(200);
    const byName = new Map<string, Set<string>>();
    for (const e of truth(AGENTS))
      byName.set(agentName(e), (byName.get(agentName(e)) ?? new Set()).add(e.realtimeData.agentState));
    let mismatch = '';
    await until(
      'a line per state change, the last of each agent matching the simulator',
      () => {
        const lines = comms.valuesOf('aa-ex2-debug-line').slice(before) as string[];
        const last = new Map<string, string>();
        for (const line of lines) {
          const m = /^(.+): (?:(\w+) -> )?(\w+)(?: \(.+\))?$/.exec(line);
          assert.ok(m, `not a state change line: ${line}`);
          last.set(m[1]!, m[3]!);
        }
        mismatch = [...last]
          .filter(([name, state]) => !byName.get(name)?.has(state))
          .map(([n, s]) => `${n}: ${s}`)
          .join(', ');
        return lines.length >= 3 && mismatch === '';
      },
      20_000,
      100,
    ).catch((err: Error) => assert.fail(`${err.message}; not in the simulator's state: ${mismatch}`));
  });

  it("05 dictionary labels: German display names, attached to the state node's outputs", async () => {
    const labels = await comms.waitFor('aa-ex5-debug-dictionary', (v) =>
      v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined,
    );
    assert.equal(labels.agentState, 'Agentenstatus');
    const lines = (await valuesAfter(
      'aa-ex5-debug-line',
      () => sim.control.trigger(200),
      (v) => v.length > 0,
    )) as [string];
    assert.match(lines[0], /^.+ · Agentenstatus: [A-Z_]+$/);
  });

  it('03 alert: the feed goes stale and recovers, one alert each, and the resync raises no agent again', async () => {
    const feed = (values: string[]) => values.filter((v) => v.startsWith('Feed '));
    const raiseCount = () =>
      (comms.valuesOf('aa-ex3-debug') as string[]).filter((a) => a.includes(' has been NOT_READY')).length;
    // The events test 05 triggered may still be on their way: wait until the agents' alerts settle.
    let raisesBefore = raiseCount();
    for (;;) {
      await sleep(1000);
      if (raiseCount() === raisesBefore) break;
      raisesBefore = raiseCount();
    }
    const before = comms.valuesOf('aa-ex3-debug').length;
    sim.control.stallSockets(USER);
    const alerts = await until(
      'the feed alert and its clear',
      () => {
        const all = feed((comms.valuesOf('aa-ex3-debug') as string[]).slice(before));
        return all.length >= 2 ? all : undefined;
      },
      30_000,
      100,
    );
    assert.match(alerts[0] ?? '', new RegExp(`^Feed ${AGENTS} stale \\(server heartbeats missed\\) for \\d+ s$`));
    assert.match(alerts[1] ?? '', new RegExp(`^Feed ${AGENTS} is live again \\(after \\d+ s\\)$`));
    await sleep(1500);
    assert.equal(
      feed((comms.valuesOf('aa-ex3-debug') as string[]).slice(before)).length,
      2,
      'a feed alert was repeated',
    );
    assert.equal(raiseCount(), raisesBefore, 'the resync raised an agent alert again');
  });
});
