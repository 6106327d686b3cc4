// `npm start` end to end: the program starts the simulator and Node-RED on free ports with a temp user
// dir, serves the editor and the wallboard, and the wallboard's widgets receive the simulator's agents
// and routing services through the dashboard's own socket (what a browser receives). Ctrl-C stops
// everything and frees every port; a second start reuses the user dir on other ports.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { AGENT_STATE_ORDER, CHART_SERIES } from '../../scripts/demo-functions';
import { AGENT_PRODUCER, DEMO_IDS, SERVICE_PRODUCER } from '../../scripts/demo-flow';
import { isPortFree } from '../../scripts/node-red-process';
import { DashboardSocket, type SocketEvent } from '../helpers/dashboard-socket';
import type { AgentTableMsg, AlertBoardMsg, ChartMsg, FeedMsg, QueueTableMsg } from '../helpers/demo-messages';
import { DemoProcess } from '../helpers/npm-start-process';
import { freePort, getJson, tempDir } from '../helpers/temp-dir-and-http';
import { until } from '../helpers/wait';

const DEMO_USER = 'supervisor1';
const DEMO_PASSWORD = 'password1';

interface Ports {
  nodeRed: number;
  sim: number;
  control: number;
}

async function freePorts(): Promise<Ports> {
  return { nodeRed: await freePort(), sim: await freePort(), control: await freePort() };
}

function demoEnv(ports: Ports, userDir: string): Record<string, string> {
  return {
    NODE_RED_PORT: String(ports.nodeRed),
    SIM_PORT: String(ports.sim),
    SIM_CONTROL_PORT: String(ports.control),
    NODE_RED_USER_DIR: userDir,
    SIM_AGENTS: '24',
    SIM_RATE: '5',
    AVAYA_DEMO_NOT_READY_LIMIT: '0s',
  };
}

interface Truth {
  [producer: string]: Array<{ dimension: Record<string, string>; realtimeData: Record<string, unknown> }>;
}

/** The part of the dashboard's ui-config the test reads. */
interface UiConfig {
  pages: Record<string, { path: string }>;
  widgets: Record<string, unknown>;
}

/**
 * What `accept` returns for the first msg-input event of `widget` it takes. `M` is the msg its Function node sends
 * (test/helpers/demo-messages.ts), unchecked: `accept` checks what it relies on.
 */
function widgetMsg<M, T>(socket: DashboardSocket, widget: string, accept: (msg: M) => T | undefined): Promise<T> {
  return socket.waitFor(`a msg for widget ${widget}`, (e: SocketEvent) =>
    e.name === `msg-input:${widget}` ? accept(e.args[0] as M) : undefined,
  );
}

/** Checks the wallboard of a running demo against the simulator's ground truth. */
async function checkWallboard(nodeRedUrl: string, controlUrl: string): Promise<void> {
  const socket = await DashboardSocket.connect(`${nodeRedUrl}/dashboard/socket.io`);
  try {
    // The page the browser loads holds the agents table, queues, chart and feed widgets.
    const config = await socket.waitFor('the ui-config', (e) =>
      e.name === 'ui-config' ? (e.args[1] as UiConfig) : undefined,
    );
    const pages = Object.values(config.pages);
    assert.ok(
      pages.some((p) => p.path === '/wallboard'),
      'no /wallboard page',
    );
    for (const id of [DEMO_IDS.agentsTable, DEMO_IDS.queues, DEMO_IDS.chart, DEMO_IDS.feed]) {
      assert.ok(config.widgets[id], `widget ${id} is not on the dashboard`);
    }

    const truth = await getJson<Truth>(`${controlUrl}/truth?user=${DEMO_USER}&producer=${AGENT_PRODUCER}`);
    const agents = truth[AGENT_PRODUCER] ?? [];
    assert.ok(agents.length > 0, 'the simulator shows the demo user no agents');
    // A synced table with every agent: the rows are the simulator's agents (ids and display names).
    const table = await widgetMsg(socket, DEMO_IDS.agentsTable, (m: AgentTableMsg) =>
      m.synced === true && Array.isArray(m.payload) && m.payload.length === agents.length ? m : undefined,
    );
    const rows = table.payload;
    const expected = new Map(agents.map((a) => [a.dimension.agentId, a.realtimeData.agentDisplayName]));
    assert.deepEqual(new Set(rows.map((r) => r.id)), new Set(expected.keys()));
    for (const row of rows) assert.equal(row.name, expected.get(row.id), `name of ${row.id}`);
    // Sorted for a supervisor: not ready first, logged out last; the summary counts are the rows' states.
    const ranks = rows.map((r) => AGENT_STATE_ORDER.indexOf(r.state as (typeof AGENT_STATE_ORDER)[number]));
    assert.ok(!ranks.includes(-1), `unknown state in ${rows.map((r) => r.state).join()}`);
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
      'rows are not in wallboard order',
    );
    for (const state of AGENT_STATE_ORDER)
      assert.equal(table.counts[state], rows.filter((r) => r.state === state).length, `count of ${state}`);
    assert.ok(
      rows.some((r) => typeof r.inStateMs === 'number' && r.inStateMs > 0),
      'no time in state',
    );

    const services =
      (await getJson<Truth>(`${controlUrl}/truth?user=${DEMO_USER}&producer=${SERVICE_PRODUCER}`))[SERVICE_PRODUCER] ??
      [];
    const queues = await widgetMsg(socket, DEMO_IDS.queues, (m: QueueTableMsg) =>
      m.synced === true && Array.isArray(m.payload) && m.payload.length === services.length ? m.payload : undefined,
    );
    assert.deepEqual(
      queues.map((q) => q.name),
      services.map((s) => s.dimension.routingServiceName).sort((a, b) => (a ?? '').localeCompare(b ?? '')),
    );
    for (const q of queues) assert.equal(typeof q.waiting, 'number');

    const feed = await widgetMsg(socket, DEMO_IDS.feed, (m: FeedMsg) =>
      m.payload?.level === 'live' && m.payload.streams.length === 2 ? m.payload : undefined,
    );
    assert.deepEqual(
      feed.streams.map((s) => s.producer),
      [AGENT_PRODUCER, SERVICE_PRODUCER],
    );

    // The alert node runs with a 0 s NOT_READY limit here (AVAYA_DEMO_NOT_READY_LIMIT): the list names only
    // NOT_READY agents, and is not empty while the simulator has one.
    assert.ok(config.widgets[DEMO_IDS.alerts], 'no alerts widget');
    const notReady = agents.filter((a) => a.realtimeData.agentState === 'NOT_READY').length;
    const alerts = await widgetMsg(socket, DEMO_IDS.alerts, (m: AlertBoardMsg) =>
      typeof m.payload?.count === 'number' && (notReady === 0 || m.payload.count > 0) ? m.payload : undefined,
    );
    assert.equal(alerts.count, alerts.alerts.length);
    for (const a of alerts.alerts) assert.match(a.text, /NOT_READY/);

    const chart = await widgetMsg(socket, DEMO_IDS.chart, (m: ChartMsg) =>
      Array.isArray(m.payload) ? m.payload : undefined,
    );
    assert.deepEqual(
      chart.map((p) => p.series),
      CHART_SERIES.map(([label]) => label),
    );
    for (const point of chart)
      assert.ok(Number.isInteger(point.count) && point.count >= 0 && point.count <= agents.length);
  } finally {
    await socket.close();
  }
}

async function assertPortsFree(ports: Ports): Promise<void> {
  for (const [name, port] of Object.entries(ports) as Array<[keyof Ports, number]>)
    assert.ok(await isPortFree(port), `${name} port ${port} is still bound`);
}

describe('npm start: simulator, Node-RED, Dashboard 2 wallboard', function () {
  this.timeout(120_000);
  let userDir: Awaited<ReturnType<typeof tempDir>>;
  let demo: DemoProcess | null = null;

  before(async () => {
    userDir = await tempDir('aa-demo-');
  });

  afterEach(() => {
    demo?.kill(); // only if a test failed half-way; a passing test has stopped it
    demo = null;
  });

  after(async () => {
    await userDir?.remove();
  });

  it('serves the editor and a wallboard whose widgets fill with simulator data; Ctrl-C stops everything', async () => {
    const ports = await freePorts();
    demo = new DemoProcess(demoEnv(ports, userDir.path));
    const [, wallboard] = await demo.waitForOutput(/Wallboard\s+(http\S+)/);
    const [, editor] = await demo.waitForOutput(/Editor\s+(http\S+)/);
    const [, controlUrl] = await demo.waitForOutput(/control API\s+(http\S+)/);
    assert.equal(wallboard, `http://127.0.0.1:${ports.nodeRed}/dashboard/wallboard`);
    assert.match(demo.output, /the demo flow was deployed/);

    const editorPage = await fetch(editor!);
    assert.equal(editorPage.status, 200);
    assert.match(await editorPage.text(), /Node-RED/);
    // Dashboard 2 serves its page once its ui-base node has started, which can trail the deploy's answer on a
    // loaded machine: wait for it (a 404 that lasts is still a failure).
    const dashboardPage = await until(
      'the wallboard page',
      async () => {
        const res = await fetch(wallboard);
        return res.status === 200 ? res : null;
      },
      20_000,
      100,
    ).catch(async () => fetch(wallboard));
    assert.equal(dashboardPage.status, 200);
    assert.match(dashboardPage.headers.get('content-type') ?? '', /text\/html/);

    await checkWallboard(`http://127.0.0.1:${ports.nodeRed}`, controlUrl!);

    // The supervisor's password is in the encrypted credential store only.
    const flows = await readFile(join(userDir.path, 'flows.json'), 'utf8');
    const credentials = await readFile(join(userDir.path, 'flows_cred.json'), 'utf8');
    assert.ok(flows.includes('avaya-analytics-server') && !flows.includes(DEMO_PASSWORD));
    assert.ok(!credentials.includes(DEMO_PASSWORD) && !credentials.includes(DEMO_USER));

    assert.equal(await demo.interrupt(), 0, demo.output.slice(-3000));
    assert.match(demo.output, /Stopping Node-RED and the simulator/);
    assert.doesNotMatch(demo.output, /\[error\]/, 'Node-RED logged an error');
    assert.ok(!demo.output.includes(DEMO_PASSWORD), 'the password reached the output');
    await assertPortsFree(ports);
  });

  it('a second start reuses the user dir: keeps the flows and works on other ports', async () => {
    const flowsBefore = await readFile(join(userDir.path, 'flows.json'), 'utf8');
    const ports = await freePorts();
    demo = new DemoProcess(demoEnv(ports, userDir.path));
    await demo.waitForOutput(/Wallboard\s+(http\S+)/);
    const [, controlUrl] = await demo.waitForOutput(/control API\s+(http\S+)/);
    assert.match(demo.output, /flows kept/);
    // The server node reads the simulator's URL from the environment, so the new ports just work.
    await checkWallboard(`http://127.0.0.1:${ports.nodeRed}`, controlUrl!);
    assert.equal(await readFile(join(userDir.path, 'flows.json'), 'utf8'), flowsBefore);
    assert.equal(await demo.interrupt(), 0, demo.output.slice(-3000));
    await assertPortsFree(ports);
  });

  it('refuses a Node-RED port in use with a clear message and leaves nothing running', async () => {
    const ports = await freePorts();
    const squatter: Server = createServer();
    await new Promise<void>((r) => squatter.listen(ports.nodeRed, '127.0.0.1', () => r()));
    try {
      demo = new DemoProcess(demoEnv(ports, userDir.path));
      assert.equal(await demo.waitForExit(30_000), 1);
      assert.match(demo.output, new RegExp(`port ${ports.nodeRed} is in use.*NODE_RED_PORT`));
    } finally {
      await new Promise((r) => squatter.close(r));
    }
    await assertPortsFree(ports);
  });

  it('names the variable when a setting is invalid', async () => {
    const ports = await freePorts();
    demo = new DemoProcess({ ...demoEnv(ports, userDir.path), SIM_AGENTS: 'lots' });
    assert.equal(await demo.waitForExit(30_000), 1);
    assert.match(demo.output, /SIM_AGENTS must be a whole number from 1 to 5000, got "lots"/);
  });
});
